using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text.Json.Serialization.Metadata;
using PostGate.Rules.Engine;
using PostGate.Rules.Policy;
using PostGate.Rules.Text;

namespace PostGate.Rules.Rules.LinkDropping;

/// <summary>PG101: flags posts that stack links.</summary>
public sealed class TooManyLinksRule : Rule<TooManyLinksOptions>
{
    public static RuleDescriptor Definition { get; } = RuleDescriptor.Create(
        id: "PG101",
        name: "link-dropping/too-many-links",
        title: "Too many links in one post",
        message: "This post carries {count} links ({quoted}); the policy allows {max}.",
        coaching: "{count} links ask readers to leave in {count} directions. Keep the one that matters most, and say in the post why it is worth their time.",
        action: "Keep one link and say why it matters",
        why: "Links are not content: every extra link sends the reader somewhere else instead of giving them something here.",
        defaultSeverity: Severity.Coach);

    private static readonly FindingFormat<(int Count, int Max, IReadOnlyList<string> Links)> Format = new(
        Definition,
        evidence: null,
        ("count", static v => v.Count),
        ("max", static v => v.Max),
        ("quoted", static v => TemplateValue.Quotes(v.Links)));

    public override RuleDescriptor Descriptor => Definition;

    protected override JsonTypeInfo<TooManyLinksOptions> OptionsTypeInfo => PolicyJsonContext.Default.TooManyLinksOptions;

    protected override void Evaluate(PostContext post, TooManyLinksOptions options, FindingSink sink)
    {
        var count = post.LinkCount;
        if (count <= options.MaxLinks)
        {
            return;
        }

        var severity = FindingSink.SeverityOf(Descriptor, options);
        if (count > options.ReviewAbove && severity < Severity.Review)
        {
            severity = Severity.Review;
        }

        IReadOnlyList<string> links = [.. post.TextLinks.Select(l => l.Text).Concat(post.AttachedLinks)];
        sink.Report(
            Format,
            options,
            severity,
            [.. post.TextLinks.Skip(options.MaxLinks).Select(l => l.Span)],
            evidence: links,
            (count, options.MaxLinks, links));
    }
}

/// <summary>PG102: flags shortened links that hide their destination.</summary>
public sealed class ShortenerRule : Rule<ShortenerOptions>
{
    public static RuleDescriptor Definition { get; } = RuleDescriptor.Create(
        id: "PG102",
        name: "link-dropping/shortener",
        title: "Shortened link hides its destination",
        message: "{quoted} is a shortened link.",
        coaching: "A shortened link hides where it goes, and people hesitate to click what they can't see. Use the full address, or your own domain.",
        action: "Use the full address instead of a short link",
        why: "People trust what they can see; a hidden destination looks like spam and spends the brand's credibility.",
        defaultSeverity: Severity.Coach);

    private static readonly FindingFormat<List<string>> Format = new(
        Definition,
        evidence: null,
        ("quoted", static links => TemplateValue.Quotes(links)),
        ("count", static links => links.Count));

    public override RuleDescriptor Descriptor => Definition;

    protected override JsonTypeInfo<ShortenerOptions> OptionsTypeInfo => PolicyJsonContext.Default.ShortenerOptions;

    protected override void Evaluate(PostContext post, ShortenerOptions options, FindingSink sink)
    {
        List<TextSpan>? spans = null;
        List<string>? evidence = null;
        var links = post.TextLinks;
        for (var i = 0; i < links.Count; i++)
        {
            var link = links[i];
            if (LinkScanner.IsShortener(link.Domain, options.Shorteners))
            {
                (spans ??= []).Add(link.Span);
                (evidence ??= []).Add(link.Text);
            }
        }

        var attached = post.AttachedLinks;
        for (var i = 0; i < attached.Count; i++)
        {
            var link = attached[i];
            var host = LinkScanner.HostOf(link);
            if (host is not null && LinkScanner.IsShortener(host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host, options.Shorteners))
            {
                (evidence ??= []).Add(link);
            }
        }

        if (evidence is null)
        {
            return;
        }

        spans ??= [];

        sink.Report(Format, options, FindingSink.SeverityOf(Descriptor, options), spans, evidence, evidence);
    }
}

