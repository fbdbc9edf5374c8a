using PostGate.Rules.Text;

namespace PostGate.Rules.Engine;

/// <summary>Everything a rule may look at for one draft: the draft, what the engine read from it, and the account's timeline.</summary>
public sealed class PostContext
{
    internal PostContext(Draft draft, IReadOnlyList<TimelineEntry> timeline)
    {
        Draft = draft;
        Normalized = Normalizer.Normalize(draft.Text);
        TextLinks = LinkScanner.Scan(draft.Text);
        var attached = new List<string>();
        foreach (var link in draft.Links)
        {
            if (!TextLinks.Any(l => string.Equals(l.Text, link, StringComparison.OrdinalIgnoreCase)))
            {
                attached.Add(link);
            }
        }

        AttachedLinks = attached;
        Timeline = [.. timeline
            .Where(e => draft.DraftId is null || !string.Equals(e.DraftId, draft.DraftId, StringComparison.Ordinal))
            .OrderBy(e => e.ScheduledAt)];
    }

    public Draft Draft { get; }

    public NormalizedText Normalized { get; }

    /// <summary>Links written in the text, in order.</summary>
    public IReadOnlyList<LinkMatch> TextLinks { get; }

    /// <summary>Links attached outside the text that the text does not repeat.</summary>
    public IReadOnlyList<string> AttachedLinks { get; }

    public int LinkCount => TextLinks.Count + AttachedLinks.Count;

    /// <summary>The account's other posts, oldest first; an earlier version of this draft is left out.</summary>
    public IReadOnlyList<TimelineEntry> Timeline { get; }

    /// <summary>The other posts scheduled in [at - before, at + after].</summary>
    public IEnumerable<TimelineEntry> Around(TimeSpan before, TimeSpan after)
    {
        var from = Draft.ScheduledAt - before;
        var to = Draft.ScheduledAt + after;
        return Timeline.Where(e => e.ScheduledAt >= from && e.ScheduledAt <= to);
    }
}
