using System.Globalization;
using PostGate.Rules.Tests.TestSupport;
using PostGate.Rules.Text;
using Xunit;

namespace PostGate.Rules.Tests.Text;

/// <summary>
/// X's weighted length against twitter-text's validate.yml: every case of <c>WeightedTweetsCounterTest</c>
/// (configuration v2, no emoji parsing), <c>WeightedTweetsWithDiscountedEmojiCounterTest</c> (v3) and
/// <c>UnicodeDirectionalMarkerCounterTest</c> (v3) is a row, checking the weighted length, validity, permillage and the
/// valid and display ranges.
/// </summary>
public sealed class WeightedLengthConformanceTests
{
    public static TheoryData<string, string, bool, int, bool, int, int, int> WeightedTweets => Cases("WeightedTweetsCounterTest", emojiParsing: false);

    public static TheoryData<string, string, bool, int, bool, int, int, int> DiscountedEmoji => Cases("WeightedTweetsWithDiscountedEmojiCounterTest", emojiParsing: true);

    public static TheoryData<string, string, bool, int, bool, int, int, int> DirectionalMarkers => Cases("UnicodeDirectionalMarkerCounterTest", emojiParsing: true);

    [Theory]
    [MemberData(nameof(WeightedTweets))]
    public void ParseX_WeightedTweetsCounter_AgreesWithTwitterText(string description, string text, bool emojiParsing, int weighted, bool valid, int permillage, int validRangeEnd, int displayRangeEnd)
    {
        Assert.NotNull(description);
        var expected = new XLength(weighted, valid, permillage, validRangeEnd, displayRangeEnd);
        Assert.Equal(expected, WeightedLength.ParseX(text, emojiParsing));
    }

    [Theory]
    [MemberData(nameof(DiscountedEmoji))]
    public void ParseX_WeightedTweetsWithDiscountedEmoji_AgreesWithTwitterText(string description, string text, bool emojiParsing, int weighted, bool valid, int permillage, int validRangeEnd, int displayRangeEnd)
    {
        Assert.NotNull(description);
        var expected = new XLength(weighted, valid, permillage, validRangeEnd, displayRangeEnd);
        Assert.Equal(expected, WeightedLength.ParseX(text, emojiParsing));
        Assert.Equal(expected.Weighted, WeightedLength.Of(text));
    }

    [Theory]
    [MemberData(nameof(DirectionalMarkers))]
    public void ParseX_UnicodeDirectionalMarkerCounter_AgreesWithTwitterText(string description, string text, bool emojiParsing, int weighted, bool valid, int permillage, int validRangeEnd, int displayRangeEnd)
    {
        Assert.NotNull(description);
        var expected = new XLength(weighted, valid, permillage, validRangeEnd, displayRangeEnd);
        Assert.Equal(expected, WeightedLength.ParseX(text, emojiParsing));
    }

    [Fact]
    public void Suite_HasEveryCaseOfTheThreeSections()
    {
        Assert.Equal(20, WeightedTweets.Count);
        Assert.Equal(22, DiscountedEmoji.Count);
        Assert.Equal(2, DirectionalMarkers.Count);
    }

    private static TheoryData<string, string, bool, int, bool, int, int, int> Cases(string section, bool emojiParsing)
    {
        var data = new TheoryData<string, string, bool, int, bool, int, int, int>();
        foreach (var test in TwitterText.ValidateCases(section))
        {
            var expected = (Dictionary<object, object>)test["expected"]!;
            Assert.Equal("0", expected["validRangeStart"]);
            Assert.Equal("0", expected["displayRangeStart"]);
            data.Add(
                (string)test["description"]!,
                (string)test["text"]!,
                emojiParsing,
                Number(expected["weightedLength"]),
                bool.Parse((string)expected["valid"]),
                Number(expected["permillage"]),
                Number(expected["validRangeEnd"]),
                Number(expected["displayRangeEnd"]));
        }

        return data;
    }

    private static int Number(object value) => int.Parse((string)value, CultureInfo.InvariantCulture);
}
