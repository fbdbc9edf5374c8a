using PostGate.Rules.Engine;
using PostGate.Rules.Text;
using Xunit;

namespace PostGate.Rules.Tests.Text;

public sealed class WeightedLengthTests
{
    public static TheoryData<Channel, string, int, int, string> Measures => new()
    {
        // channel, text, length, limit, unit
        { Channel.X, "Hi https://acme.com/a-very-long-path-that-x-shortens", 26, 280, "weighted" },
        { Channel.X, "春の新作", 8, 280, "weighted" },
        { Channel.X, "Nice 👍🏽 🇩🇪 👨‍👩‍👧‍👦", 13, 280, "weighted" },                      // each emoji sequence weighs 2
        { Channel.LinkedIn, "Nice 👍🏽", 9, 3_000, "characters" },                          // UTF-16 units
        { Channel.Facebook, "abc", 3, 63_206, "characters" },
        { Channel.Instagram, "abc", 3, 2_200, "characters" },
        { Channel.Threads, "abc", 3, 500, "characters" },
        { Channel.Bluesky, "Nice 👍🏽 🇩🇪 👨‍👩‍👧‍👦", 10, 300, "graphemes" },
        { Channel.Mastodon, "Hi https://acme.com/a-very-long-path and @sam@social.acme.example", 35, 500, "characters" }, // 3 + 23 + 5 + 4
        { Channel.Mastodon, "Hi acme.com/a-very-long-path", 28, 500, "characters" },        // only links with a scheme count 23
    };

    [Theory]
    [MemberData(nameof(Measures))]
    public void Measure_CountsInTheChannelsOwnMeasure(Channel channel, string text, int length, int limit, string unit)
    {
        Assert.Equal(new ChannelLength(length, limit, unit), WeightedLength.Measure(text, channel));
    }

    [Fact]
    public void Measure_OtherChannel_HasNoLimit()
    {
        Assert.Null(WeightedLength.Measure("anything", Channel.Other));
        Assert.Equal(new ChannelLength(8, 100, "characters"), WeightedLength.Measure("anything", Channel.Other, 100));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("abc", 3)]
    [InlineData("e\u0301", 1)]                 // a combining mark joins its letter
    [InlineData("👨‍👩‍👧‍👦🇩🇪👍🏽", 3)]
    [InlineData("\r\n", 1)]
    public void GraphemeCount_CountsUserPerceivedCharacters(string text, int expected)
    {
        Assert.Equal(expected, WeightedLength.GraphemeCount(text));
    }

    [Theory]
    [InlineData("", 0, false)]                 // empty is not a valid post
    [InlineData("ok", 2, true)]
    [InlineData("1\u20E3 and 1\uFE0F\u20E3", 9, true)]     // keycaps weigh 2
    [InlineData("\u00A9 \u00A9\uFE0F", 4, true)]           // © is an emoji only with U+FE0F
    [InlineData("😀\uFE0F", 4, true)]                      // a needless U+FE0F counts on its own, as twitter-text counts it
    [InlineData("❤️‍🔥", 2, true)]                          // newer ZWJ sequences weigh 2 as well
    [InlineData("👨‍👩‍👧‍👦\u200D👨", 5, true)]                  // no emoji joins more than four: 2 + 1 (ZWJ) + 2
    [InlineData("a\uFFFEb", 4, false)]                     // U+FFFE makes a post invalid
    public void ParseX_WeighsEmojiAndValidity(string text, int weighted, bool valid)
    {
        var parsed = WeightedLength.ParseX(text);

        Assert.Equal(weighted, parsed.Weighted);
        Assert.Equal(valid, parsed.Valid);
        Assert.Equal(weighted, WeightedLength.Of(text));
    }

    [Fact]
    public void DefaultLimit_IsTheNetworksLimit()
    {
        Assert.Equal(
            [280, 3_000, 63_206, 2_200, 500, 300, 500, 0],
            Enum.GetValues<Channel>().Select(WeightedLength.DefaultLimit));
    }
}
