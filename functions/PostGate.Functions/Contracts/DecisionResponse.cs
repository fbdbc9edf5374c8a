using System.Text.Json.Serialization;

namespace PostGate.Functions.Contracts;

/// <summary>A stretch of the draft's text, in UTF-16 code units from the start.</summary>
public sealed record SpanResponse(int Start, int Length);

/// <summary>One finding as the API shows it. <c>mode</c> is <c>enforce</c> (sets the verdict), <c>warn</c> or <c>shadow</c>.</summary>
public sealed record FindingResponse(
    string RuleId,
    string Rule,
    string Severity,
    string Message,
    string Coaching,
    IReadOnlyList<SpanResponse> Spans,
    IReadOnlyList<string> Evidence,
    string Mode = "enforce");

/// <summary>A link the gate found; attached links have no span.</summary>
public sealed record LinkResponse(string Text, SpanResponse? Span, string? Host, bool Shortener, bool Allowed);

/// <summary>The post's length in its channel's measure and the channel's limit.</summary>
public sealed record LengthResponse(int Length, int Limit, string Unit);

/// <summary>The hard-sell score and its parts by category.</summary>
public sealed record HardSellResponse(int Score, IReadOnlyDictionary<string, int> Parts);

/// <summary>What the gate saw in the draft.</summary>
public sealed record AnalysisResponse(
    IReadOnlyList<LinkResponse> Links,
    int CountedLinks,
    int Mentions,
    int Hashtags,
    LengthResponse? Length,
    HardSellResponse HardSell);

/// <summary>The draft as it was checked.</summary>
public sealed record DraftResponse(
    string AccountId,
    string Channel,
    string Text,
    DateTimeOffset ScheduledAt,
    string? DraftId,
    string? Author,
    string? Campaign,
    string? InReplyTo,
    IReadOnlyList<string> Links,
    int MediaCount,
    string? InReplyToText = null);

/// <summary>
/// The answer to a check, and a logged decision read back. <c>review</c> is derived on read (never stored with the
/// decision, so it is outside the hash chain); <c>callbackUrl</c> is stored with the decision.
/// </summary>
public sealed record DecisionResponse(
    string DecisionId,
    string AccountId,
    string? DraftId,
    string Verdict,
    IReadOnlyList<FindingResponse> Findings,
    IReadOnlyList<string> Summary,
    string PolicyVersion,
    DateTimeOffset DecidedAt,
    bool Logged,
    DraftResponse Draft,
    AnalysisResponse? Analysis = null,
    IReadOnlyList<FindingResponse>? ShadowFindings = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CallbackUrl = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ReviewStatusResponse? Review = null);

/// <summary>A page of decisions, newest first.</summary>
public sealed record DecisionPageResponse(IReadOnlyList<DecisionResponse> Items, string? ContinuationToken);

/// <summary>The active policy.</summary>
public sealed record PolicyResponse(string Name, string Version, IReadOnlyList<PolicyRuleResponse> Rules);

public sealed record PolicyRuleResponse(string Id, string Name, string Title, string Severity, string Help);

public sealed record HealthResponse(string Status, string PolicyVersion);
