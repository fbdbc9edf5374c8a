using PostGate.Rules.Engine;

namespace PostGate.Rules.Tests.TestSupport;

/// <summary>Builds drafts with sensible defaults, so a test states only what matters to it.</summary>
internal static class Drafts
{
    /// <summary>The instant every test draft is scheduled at unless it says otherwise.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    public static Draft Post(
        string text,
        string? inReplyTo = null,
        IReadOnlyList<string>? links = null,
        string? draftId = null,
        DateTimeOffset? at = null) =>
        new()
        {
            AccountId = "acct-1",
            Channel = Channel.X,
            Text = text,
            ScheduledAt = at ?? Now,
            InReplyTo = inReplyTo,
            DraftId = draftId,
            Links = links ?? [],
        };

    /// <summary>A reply to a customer message.</summary>
    public static Draft Reply(string text, IReadOnlyList<string>? links = null) =>
        Post(text, inReplyTo: "msg-42", links: links);
}

/// <summary>Builds the account's other posts relative to <see cref="Drafts.Now"/>.</summary>
internal static class Timeline
{
    public static TimelineEntry Broadcast(TimeSpan offset, int links = 0, string? draftId = null) =>
        Entry(offset, PostKind.Broadcast, links, draftId);

    public static TimelineEntry Reply(TimeSpan offset, int links = 0) =>
        Entry(offset, PostKind.Reply, links, draftId: null);

    /// <summary><paramref name="count"/> announcements, one every <paramref name="step"/>, the first at <paramref name="first"/>.</summary>
    public static TimelineEntry[] Broadcasts(int count, TimeSpan first, TimeSpan step, int links = 0) =>
        [.. Enumerable.Range(0, count).Select(i => Broadcast(first + (step * i), links))];

    public static TimeSpan Hours(double hours) => TimeSpan.FromHours(hours);

    public static TimeSpan Minutes(double minutes) => TimeSpan.FromMinutes(minutes);

    public static TimeSpan Days(double days) => TimeSpan.FromDays(days);

    private static TimelineEntry Entry(TimeSpan offset, PostKind kind, int links, string? draftId) =>
        new($"dec-{offset.Ticks}-{kind}", draftId, Drafts.Now + offset, Channel.X, kind, links, 0);
}