/// <summary>PG103: flags a post that is little more than a link.</summary>
public sealed class BareLinkRule : Rule<BareLinkOptions>
{
    public static RuleDescriptor Definition { get; } = RuleDescriptor.Create(
        id: "PG103",
        name: "link-dropping/bare-link",
        title: "A link with almost nothing around it",
        message: "Apart from {quoted}, this post has {words} of the {min} words the policy asks for.",
        coaching: "This post is a link with almost nothing around it. Add a sentence on what the reader will learn or why you're sharing it.",
        action: "Say in a sentence why the link is worth a click",
        why: "A post that says something worth reading on its own earns the click; a bare link asks for it.",
        defaultSeverity: Severity.Coach);

    private static readonly FindingFormat<(int Words, int Min, IReadOnlyList<string> Links)> Format = new(
        Definition,
        evidence: null,
        ("words", static v => v.Words),
        ("min", static v => v.Min),
        ("quoted", static v => TemplateValue.Quotes(v.Links)));

    public override RuleDescriptor Descriptor => Definition;

    protected override JsonTypeInfo<BareLinkOptions> OptionsTypeInfo => PolicyJsonContext.Default.BareLinkOptions;

    protected override void Evaluate(PostContext post, BareLinkOptions options, FindingSink sink)
    {
        if (post.LinkCount == 0)
        {
            return;
        }

        var words = CountWordsOutsideLinks(post, options.MinWords);
        if (words >= options.MinWords)
        {
            return;
        }

        IReadOnlyList<string> links = [.. post.TextLinks.Select(l => l.Text).Concat(post.AttachedLinks)];
        sink.Report(Format, options, FindingSink.SeverityOf(Descriptor, options),
            [.. post.TextLinks.Select(l => l.Span)],
            evidence: links,
            (words, options.MinWords, links));
    }

    // NOTE: every link is left out of the words, allowed domains included: "help.acme.com/reset" is not four words.
    // NOTE: the count stops at enough: the rules only ask whether there are that many, and say how many when not.
    internal static int CountWordsOutsideLinks(PostContext post, int enough = int.MaxValue)
    {
        var text = post.Draft.Text;
        var links = post.ScannedLinks;
        var words = 0;
        var inWord = false;

        // NOTE: the span of the next link that does not end before the current character is kept at hand, and the
        // list read only to move on to the link after it; past the last link the span lies beyond any character.
        // The characters the vectors leave are read one by one.
        var linkIndex = 0;
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // NOTE: thirty-two characters at a time: a bitmap of the letters and digits, the links' characters
            // cleared, and a word counted where a set bit follows a clear one.
            uint before = 0;
            for (; i + 32 <= text.Length && words < enough; i += 32)
            {
                var bits = TextWords.ThirtyTwo(text, i);
                while (linkIndex < links.Count && links[linkIndex].Span.End <= i)
                {
                    linkIndex++;
                }

                for (var k = linkIndex; k < links.Count && links[k].Span.Start < i + 32; k++)
                {
                    var span = links[k].Span;
                    var from = Math.Max(span.Start, i) - i;
                    var to = Math.Min(span.End, i + 32) - i;
                    bits &= ~(uint)(((1UL << to) - 1) & ~((1UL << from) - 1));
                }

                words += BitOperations.PopCount(bits & ~((bits << 1) | before));
                before = bits >> 31;
            }

            if (words >= enough)
            {
                return enough;
            }

            inWord = before != 0;
        }

        var link = linkIndex < links.Count ? links[linkIndex].Span : Beyond;
        for (; i < text.Length && words < enough; i++)
        {
            while (link.End <= i)
            {
                linkIndex++;
                link = linkIndex < links.Count ? links[linkIndex].Span : Beyond;
            }

            var inLink = link.Start <= i;
            var isWordChar = !inLink && char.IsLetterOrDigit(text[i]);
            if (isWordChar && !inWord)
            {
                words++;
            }

            inWord = isWordChar;
        }

        return words;
    }

    /// <summary>A span after every character of any text: no character lies in it, and none after its end.</summary>
    private static readonly TextSpan Beyond = new(int.MaxValue, 0);
}

