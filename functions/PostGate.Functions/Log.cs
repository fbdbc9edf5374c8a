namespace PostGate.Functions;

/// <summary>Source-generated log messages. Never the draft's text: ids, lengths, rule ids and verdicts only.</summary>
internal static partial class Log
{
    // 1xxx: checks
    [LoggerMessage(1001, LogLevel.Information, "Checked draft for account {AccountHash}: verdict {Verdict}, {FindingCount} findings, {TextLength} chars, decision {DecisionId}, preview {Preview}")]
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
}
