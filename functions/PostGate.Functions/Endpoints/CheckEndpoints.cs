using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PostGate.Functions.Auth;
using PostGate.Functions.Contracts;
using PostGate.Functions.Storage;
using PostGate.Functions.Webhooks;
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

    /// <summary>The category of the check's log lines (the name a typed logger would have).</summary>
    private static readonly string LogCategory = typeof(CheckEndpoints).FullName!;

    public const string IdempotencyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxIdempotencyKeyLength = 200;

    public static RouteGroupBuilder MapCheckEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost("/posts/check", CheckAsync)
            .WithName("CheckPost")
            .RequireAuthorization(AccessPolicies.CheckPosts)
            .WithSummary("Check a draft: verdict, findings with spans, coaching; the decision is logged unless mode=preview.")
            .Accepts<CheckRequestBody>("application/json")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    public static async Task<Results<JsonOk<DecisionResponse>, ValidationProblem, ProblemHttpResult>> CheckAsync(
        HttpContext context,
        IDecisionLog log,
        PolicyHolder policy,
        TimeProvider time,
        IOptions<WebhookOptions> webhooks,
        ILoggerFactory loggers,
        string? mode,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(time);
        var logger = loggers.CreateLogger(LogCategory);
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
        var parsed = CheckRequest.Parse(body, now, webhooks.Value);
        if (!parsed.IsValid)
        {
            Log.RejectedRequest(logger, parsed.Errors.Count, string.Join(' ', parsed.Errors.Keys));
            return Problems.Problems.Invalid(parsed.Errors);
        }

        var draft = parsed.Draft!;
        if (!AccountScope.MayCheck(context.User, draft.AccountId))
        {
            return Problems.Problems.Forbidden("You may not check posts for this account.");
        }

        var idempotency = IdempotencyFor(context.Request, draft, body, preview.Value, out var keyError);
        if (keyError is not null)
        {
            return Problems.Problems.Invalid(IdempotencyHeader, keyError);
        }

        try
        {
            var decisionId = Keys.NewDecisionId(now);
            var windowStart = draft.ScheduledAt - TimelineBefore;
            var windowEnd = draft.ScheduledAt + TimelineAfter;
            DecisionResponse Evaluate(IReadOnlyList<TimelineEntry> timeline, out Evaluation evaluation)
            {
                evaluation = PolicyEngine.Evaluate(draft, timeline, policy.Policy);
                return ToResponse(decisionId, draft, evaluation, now, logged: !preview.Value) with { CallbackUrl = parsed.CallbackUrl };
            }

            Decided Decide(IReadOnlyList<TimelineEntry> timeline)
            {
                var decided = Evaluate(timeline, out var evaluation);
                return new Decided(decided, TimelineEntry.From(decisionId, draft, evaluation));
            }

            DecisionResponse decision;
            if (preview.Value)
            {
                // NOTE: a preview adds nothing to the timeline, so its entry (link keys, fingerprint) is not made; it is
                // decided on the account's timeline as the log lends it, in place.
                decision = await log.UseTimelineAsync(draft.AccountId, windowStart, windowEnd, timeline => Evaluate(timeline, out _), cancellationToken);
            }
            else
            {
                // NOTE: a retried request is recognised by its idempotency row, which the transaction inserts: the
                // earlier decision comes back without a read ahead of every check.
                var result = await log.DecideAsync(draft.AccountId, windowStart, windowEnd, idempotency, Decide, cancellationToken);
                if (result.Outcome != AppendOutcome.Logged)
                {
                    return Replay(context, result.Decision, result.Outcome == AppendOutcome.Replayed);
                }

                decision = result.Decision;
            }

            if (logger.IsEnabled(LogLevel.Debug))
            {
                Log.Checked(logger, AccountHash(draft.AccountId), decision.Verdict, decision.Findings.Count, draft.Text.Length, decisionId, preview.Value);
            }

            return Answer(decision);
        }
        catch (StorageUnavailableException)
        {
            return Problems.Problems.StorageUnavailable(context, RetryAfterSeconds);
        }
    }

    /// <summary>
    /// The request's idempotency key: the Idempotency-Key header, else the draft id with a hash of the body, so a
    /// retried request finds its decision and a re-check of the draft with new text is a new decision.
    /// </summary>
    internal static IdempotencyKey? IdempotencyFor(HttpRequest request, Draft draft, byte[] body, bool preview, out string? error)
    {
        error = null;
        var header = request.Headers[IdempotencyHeader];
        if (header.Count > 1)
        {
            error = "must be sent once.";
            return null;
        }

        if (header.Count == 1)
        {
            var key = header[0] ?? string.Empty;
            if (key.Length is 0 or > MaxIdempotencyKeyLength || key.Any(c => c < 0x21 || c > 0x7E))
            {
                error = $"must be 1 to {MaxIdempotencyKeyLength} visible ASCII characters.";
                return null;
            }
        }

        // NOTE: a preview logs nothing, so it has nothing to replay; its key is checked, never used.
        if (preview)
        {
            return null;
        }

        var bodyHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body));
        if (header.Count == 1)
        {
            return new IdempotencyKey("key:" + header[0], bodyHash);
        }

        return draft.DraftId is { } draftId ? new IdempotencyKey("draft:" + draftId + ":" + bodyHash, bodyHash) : null;
    }

    private static Results<JsonOk<DecisionResponse>, ValidationProblem, ProblemHttpResult> Replay(HttpContext context, DecisionResponse earlier, bool sameBody)
    {
        if (!sameBody)
        {
            return TypedResults.Problem(
                detail: "This Idempotency-Key was already used with a different request body. Use a new key for a new request.",
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Idempotency key reused.",
                type: Problems.ProblemTypes.IdempotencyKeyReused);
        }

        context.Response.Headers[ReplayedHeader] = "true";
        return Answer(earlier);
    }

    /// <summary>
    /// The decision as the writer sees it: shadow findings are logged for whoever rolls out the rule, never shown. It
    /// is written with an encoder that escapes only what JSON requires ('"', '\' and control characters), so quotes,
    /// apostrophes and text beyond ASCII go out as they are rather than as <c>\uXXXX</c>: the answer is
    /// <c>application/json</c> for API clients, never put into a page. Stored rows and other routes keep the default.
    /// </summary>
    private static JsonOk<DecisionResponse> Answer(DecisionResponse decision) =>
        new(decision with { ShadowFindings = [] }, ApiJsonContext.Default.DecisionResponse, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);

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