/// <summary>PG104: flags an account whose posts nearly all carry a link.</summary>
public sealed class LinkEveryPostRule : Rule<LinkEveryPostOptions>
{
    public static RuleDescriptor Definition { get; } = RuleDescriptor.Create(
        id: "PG104",
        name: "link-dropping/link-every-post",
        title: "A link in nearly every post",
        message: "{linked} of the account's {total} posts in {days} days carry a link ({percent}%).",
        coaching: "{linked} of your last {total} posts send people elsewhere. Make this one worth reading on its own: a tip, an answer or a customer's story, with no link.",
        action: "Post something useful without a link",
        why: "A feed that always points elsewhere teaches followers that nothing worth reading happens here.",
        defaultSeverity: Severity.Coach);

    private static readonly FindingFormat<(int Linked, int Total, int Days, int Percent)> Format = new(
        Definition,
        static v => $"{v.Linked}/{v.Total} posts with links in {v.Days} days",
        ("linked", static v => v.Linked),
        ("total", static v => v.Total),
        ("days", static v => v.Days),
        ("percent", static v => v.Percent));

    public override RuleDescriptor Descriptor => Definition;

    protected override JsonTypeInfo<LinkEveryPostOptions> OptionsTypeInfo => PolicyJsonContext.Default.LinkEveryPostOptions;

    protected override void Evaluate(PostContext post, LinkEveryPostOptions options, FindingSink sink)
    {
        if (post.LinkCount == 0)
        {
            return;
        }

        var (low, high) = post.Window(TimeSpan.FromDays(options.WindowDays), TimeSpan.Zero);
        var total = high - low + 1;
        var linked = 1 + post.Columns.CountMarked(low, high, TimelineColumns.Linked);

        if (total < options.MinPosts || linked <= options.MaxShare * total)
        {
            return;
        }

        sink.Report(Format, options, FindingSink.SeverityOf(Descriptor, options),
            [.. post.TextLinks.Select(l => l.Span)],
            (linked, total, options.WindowDays, (int)Math.Round(100.0 * linked / total)));
    }
}

/// <summary>PG105: flags links with tracking parameters piled on.</summary>
public sealed class TrackingParamsRule : Rule<TrackingParamsOptions>
{
    public static RuleDescriptor Definition { get; } = RuleDescriptor.Create(
        id: "PG105",
        name: "link-dropping/tracking-params",
        title: "Tracking parameters piled on",
        message: "{quoted} carries {count} tracking parameters ({params}); the policy allows {max}.",
        coaching: "This link drags a long tracking tail ({params}). People read long tails as being watched; keep the address short and measure with one campaign tag.",
        action: "Trim the tracking tags from the link",
        why: "A link that visibly tracks the reader asks for trust it has not earned.",
        defaultSeverity: Severity.Coach);

    private static readonly FindingFormat<(string Link, List<string> Names, int Max)> Format = new(
        Definition,
        static v => v.Link,
        ("quoted", static v => $"\"{v.Link}\""),
        ("count", static v => v.Names.Count),
        ("max", static v => v.Max),
        ("params", static v => string.Join(", ", v.Names)));

    public override RuleDescriptor Descriptor => Definition;

    protected override JsonTypeInfo<TrackingParamsOptions> OptionsTypeInfo => PolicyJsonContext.Default.TrackingParamsOptions;

    protected override void Evaluate(PostContext post, TrackingParamsOptions options, FindingSink sink)
    {
        var links = post.TextLinks;
        for (var i = 0; i < links.Count; i++)
        {
            var link = links[i];
            if (CountTracking(link.Text, options) <= options.MaxTrackingParams)
            {
                continue;
            }

            var names = TrackingNames(link.Text, options);
            if (names.Count > options.MaxTrackingParams)
            {
                sink.Report(Format, options, FindingSink.SeverityOf(Descriptor, options), [link.Span], (link.Text, names, options.MaxTrackingParams));
            }
        }

        var attached = post.AttachedLinks;
        for (var i = 0; i < attached.Count; i++)
        {
            var link = attached[i];
            if (CountTracking(link, options) <= options.MaxTrackingParams)
            {
                continue;
            }

            var names = TrackingNames(link, options);
            if (names.Count > options.MaxTrackingParams)
            {
                sink.Report(Format, options, FindingSink.SeverityOf(Descriptor, options), [], (link, names, options.MaxTrackingParams));
            }
        }
    }

