namespace PostGate.Functions;

/// <summary>Source-generated log messages. Never the draft's text: ids, lengths, rule ids and verdicts only.</summary>
internal static partial class Log
{
    // 1xxx: checks
    // NOTE: Debug, since every logged check is already a row in the decision log; at Information the console
    // logger cost more CPU per check than the rules.
    [LoggerMessage(1001, LogLevel.Debug, "Checked draft for account {AccountHash}: verdict {Verdict}, {FindingCount} findings, {TextLength} chars, decision {DecisionId}, preview {Preview}")]
    public static partial void Checked(ILogger logger, string accountHash, string verdict, int findingCount, int textLength, string decisionId, bool preview);

    [LoggerMessage(1002, LogLevel.Information, "Rejected check request: {ErrorCount} invalid fields ({Fields})")]
    public static partial void RejectedRequest(ILogger logger, int errorCount, string fields);

    // 2xxx: storage
    [LoggerMessage(2001, LogLevel.Warning, "Decision log unavailable during {Operation}")]
    public static partial void StorageUnavailable(ILogger logger, string operation, Exception exception);

    [LoggerMessage(2002, LogLevel.Warning, "Retrying storage operation {Operation}, attempt {Attempt}, after {Delay}")]
    public static partial void StorageRetry(ILogger logger, string operation, int attempt, TimeSpan delay);

    [LoggerMessage(2003, LogLevel.Information, "Transaction for decision {DecisionId} had already been applied; confirmed by content hash")]
    public static partial void AlreadyLogged(ILogger logger, string decisionId);

    // 3xxx: start-up
    [LoggerMessage(3001, LogLevel.Information, "Policy '{PolicyName}' version {PolicyVersion} loaded")]
    public static partial void PolicyLoaded(ILogger logger, string policyName, string policyVersion);

    // 4xxx: authentication. Never a key, a key hash or the principal header.
    [LoggerMessage(4001, LogLevel.Warning, "Authentication is OFF ({Reason}): every caller is a marketer and compliance officer for every account. Configure PostGate:Auth:Keys to turn it on")]
    public static partial void AuthOpen(ILogger logger, string reason);

    [LoggerMessage(4002, LogLevel.Warning, "PostGate:Auth:Mode is 'open' but identity sources are configured ({KeyCount} API keys, App Service principal trusted: {TrustAppServicePrincipal}); they are enforced")]
    public static partial void AuthOpenIgnored(ILogger logger, int keyCount, bool trustAppServicePrincipal);

    [LoggerMessage(4003, LogLevel.Warning, "No API keys and no trusted App Service principal in environment {Environment}: every route that needs a role answers 401")]
    public static partial void AuthNothingConfigured(ILogger logger, string environment);

    [LoggerMessage(4004, LogLevel.Information, "Authentication: {MarketerKeys} marketer and {ComplianceKeys} compliance API keys, App Service principal trusted: {TrustAppServicePrincipal}")]
    public static partial void AuthConfigured(ILogger logger, int marketerKeys, int complianceKeys, bool trustAppServicePrincipal);

    [LoggerMessage(4101, LogLevel.Information, "{AuthenticationScheme} was not authenticated. Failure message: {FailureMessage}")]
    public static partial void AuthNotAuthenticated(ILogger logger, string authenticationScheme, string failureMessage);

    [LoggerMessage(4102, LogLevel.Information, "AuthenticationScheme: {AuthenticationScheme} was challenged.")]
    public static partial void AuthChallenged(ILogger logger, string authenticationScheme);

    [LoggerMessage(4103, LogLevel.Information, "AuthenticationScheme: {AuthenticationScheme} was forbidden.")]
    public static partial void AuthForbidden(ILogger logger, string authenticationScheme);

    // 5xxx: reviews. Never the reason's text: ids, actions, lengths.
    [LoggerMessage(5001, LogLevel.Information, "Review {ReviewId} ({Action}) appended to decision {DecisionId}: reviewer from {ReviewerSource}, reason {ReasonLength} chars, status {Status}, webhook {Webhook}")]
    public static partial void ReviewAdded(ILogger logger, string reviewId, string action, string decisionId, string reviewerSource, int reasonLength, string status, string webhook);

    [LoggerMessage(5002, LogLevel.Information, "Review ({Action}) of decision {DecisionId} refused: {Outcome}")]
    public static partial void ReviewRefused(ILogger logger, string action, string decisionId, string outcome);

    [LoggerMessage(5003, LogLevel.Warning, "Decision {DecisionId} has a callback URL, but PostGate:Webhooks:Secret is not set: no webhook queued for review {ReviewId}")]
    public static partial void ReviewWebhookDisabled(ILogger logger, string decisionId, string reviewId);

    // 6xxx: webhooks. Never the secret, a signature, or a callback URL's path or query: hosts only.
    [LoggerMessage(6001, LogLevel.Information, "Webhooks are off: PostGate:Webhooks:Secret is not set, so nothing is queued or sent")]
    public static partial void WebhooksOff(ILogger logger);

    [LoggerMessage(6002, LogLevel.Information, "Webhook for review {ReviewId} delivered to {Host} ({Attempts} attempts)")]
    public static partial void WebhookDelivered(ILogger logger, string reviewId, string host, int attempts);

    [LoggerMessage(6003, LogLevel.Warning, "Webhook for review {ReviewId} to {Host} failed after {Attempts} attempts: {Result}")]
    public static partial void WebhookFailed(ILogger logger, string reviewId, string host, int attempts, string result);

    [LoggerMessage(6004, LogLevel.Warning, "Retrying webhook for review {ReviewId}: attempt {Attempt} of this round after {Delay}")]
    public static partial void WebhookRetry(ILogger logger, string reviewId, int attempt, TimeSpan delay);

    [LoggerMessage(6005, LogLevel.Warning, "Webhook for review {ReviewId} refused: {Reason}")]
    public static partial void WebhookRefused(ILogger logger, string reviewId, string reason);

    [LoggerMessage(6006, LogLevel.Warning, "Webhook for review {ReviewId} not sent: PostGate:Webhooks:Secret is not set")]
    public static partial void WebhookNotSent(ILogger logger, string reviewId);

    [LoggerMessage(6007, LogLevel.Information, "Dropped webhook queue entry {ReviewId}: its review was never written")]
    public static partial void WebhookOrphanDropped(ILogger logger, string reviewId);

    [LoggerMessage(6008, LogLevel.Warning, "Webhook delivery of review {ReviewId} interrupted; it stays queued")]
    public static partial void WebhookDeliveryFailed(ILogger logger, string reviewId, Exception exception);

    [LoggerMessage(6009, LogLevel.Warning, "Webhook dispatch round failed; pending deliveries stay queued")]
    public static partial void WebhookRoundFailed(ILogger logger, Exception exception);
}
