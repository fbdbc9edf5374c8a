using PostGate.Rules.Policy;

namespace PostGate.Rules.Rules.Cadence;

/// <summary>Options of <c>cadence/daily-volume</c>.</summary>
public sealed record DailyVolumeOptions : RuleOptions
{
    /// <summary>Announcements allowed in any rolling 24 hours, this one included. Default 4.</summary>
    public int MaxPosts { get; set; } = 4;

    /// <summary>Above this many the post is held for review. Default 8.</summary>
    public int ReviewAbove { get; set; } = 8;

    /// <summary>Announcements allowed in any rolling 24 hours on one channel. Default 3.</summary>
    public int MaxPostsPerChannel { get; set; } = 3;

    /// <summary>Whether replies to customers count towards the volume. Default false: answering people is never too much.</summary>
    public bool CountReplies { get; set; }

    public override IEnumerable<(string Member, string Reason)> Validate() =>
        [.. Range("maxPosts", MaxPosts, 1, 200), .. Range("reviewAbove", ReviewAbove, MaxPosts, 500), .. Range("maxPostsPerChannel", MaxPostsPerChannel, 1, 200)];

    internal override IReadOnlyCollection<string> Placeholders => ["nth", "count", "max", "scope"];
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

/// <summary>Options of <c>cadence/quiet-hours</c>.</summary>
public sealed record QuietHoursOptions : RuleOptions
{
    /// <summary>Start of the quiet hours, HH:mm in the account's time zone. Default 22:00.</summary>
    public string Start { get; set; } = "22:00";

    /// <summary>End of the quiet hours, HH:mm in the account's time zone. Default 07:00.</summary>
    public string End { get; set; } = "07:00";

    [System.Text.Json.Serialization.JsonIgnore]
    public TimeOnly StartTime { get; private set; } = new(22, 0);

    [System.Text.Json.Serialization.JsonIgnore]
    public TimeOnly EndTime { get; private set; } = new(7, 0);

    public override IEnumerable<(string Member, string Reason)> Validate()
    {
        if (!TryParse(Start, out _))
        {
            yield return ("start", $"must be a time of day as HH:mm (was '{Start}')");
        }

        if (!TryParse(End, out _))
        {
            yield return ("end", $"must be a time of day as HH:mm (was '{End}')");
        }
    }

    public override void Prepare()
    {
        StartTime = TryParse(Start, out var start) ? start : StartTime;
        EndTime = TryParse(End, out var end) ? end : EndTime;
    }

    /// <summary>Whether a local time falls in the quiet hours (which may run over midnight).</summary>
    public bool IsQuiet(TimeOnly local) =>
        StartTime <= EndTime ? local >= StartTime && local < EndTime : local >= StartTime || local < EndTime;

    internal override IReadOnlyCollection<string> Placeholders => ["time", "zone", "start", "end"];

    private static bool TryParse(string? value, out TimeOnly time) =>
        TimeOnly.TryParseExact(value, "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out time);
}

/// <summary>Options of <c>cadence/promotional-share</c>.</summary>
public sealed record PromotionalShareOptions : RuleOptions
{
    /// <summary>How far back to look, in days. Default 7.</summary>
    public int WindowDays { get; set; } = 7;

    /// <summary>Highest share of promotional posts, this one included: the policy's version of the 80/20 rule. Default 0.2.</summary>
    public double MaxShare { get; set; } = 0.2;

    /// <summary>Posts the window needs before the share means anything. Default 5.</summary>
    public int MinPosts { get; set; } = 5;

    /// <summary>Hard-sell score from which a post counts as promotional. Default 3.</summary>
    public int PromotionalAtScore { get; set; } = 3;

    public override IEnumerable<(string Member, string Reason)> Validate() =>
        [.. Range("windowDays", WindowDays, 1, 31), .. Range("maxShare", MaxShare, 0, 1), .. Range("minPosts", MinPosts, 1, 1000), .. Range("promotionalAtScore", PromotionalAtScore, 1, 100)];

    internal override IReadOnlyCollection<string> Placeholders => ["promotional", "total", "days", "percent", "max"];
}

/// <summary>Options of <c>cadence/near-duplicate</c>.</summary>
public sealed record NearDuplicateOptions : RuleOptions
{
    /// <summary>How far back to look, in days. Default 7.</summary>
    public int WindowDays { get; set; } = 7;

    /// <summary>Largest Hamming distance between two 64-bit SimHash fingerprints that still counts as the same text. Default 6.</summary>
    public int MaxDistance { get; set; } = 6;

    public override IEnumerable<(string Member, string Reason)> Validate() =>
        [.. Range("windowDays", WindowDays, 1, 31), .. Range("maxDistance", MaxDistance, 0, 20)];

    internal override IReadOnlyCollection<string> Placeholders => ["when", "days"];
}