    /// <summary>How many of <see cref="TrackingNames"/> there are, counted without cutting the link up.</summary>
    internal static int CountTracking(string link, TrackingParamsOptions options)
    {
        var query = link.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return 0;
        }

        var fragment = link.IndexOf('#', query);
        var rest = fragment < 0 ? link.AsSpan(query + 1) : link.AsSpan(query + 1, fragment - query - 1);
        var count = 0;
        foreach (var range in rest.Split('&'))
        {
            var pair = rest[range];
            if (pair.Length == 0)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            if (options.IsTracking(equals < 0 ? pair : pair[..equals]))
            {
                count++;
            }
        }

        return count;
    }

    internal static List<string> TrackingNames(string link, TrackingParamsOptions options)
    {
        var names = new List<string>();
        var query = link.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return names;
        }

        var fragment = link.IndexOf('#', query);
        var text = fragment < 0 ? link[(query + 1)..] : link[(query + 1)..fragment];
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = pair.Split('=', 2)[0];
            if (options.IsTracking(name))
            {
                names.Add(name);
            }
        }

        return names;
    }
}

/// <summary>PG106: flags the same link dropped again and again across the account's recent posts.</summary>
public sealed class RepeatedLinkRule : Rule<RepeatedLinkOptions>
{
    public static RuleDescriptor Definition { get; } = RuleDescriptor.Create(
        id: "PG106",
        name: "link-dropping/repeated-link",
        title: "The same link again and again",
        message: "{quoted} was already in {count} of the account's posts in {days} days.",
        coaching: "{quoted} has gone out {count} times in {days} days. Followers who wanted it have seen it; tell them something new about it, or let it rest.",
        action: "Let the link rest and say something new",
        why: "The same link dropped again and again reads as a campaign, not a conversation.",
        defaultSeverity: Severity.Coach);

    private static readonly FindingFormat<(string Key, int Count, int Days)> Format = new(
        Definition,
        static v => v.Key,
        ("quoted", static v => $"\"{v.Key}\""),
        ("count", static v => v.Count),
        ("days", static v => v.Days));

    public override RuleDescriptor Descriptor => Definition;

    protected override JsonTypeInfo<RepeatedLinkOptions> OptionsTypeInfo => PolicyJsonContext.Default.RepeatedLinkOptions;

    protected override void Evaluate(PostContext post, RepeatedLinkOptions options, FindingSink sink)
    {
        // NOTE: with no earlier post in the window nothing repeats, and the post's own link keys are not needed.
        if (post.LinkCount == 0)
        {
            return;
        }

        var days = TimeSpan.FromDays(options.WindowDays);
        var (low, high) = post.Window(days, days);
        if (low == high)
        {
            return;
        }

        var entries = post.Entries;

        // NOTE: each link's key is written into a buffer and compared with the earlier posts' keys as it stands; the
        // post's own keys are made as strings only for a link that repeats. A link whose key an earlier link of the
        // post has is that link's, already counted; a link written again word for word (a long post repeats its
        // link) is passed over before its key is even written.
        Span<char> buffer = stackalloc char[LinkKeys.BufferLength];
        for (var i = 0; i < post.LinkCount; i++)
        {
            var link = LinkAt(post, i);
            if (WrittenBefore(post, i, link))
            {
                continue;
            }

            var key = LinkKeys.Write(link, buffer);
            if (KeyedBefore(post, i, key))
            {
                continue;
            }

            var count = 0;
            if (post.Indexed is { } indexed)
            {
                count = indexed.KeyLookup.TryGetValue(key, out var id) ? post.Columns.CountKey(id, low, high) : 0;
            }
            else
            {
                for (var k = low; k < high; k++)
                {
                    count += Holds(entries[k].LinkKeys, key) ? 1 : 0;
                }
            }

            if (count <= options.MaxRepeats - 1)
            {
                continue;
            }

            Report(post, options, sink, key, count);
        }
    }

    private void Report(PostContext post, RepeatedLinkOptions options, FindingSink sink, ReadOnlySpan<char> key, int count)
    {
        var keyText = KeyOf(post.LinkKeys, key);
        var spans = new List<TextSpan>();
        Span<char> buffer = stackalloc char[LinkKeys.BufferLength];
        foreach (var link in post.TextLinks)
        {
            if (LinkKeys.Write(link.Text, buffer).SequenceEqual(key))
            {
                spans.Add(link.Span);
            }
        }

        sink.Report(Format, options, FindingSink.SeverityOf(Descriptor, options), spans, (keyText, count, options.WindowDays));
    }

