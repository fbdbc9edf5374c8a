using Microsoft.AspNetCore.Http.HttpResults;
using PostGate.Functions.Contracts;
using PostGate.Functions.Storage;
using PostGate.Rules.Engine;

namespace PostGate.Functions.Endpoints;

/// <summary><c>POST /api/posts/check</c>: evaluate a draft, log the decision, answer with verdict and coaching.</summary>
public static class CheckEndpoints
{
    /// <summary>How far back the cadence rules look.</summary>
    public static readonly TimeSpan TimelineBefore = TimeSpan.FromDays(7);

    /// <summary>How far ahead of the post the cadence rules look (posts already scheduled later).</summary>
    public static readonly TimeSpan TimelineAfter = TimeSpan.FromDays(1);

    public const int RetryAfterSeconds = 5;

    public static RouteGroupBuilder MapCheckEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost("/posts/check", CheckAsync).WithName("CheckPost");
        return api;
    }

    public static async Task<Results<Ok<DecisionResponse>, ValidationProblem, ProblemHttpResult>> CheckAsync(
        HttpContext context,
        IDecisionLog log,
        PolicyHolder policy,
        TimeProvider time,
        ILoggerFactory loggers,
        string? mode,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(time);
        var logger = loggers.CreateLogger(typeof(CheckEndpoints));
        var preview = mode switch
        {
            null or "" or "log" => false,
            "preview" => true,
            _ => (bool?)null,
        };
        if (preview is null)
        {
            return Problems.Problems.Invalid("mode", $"must be 'preview' or left out (was '{mode}').");
        }

        if (!RequestReading.IsJson(context.Request))
        {
            return Problems.Problems.UnsupportedMediaType();
        }

        var body = await RequestReading.ReadCappedAsync(context.Request, CheckRequest.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Problems.Problems.Invalid(string.Empty, $"The body must be at most {CheckRequest.MaxBodyBytes} bytes.");
        }

        var now = time.GetUtcNow();
        var parsed = CheckRequest.Parse(body, now);
        if (!parsed.IsValid)
        {
            Log.RejectedRequest(logger, parsed.Errors.Count, string.Join(' ', parsed.Errors.Keys));
            return Problems.Problems.Invalid(parsed.Errors);
        }

        var draft = parsed.Draft!;
        try
        {
            var timeline = await log.ReadTimelineAsync(
                draft.AccountId, draft.ScheduledAt - TimelineBefore, draft.ScheduledAt + TimelineAfter, cancellationToken);
            var evaluation = PolicyEngine.Evaluate(draft, timeline, policy.Policy);
            var decisionId = Keys.NewDecisionId(now);
            var decision = ToResponse(decisionId, draft, evaluation, now, logged: !preview.Value);
            if (!preview.Value)
            {
                await log.AppendAsync(decision, TimelineEntry.From(decisionId, draft, evaluation), cancellationToken);
            }

            // NOTE: shadow findings are logged for whoever rolls out the rule, never shown to the writer.
            decision = decision with { ShadowFindings = [] };

            Log.Checked(logger, AccountHash(draft.AccountId), decision.Verdict, decision.Findings.Count, draft.Text.Length, decisionId, preview.Value);
            return TypedResults.Ok(decision);
        }
        catch (StorageUnavailableException)
        {
            return Problems.Problems.StorageUnavailable(context, RetryAfterSeconds);
        }
    }

    internal static DecisionResponse ToResponse(string decisionId, Draft draft, Evaluation evaluation, DateTimeOffset decidedAt, bool logged) =>
        new(
            DecisionId: decisionId,
            AccountId: draft.AccountId,
            DraftId: draft.DraftId,
            Verdict: evaluation.Verdict.ToWire(),
            Findings: [.. evaluation.Findings.Select(ToResponse)],
            Summary: evaluation.Summary,
            PolicyVersion: evaluation.PolicyVersion,
            DecidedAt: decidedAt,
            Logged: logged,
            Draft: new DraftResponse(
                draft.AccountId,
                draft.Channel.ToWire(),
                draft.Text,
                draft.ScheduledAt,
                draft.DraftId,
                draft.Author,
                draft.Campaign,
                draft.InReplyTo,
                draft.Links,
                draft.MediaCount,
                draft.InReplyToText),
            Analysis: ToResponse(evaluation.Analysis),
            ShadowFindings: [.. evaluation.ShadowFindings.Select(ToResponse)]);

    private static FindingResponse ToResponse(Finding finding) =>
        new(
            finding.RuleId,
            finding.Rule,
            finding.Severity.ToWire(),
            finding.Message,
            finding.Coaching,
            [.. finding.Spans.Select(s => new SpanResponse(s.Start, s.Length))],
            finding.Evidence,
            finding.Mode.ToWire());

    private static AnalysisResponse ToResponse(Analysis analysis) =>
        new(
            [.. analysis.Links.Select(l => new LinkResponse(
                l.Text,
                l.Span is { } span ? new SpanResponse(span.Start, span.Length) : null,
                l.Host,
                l.Shortener,
                l.Allowed))],
            analysis.CountedLinks,
            analysis.Mentions,
            analysis.Hashtags,
            analysis.Length is { } length ? new LengthResponse(length.Length, length.Limit, length.Unit) : null,
            new HardSellResponse(analysis.HardSell.Score, analysis.HardSell.Parts));

    /// <summary>A short, stable stand-in for an account id in logs.</summary>
    private static string AccountHash(string accountId) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(accountId)).AsSpan(0, 6));
}
