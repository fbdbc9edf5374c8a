using PostGate.Functions.Contracts;

namespace PostGate.Functions.Storage;

/// <summary>Aggregates over the decision log for the compliance dashboard, computed where the rows are.</summary>
public interface IDecisionStats
{
    /// <summary>
    /// Verdicts per day and top rules over the decisions made in the range, and per account the conversation and
    /// promotional shares of the posts scheduled in it. Without an account: every account with a decision in the range.
    /// <see cref="DecisionStatsResponse.Accounts"/> lists each account with a decision or a post in the range.
    /// </summary>
    Task<DecisionStatsResponse> StatsAsync(DecisionStatsQuery query, CancellationToken cancellationToken);
}
