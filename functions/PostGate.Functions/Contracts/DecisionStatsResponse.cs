namespace PostGate.Functions.Contracts;

/// <summary>
/// What the dashboard draws for a range: verdicts per day of decision, the rules that fired most, and per account
/// the share of conversation (replies) and of promotional posts per day of schedule, as the cadence rules count them.
/// </summary>
public sealed record DecisionStatsResponse(
    string? AccountId,
    DateTimeOffset From,
    DateTimeOffset To,
    int Decisions,
    IReadOnlyList<VerdictDayResponse> VerdictsPerDay,
    IReadOnlyList<RuleCountResponse> TopRules,
    IReadOnlyList<AccountShareResponse> Accounts);

/// <summary>Decisions made on one UTC day (<c>yyyy-MM-dd</c>), by verdict. Every day of the range is listed.</summary>
public sealed record VerdictDayResponse(string Day, int Allow, int Coach, int Review, int Block);

/// <summary>How many decisions in the range had at least one finding of the rule.</summary>
public sealed record RuleCountResponse(string RuleId, string Rule, string Title, int Decisions);

/// <summary>
/// One account with a decision made or a post scheduled in the range: its decisions, its posts and, per day with
/// posts, the two shares.
/// </summary>
public sealed record AccountShareResponse(string AccountId, int Decisions, int Posts, int Replies, int Promotional, IReadOnlyList<ShareDayResponse> Days);

/// <summary>
/// Posts scheduled on one UTC day: <c>conversationShare</c> is replies over posts, <c>promotionalShare</c> promotional
/// posts (hard-sell score at or above the policy's mark) over posts, both from 0 to 1.
/// </summary>
public sealed record ShareDayResponse(string Day, int Posts, int Replies, int Promotional, double ConversationShare, double PromotionalShare);

/// <summary>An account's timeline around a time: what the cadence rules saw when they judged a post.</summary>
public sealed record TimelineResponse(string AccountId, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<TimelineEntryResponse> Entries);

/// <summary>A post on an account's timeline, oldest first. <c>kind</c> is <c>broadcast</c> or <c>reply</c>.</summary>
public sealed record TimelineEntryResponse(
    string DecisionId,
    string? DraftId,
    DateTimeOffset ScheduledAt,
    string Channel,
    string Kind,
    int LinkCount,
    int HardSellScore,
    bool Promotional);

/// <summary>
/// The caller as the gate sees them: whether the credentials sent (if any) were accepted, and then the name, roles,
/// accounts (marketers; <c>*</c> for all) and how they signed in (<c>ApiKey</c>, <c>AppService</c> or <c>Open</c>).
/// </summary>
public sealed record WhoAmIResponse(bool SignedIn, string? Name, IReadOnlyList<string> Roles, IReadOnlyList<string> Accounts, string? Authentication);
