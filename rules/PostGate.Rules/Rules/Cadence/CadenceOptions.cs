using PostGate.Rules.Policy;

namespace PostGate.Rules.Rules.Cadence;

/// <summary>Options of <c>cadence/daily-volume</c>.</summary>
public sealed record DailyVolumeOptions : RuleOptions
{
    /// <summary>Announcements allowed in any rolling 24 hours, this one included. Default 4.</summary>
    public int MaxPosts { get; set; } = 4;

    /// <summary>Above this many the post is held for review. Default 8.</summary>
    public int ReviewAbove { get; set; } = 8;

    /// <summary>Whether replies to customers count towards the volume. Default false: answering people is never too much.</summary>
    public bool CountReplies { get; set; }

    public override IEnumerable<(string Member, string Reason)> Validate() =>
        [.. Range("maxPosts", MaxPosts, 1, 200), .. Range("reviewAbove", ReviewAbove, MaxPosts, 500)];

    internal override IReadOnlyCollection<string> Placeholders => ["nth", "count", "max"];
}

/// <summary>Options of <c>cadence/spacing</c>.</summary>
public sealed record SpacingOptions : RuleOptions
{
    /// <summary>Minutes between two announcements. Default 60.</summary>
    public int MinMinutes { get; set; } = 60;

    public override IEnumerable<(string Member, string Reason)> Validate() => Range("minMinutes", MinMinutes, 1, 24 * 60);

    internal override IReadOnlyCollection<string> Placeholders => ["minutes", "min"];
}

/// <summary>Options of <c>cadence/no-conversation</c>.</summary>
public sealed record NoConversationOptions : RuleOptions
{
    /// <summary>How far back to look, in days. Default 7.</summary>
    public int WindowDays { get; set; } = 7;

    /// <summary>Lowest share of replies to customers among the account's posts in the window. Default 0.2.</summary>
    public double MinReplyShare { get; set; } = 0.2;

    /// <summary>Posts the window needs before the share means anything. Default 5.</summary>
    public int MinPosts { get; set; } = 5;

    public override IEnumerable<(string Member, string Reason)> Validate() =>
        [.. Range("windowDays", WindowDays, 1, 31), .. Range("minReplyShare", MinReplyShare, 0, 1), .. Range("minPosts", MinPosts, 1, 1000)];

    internal override IReadOnlyCollection<string> Placeholders => ["broadcasts", "replies", "days"];
}
