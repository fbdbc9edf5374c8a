using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using PostGate.Rules.Engine;
using PostGate.Rules.Policy;
using PostGate.Rules.Text;

namespace PostGate.Rules.Rules.ChannelFit;

/// <summary>PG401: flags a post longer than its network accepts.</summary>
public sealed class ChannelFitRule : Rule<ChannelFitOptions>
{
    /// <summary>What to do when the post is an announcement: cut it.</summary>
    public const string CutAdvice = "Cut it to the one point that matters most; a short post gets read to the end.";

    /// <summary>What to do when the post answers someone: finish the answer in a second reply.</summary>
    public const string SplitAdvice = "Answer their question in this reply and put the rest in a second one.";

    private const int QuoteWords = 4;
    private const int QuoteLength = 32;

    public static RuleDescriptor Definition { get; } = RuleDescriptor.Create(
        id: "PG401",
        name: "channel-fit/too-long",
        title: "Too long for the channel",
        message: "This post is {length} characters as {channel} counts them; {channel} takes {limit}.",
        coaching: "{channel} refuses posts this long: from {quoted} on, it is {over} characters too many. {advice}",
        action: "Shorten the post to fit the channel",
        why: "A network refuses a post over its length limit, so it reaches no one; a post that fits says one thing well.",
        defaultSeverity: Severity.Block);

    private static readonly FindingFormat<(ChannelLength Measured, int Limit, Channel Channel, string Text, int OverflowAt, bool Reply)> Format = new(
        Definition,
        static v => string.Create(CultureInfo.InvariantCulture, $"{v.Measured.Length}/{v.Limit} {v.Measured.Unit}"),
        ("length", static v => v.Measured.Length),
        ("limit", static v => v.Limit),
        ("over", static v => v.Measured.Length - v.Limit),
        ("channel", static v => DisplayName(v.Channel)),
        ("quoted", static v => Quote(v.Text, v.OverflowAt)),
        ("advice", static v => v.Reply ? SplitAdvice : CutAdvice));

    public override RuleDescriptor Descriptor => Definition;

    protected override JsonTypeInfo<ChannelFitOptions> OptionsTypeInfo => PolicyJsonContext.Default.ChannelFitOptions;

    protected override void Evaluate(PostContext post, ChannelFitOptions options, FindingSink sink)
    {
        var channel = post.Draft.Channel;
        var limit = options.Limits.For(channel);
        if (limit <= 0)
        {
            return;
        }

        // NOTE: the length is measured once per post (the analysis block shows it too); only a post that does not
        // fit is measured again, to find where it overflows.
        if (post.Length is { } known && known.Length <= limit)
        {
            return;
        }

        var text = post.Draft.Text;
        var measured = WeightedLength.Measure(text, channel, limit, out var overflowAt);
        if (measured.Length <= limit || overflowAt < 0)
        {
            return;
        }

        // NOTE: threads are for conversation. A reply may go on in a second reply; an announcement that does not fit
        // has more than one thing to say, and is cut rather than spread over a thread nobody asked for.
        sink.Report(
            Format,
            options,
            FindingSink.SeverityOf(Descriptor, options),
            [new TextSpan(overflowAt, text.Length - overflowAt)],
            (measured, limit, channel, text, overflowAt, post.Draft.IsReply));
    }

    /// <summary>The network's name as people write it.</summary>
    internal static string DisplayName(Channel channel) => channel switch
    {
        Channel.X => "X",
        Channel.LinkedIn => "LinkedIn",
        Channel.Facebook => "Facebook",
        Channel.Instagram => "Instagram",
        Channel.Threads => "Threads",
        Channel.Bluesky => "Bluesky",
        Channel.Mastodon => "Mastodon",
        _ => "This network",
    };

    /// <summary>
    /// The first words past the limit, in double quotes: from the start of the word the limit falls in, at most four
    /// words or about 32 characters, with "…" when the post goes on.
    /// </summary>
    internal static string Quote(string text, int overflowAt)
    {
        var start = overflowAt;
        while (start > 0 && !char.IsWhiteSpace(text[start - 1]) && overflowAt - start < QuoteLength)
        {
            start--;
        }

        var end = start;
        var words = 0;
        while (end < text.Length && words < QuoteWords && end - start < QuoteLength)
        {
            while (end < text.Length && char.IsWhiteSpace(text[end]) && text[end] != '\n')
            {
                end++;
            }

            if (end >= text.Length || text[end] == '\n')
            {
                break;
            }

            while (end < text.Length && !char.IsWhiteSpace(text[end]) && end - start < QuoteLength)
            {
                end++;
            }

            words++;
        }

        if (end < text.Length && char.IsLowSurrogate(text[end]) && end > start)
        {
            end--;
        }

        var quoted = text[start..end].TrimEnd();
        return end < text.Length && !string.IsNullOrWhiteSpace(text[end..]) ? $"\"{quoted}…\"" : $"\"{quoted}\"";
    }
}