    /// <summary>The post's counted links, text links first, as <see cref="PostContext.LinkKeys"/> takes them.</summary>
    private static string LinkAt(PostContext post, int index) =>
        index < post.TextLinks.Count ? post.TextLinks[index].Text : post.AttachedLinks[index - post.TextLinks.Count];

    private static bool WrittenBefore(PostContext post, int index, string link)
    {
        for (var j = 0; j < index; j++)
        {
            if (string.Equals(LinkAt(post, j), link, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool KeyedBefore(PostContext post, int index, ReadOnlySpan<char> key)
    {
        Span<char> buffer = stackalloc char[LinkKeys.BufferLength];
        for (var j = 0; j < index; j++)
        {
            if (LinkKeys.Write(LinkAt(post, j), buffer).SequenceEqual(key))
            {
                return true;
            }
        }

        return false;
    }

    private static string KeyOf(IReadOnlyList<string> keys, ReadOnlySpan<char> key)
    {
        for (var k = 0; k < keys.Count; k++)
        {
            if (key.SequenceEqual(keys[k]))
            {
                return keys[k];
            }
        }

        throw new InvalidOperationException("A link's key is among the post's keys.");
    }

    /// <summary>Whether <paramref name="keys"/> holds <paramref name="key"/>; the lists storage makes are read without an interface call per key.</summary>
    private static bool Holds(IReadOnlyList<string> keys, ReadOnlySpan<char> key)
    {
        ReadOnlySpan<string> span = keys switch
        {
            string[] array => array,
            List<string> list => CollectionsMarshal.AsSpan(list),
            _ => default,
        };

        if (span.IsEmpty && keys.Count > 0)
        {
            for (var k = 0; k < keys.Count; k++)
            {
                if (keys[k] is { } earlier && key.SequenceEqual(earlier))
                {
                    return true;
                }
            }

            return false;
        }

        foreach (var earlier in span)
        {
            if (earlier is not null && key.SequenceEqual(earlier))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>PG107: flags a link pushed into a reply to a customer who asked a question.</summary>
public sealed class LinkInReplyRule : Rule<LinkInReplyOptions>
{
    public static RuleDescriptor Definition { get; } = RuleDescriptor.Create(
        id: "PG107",
        name: "link-dropping/link-in-reply",
        title: "A link instead of an answer",
        message: "Apart from {quoted}, this reply to a question has {words} of the {min} words an answer needs.",
        coaching: "They asked a question; answer it here first. Add the link only if they need more than the answer.",
        action: "Answer the question before linking",
        why: "Service first: a customer who asked deserves an answer, not homework.",
        defaultSeverity: Severity.Coach);

    private static readonly FindingFormat<(IReadOnlyList<string> Links, int Words, int Min)> Format = new(
        Definition,
        evidence: null,
        ("quoted", static v => TemplateValue.Quotes(v.Links)),
        ("words", static v => v.Words),
        ("min", static v => v.Min));

    public override RuleDescriptor Descriptor => Definition;

    protected override JsonTypeInfo<LinkInReplyOptions> OptionsTypeInfo => PolicyJsonContext.Default.LinkInReplyOptions;

    protected override void Evaluate(PostContext post, LinkInReplyOptions options, FindingSink sink)
    {
        if (!post.Draft.IsReply || post.LinkCount == 0 || post.Draft.InReplyToText is not { } question || !IsQuestion(question))
        {
            return;
        }

        var words = BareLinkRule.CountWordsOutsideLinks(post, options.MinAnswerWords);
        if (words >= options.MinAnswerWords)
        {
            return;
        }

        IReadOnlyList<string> links = [.. post.TextLinks.Select(l => l.Text).Concat(post.AttachedLinks)];
        sink.Report(Format, options, FindingSink.SeverityOf(Descriptor, options),
            [.. post.TextLinks.Select(l => l.Span)],
            evidence: links,
            (links, words, options.MinAnswerWords));
    }

    private static bool IsQuestion(string text) => text.Contains('?', StringComparison.Ordinal) || text.Contains('？', StringComparison.Ordinal);
}
