using PostGate.Rules.Policy;
using PostGate.Rules.Text;

namespace PostGate.Rules.Engine;

/// <summary>Everything a rule may look at for one draft: the draft, what the engine read from it, and the account's timeline.</summary>
public sealed class PostContext
{
    internal PostContext(Draft draft, IReadOnlyList<TimelineEntry> timeline, PolicyScope scope)
    {
        Draft = draft;
        Scope = scope;
        Normalized = Normalizer.Normalize(draft.Text);
        ScannedLinks = LinkScanner.Scan(draft.Text);
        TextLinks = scope.AllowedDomains.Count == 0 ? ScannedLinks : [.. ScannedLinks.Where(l => !IsAllowed(l.Host))];
        var attached = new List<string>();
        foreach (var link in draft.Links)
        {
            if (!ScannedLinks.Any(l => string.Equals(l.Text, link, StringComparison.OrdinalIgnoreCase))
                && !(LinkScanner.HostOf(link) is { } host && IsAllowed(host)))
            {
                attached.Add(link);
            }
        }

        AttachedLinks = attached;
        Timeline = OtherPostsInOrder(timeline, draft.DraftId);
    }

    private IReadOnlyList<string>? _linkKeys;
    private ChannelLength? _length;
    private bool _lengthMeasured;
    private ulong? _fingerprint;

    public Draft Draft { get; }

    /// <summary>The policy as it applies to this account and channel.</summary>
    public PolicyScope Scope { get; }

    public NormalizedText Normalized { get; }

    /// <summary>Every link written in the text, in order, allowed domains included.</summary>
    public IReadOnlyList<LinkMatch> ScannedLinks { get; }

    /// <summary>Links written in the text that the link rules count: those not on the account's allowed domains.</summary>
    public IReadOnlyList<LinkMatch> TextLinks { get; }

    /// <summary>Links attached outside the text that the text does not repeat, allowed domains left out.</summary>
    public IReadOnlyList<string> AttachedLinks { get; }

    public int LinkCount => TextLinks.Count + AttachedLinks.Count;

    /// <summary>The counted links as keys (host and path), distinct, for comparing with earlier posts.</summary>
    public IReadOnlyList<string> LinkKeys => _linkKeys ??= [.. TextLinks.Select(l => Text.LinkKeys.Of(l.Text)).Concat(AttachedLinks.Select(Text.LinkKeys.Of)).Distinct(StringComparer.Ordinal)];

    /// <summary>The post's length in its channel's own measure and the channel's default limit; null for <c>other</c>. Measured once.</summary>
    public ChannelLength? Length
    {
        get
        {
            if (!_lengthMeasured)
            {
                _length = WeightedLength.Measure(Draft.Text, Draft.Channel);
                _lengthMeasured = true;
            }

            return _length;
        }
    }

    /// <summary>SimHash of the normalized text; 0 for posts too short to compare.</summary>
    public ulong Fingerprint => _fingerprint ??= SimHash.Of(Normalized.Text);

    /// <summary>The account's other posts, oldest first; an earlier version of this draft is left out.</summary>
    public IReadOnlyList<TimelineEntry> Timeline { get; }

    /// <summary>Whether a host is one of the allowed domains or below one (help.acme.com under acme.com).</summary>
    public bool IsAllowed(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var domain = host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host;
        while (true)
        {
            if (Scope.AllowedDomains.Contains(domain))
            {
                return true;
            }

            var dot = domain.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                return false;
            }

            domain = domain[(dot + 1)..];
        }
    }

    internal Analysis Analyze(HardSellAnalysis hardSell)
    {
        var shorteners = Scope.Rules.Select(r => r.Options).OfType<Rules.LinkDropping.ShortenerOptions>().FirstOrDefault()?.Shorteners;
        var links = new List<LinkAnalysis>(ScannedLinks.Count + Draft.Links.Count);
        foreach (var link in ScannedLinks)
        {
            links.Add(new LinkAnalysis(link.Text, link.Span, link.Host, IsShortener(link.Host), IsAllowed(link.Host)));
        }

        foreach (var link in Draft.Links)
        {
            if (!ScannedLinks.Any(l => string.Equals(l.Text, link, StringComparison.OrdinalIgnoreCase)))
            {
                var host = LinkScanner.HostOf(link);
                links.Add(new LinkAnalysis(link, null, host, host is not null && IsShortener(host), host is not null && IsAllowed(host)));
            }
        }

        return new Analysis(links, LinkCount, CountTags(Draft.Text, '@', ScannedLinks), CountTags(Draft.Text, '#', ScannedLinks), hardSell)
        {
            Length = Length,
        };

        bool IsShortener(string host) =>
            shorteners is not null && LinkScanner.IsShortener(host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host, shorteners);
    }

    /// <summary>
    /// Counts @mentions or #hashtags: the sign after a non-word character, then a name with a letter or digit.
    /// Signs inside <paramref name="links"/> (medium.com/@acme, acme.com/#pricing) are part of the link.
    /// </summary>
    internal static int CountTags(string text, char sign, IReadOnlyList<LinkMatch>? links = null)
    {
        var count = 0;
        for (var i = 0; i < text.Length - 1; i++)
        {
            if (text[i] != sign || (i > 0 && (char.IsLetterOrDigit(text[i - 1]) || text[i - 1] == '_')))
            {
                continue;
            }

            if (links is not null && links.Any(l => i >= l.Span.Start && i < l.Span.End))
            {
                continue;
            }

            var j = i + 1;
            var letters = 0;
            while (j < text.Length && (char.IsLetterOrDigit(text[j]) || text[j] == '_'))
            {
                if (char.IsLetter(text[j]) || sign == '@')
                {
                    letters++;
                }

                j++;
            }

            if (letters > 0)
            {
                count++;
                i = j - 1;
            }
        }

        return count;
    }

    /// <summary>The timeline oldest first, without an earlier version of this draft; storage already returns it sorted.</summary>
    private static TimelineEntry[] OtherPostsInOrder(IReadOnlyList<TimelineEntry> timeline, string? draftId)
    {
        var entries = new TimelineEntry[timeline.Count];
        var count = 0;
        var sorted = true;
        foreach (var entry in timeline)
        {
            if (draftId is not null && string.Equals(entry.DraftId, draftId, StringComparison.Ordinal))
            {
                continue;
            }

            sorted &= count == 0 || entries[count - 1].ScheduledAt <= entry.ScheduledAt;
            entries[count++] = entry;
        }

        Array.Resize(ref entries, count);

        // NOTE: OrderBy is stable, so entries at the same instant keep the order storage gave them.
        return sorted ? entries : [.. entries.OrderBy(e => e.ScheduledAt)];
    }

    /// <summary>The other posts scheduled in [at - before, at + after], oldest first, found by binary search.</summary>
    public ReadOnlySpan<TimelineEntry> Around(TimeSpan before, TimeSpan after)
    {
        var entries = (TimelineEntry[])Timeline;
        var from = Draft.ScheduledAt - before;
        var to = Draft.ScheduledAt + after;
        var low = FirstAtOrAfter(entries, from);
        var high = low;
        while (high < entries.Length && entries[high].ScheduledAt <= to)
        {
            high++;
        }

        return entries.AsSpan(low, high - low);
    }

    private static int FirstAtOrAfter(TimelineEntry[] entries, DateTimeOffset at)
    {
        int low = 0, high = entries.Length;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (entries[middle].ScheduledAt < at)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
