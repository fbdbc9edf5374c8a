using System.Diagnostics;
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
        Normalized = Normalizer.Normalize(draft.Text, pooled: true, asciiRuns: true);
        ScannedLinks = LinkScanner.Scan(draft.Text);
        TextLinks = scope.AllowedDomains.Count == 0 ? ScannedLinks : NotAllowed(ScannedLinks);
        List<string>? attached = null;
        foreach (var link in draft.Links)
        {
            if (!IsScanned(link) && !(LinkScanner.HostOf(link) is { } host && IsAllowed(host)))
            {
                (attached ??= []).Add(link);
            }
        }

        AttachedLinks = attached is null ? Array.Empty<string>() : attached;

        // NOTE: a range of an indexed timeline is read in place, its columns and link key ids already made, unless it
        // keeps an earlier version of this draft, which must be left out. Which of the two a context holds is told by
        // the type of _timeline, not by more fields: every evaluation makes a context, and its size counts.
        if (timeline is TimelineRange range && !(draft.DraftId is { } draftId && range.Owner.HoldsDraft(draftId)))
        {
            range.EnsureCurrent();
            _columns = range.Owner.Columns;
            _timeline = range;
        }
        else
        {
            var columns = TimelineColumns.Take();
            _timeline = OtherPostsInOrder(timeline, draft.DraftId, columns);
            _columns = columns;
        }
    }

    /// <summary>A sorted array without this draft (columns taken for this context), or a range of an indexed timeline.</summary>
    private readonly IReadOnlyList<TimelineEntry> _timeline;
    private TimelineColumns? _columns;
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
    public IReadOnlyList<string> LinkKeys => _linkKeys ??= MakeLinkKeys(TextLinks, AttachedLinks);

    /// <summary>The link keys when a rule has already made them.</summary>
    internal IReadOnlyList<string>? KnownLinkKeys => _linkKeys;

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
    public ulong Fingerprint => _fingerprint ??= SimHash.OfWords(TextWords.For(Normalized));

    /// <summary>The fingerprint when a rule has already taken it.</summary>
    internal ulong? KnownFingerprint => _fingerprint;

    /// <summary>The account's other posts, oldest first; an earlier version of this draft is left out.</summary>
    public IReadOnlyList<TimelineEntry> Timeline => _timeline;

    /// <summary>
    /// Posts in the order of <see cref="Columns"/>, indexed as <see cref="Window"/> gives them; with an indexed
    /// timeline these are all its posts, of which only those in the range passed are ever in a window.
    /// </summary>
    internal ReadOnlySpan<TimelineEntry> Entries => EntryArray.AsSpan(0, Columns.Count);

    /// <summary>The indexed timeline the range passed belongs to, whose link key ids the columns hold; null otherwise.</summary>
    internal IndexedTimeline? Indexed => (_timeline as TimelineRange)?.Owner;

    private TimelineEntry[] EntryArray => _timeline is TimelineRange range ? range.Owner.Entries : (TimelineEntry[])_timeline;

    /// <summary>The timeline as columns, for rules that count or compare many posts; valid until <see cref="Release"/>.</summary>
    internal TimelineColumns Columns => _columns ?? throw new ObjectDisposedException(nameof(PostContext));

    /// <summary>Gives back the buffers the normalized text and the timeline's columns were kept in, once every rule has run.</summary>
    internal void Release()
    {
        Normalized.Release();
        if (_columns is { } columns)
        {
            _columns = null;
            if (_timeline is not TimelineRange)
            {
                TimelineColumns.Return(columns);
            }
        }
    }

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
        // NOTE: the rules are read by index: an enumerator of the scope's read-only list would be one more object.
        IReadOnlySet<string>? shorteners = null;
        var rules = Scope.Rules;
        for (var r = 0; r < rules.Count; r++)
        {
            if (rules[r].Options is Rules.LinkDropping.ShortenerOptions shortener)
            {
                shorteners = shortener.Shorteners;
                break;
            }
        }

        var links = new List<LinkAnalysis>(ScannedLinks.Count + Draft.Links.Count);
        foreach (var link in ScannedLinks)
        {
            links.Add(new LinkAnalysis(link.Text, link.Span, link.Host, IsShortener(link.Host), IsAllowed(link.Host)));
        }

        foreach (var link in Draft.Links)
        {
            if (!IsScanned(link))
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
            var next = text.AsSpan(i, text.Length - 1 - i).IndexOf(sign);
            if (next < 0)
            {
                break;
            }

            i += next;
            if (i > 0 && (char.IsLetterOrDigit(text[i - 1]) || text[i - 1] == '_'))
            {
                continue;
            }

            if (links is not null && IsInside(links, i))
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

    private static bool IsInside(IReadOnlyList<LinkMatch> links, int index)
    {
        for (var k = 0; k < links.Count; k++)
        {
            var span = links[k].Span;
            if (index >= span.Start && index < span.End)
            {
                return true;
            }
        }

        return false;
    }

    private bool IsScanned(string link)
    {
        foreach (var scanned in ScannedLinks)
        {
            if (string.Equals(scanned.Text, link, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private List<LinkMatch> NotAllowed(IReadOnlyList<LinkMatch> links)
    {
        var kept = new List<LinkMatch>(links.Count);
        foreach (var link in links)
        {
            if (!IsAllowed(link.Host))
            {
                kept.Add(link);
            }
        }

        return kept;
    }

    internal static List<string> MakeLinkKeys(IReadOnlyList<LinkMatch> textLinks, IReadOnlyList<string> attachedLinks)
    {
        var keys = new List<string>(textLinks.Count + attachedLinks.Count);
        for (var i = 0; i < textLinks.Count; i++)
        {
            AddKey(keys, Text.LinkKeys.Of(textLinks[i].Text));
        }

        for (var i = 0; i < attachedLinks.Count; i++)
        {
            AddKey(keys, Text.LinkKeys.Of(attachedLinks[i]));
        }

        return keys;

        static void AddKey(List<string> keys, string key)
        {
            if (!keys.Contains(key))
            {
                keys.Add(key);
            }
        }
    }

    /// <summary>
    /// The timeline oldest first, without an earlier version of this draft, and the same as
    /// <paramref name="columns"/>; storage already returns it sorted.
    /// </summary>
    private static TimelineEntry[] OtherPostsInOrder(IReadOnlyList<TimelineEntry> timeline, string? draftId, TimelineColumns columns)
    {
        // NOTE: the usual timeline is an array, sorted, without this draft: it is used as it is, not copied, and the
        // pass that checks so fills the columns.
        if (timeline is TimelineEntry[] array && columns.TryFillSortedWithout(array, draftId))
        {
            return array;
        }

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
        var ordered = sorted ? entries : [.. entries.OrderBy(e => e.ScheduledAt)];
        var filled = columns.TryFillSortedWithout(ordered, draftId: null);
        Debug.Assert(filled, "The entries were put in order and the draft's were left out.");
        return ordered;
    }

    /// <summary>The other posts scheduled in [at - before, at + after], oldest first, found by binary search.</summary>
    public ReadOnlySpan<TimelineEntry> Around(TimeSpan before, TimeSpan after)
    {
        var (low, high) = Window(before, after);
        return EntryArray.AsSpan(low, high - low);
    }

    /// <summary>
    /// The indexes [low, high) in <see cref="Entries"/> and <see cref="Columns"/> of the other posts scheduled in
    /// [at - before, at + after].
    /// </summary>
    internal (int Low, int High) Window(TimeSpan before, TimeSpan after)
    {
        var columns = Columns;
        var (start, end) = _timeline is TimelineRange range ? (range.Start, range.Start + range.Count) : (0, columns.Count);
        var low = columns.FirstAtOrAfter(start, end, (Draft.ScheduledAt - before).UtcTicks, inclusive: true);
        var high = columns.FirstAtOrAfter(low, end, (Draft.ScheduledAt + after).UtcTicks, inclusive: false);
        return (low, high);
    }
}
