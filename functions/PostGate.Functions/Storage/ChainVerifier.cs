using Azure.Data.Tables;

namespace PostGate.Functions.Storage;

/// <summary>Checks an account's hash chain: every decision's content, its link to the one before, and the head.</summary>
public static class ChainVerifier
{
    public static ChainReport Verify(string accountId, IReadOnlyList<TableEntity> decisionRows, TableEntity? head)
    {
        ArgumentNullException.ThrowIfNull(decisionRows);
        var ordered = decisionRows
            .Select(row => (Row: row, Sequence: row.GetInt64("Sequence") ?? 0))
            .OrderBy(x => x.Sequence)
            .ToList();
        var previousHash = string.Empty;
        long expected = 1;
        foreach (var (row, sequence) in ordered)
        {
            var decisionId = row.GetString("DecisionId");
            if (sequence != expected)
            {
                return Broken(sequence == 0 ? expected : Math.Min(sequence, expected), decisionId,
                    sequence == 0 ? "the decision has no place in the chain" : $"sequence {expected} is missing; found {sequence}");
            }

            if (row.GetString("PreviousHash") != previousHash)
            {
                return Broken(sequence, decisionId, "its link to the previous decision does not match");
            }

            var contentHash = DecisionEntity.EntityHash(row);
            if (row.GetString("ContentHash") != contentHash)
            {
                return Broken(sequence, decisionId, "its content was changed after it was logged");
            }

            var hash = DecisionEntity.ChainHash(previousHash, sequence, contentHash);
            if (row.GetString("Hash") != hash)
            {
                return Broken(sequence, decisionId, "its chain hash does not match its content and link");
            }

            previousHash = hash;
            expected++;
        }

        var count = expected - 1;
        if (head is null)
        {
            return count == 0
                ? new ChainReport(accountId, true, 0, null, null)
                : Broken(count, null, "the chain head is missing");
        }

        if (head.GetInt64("Sequence") != count || head.GetString("Hash") != previousHash)
        {
            return Broken(count + 1, head.GetString("DecisionId"), "the chain head does not match the last decision; a decision may have been removed");
        }

        return new ChainReport(accountId, true, count, previousHash, null);

        ChainReport Broken(long at, string? decisionId, string reason) =>
            new(accountId, false, ordered.Count, head?.GetString("Hash"), new ChainBreak(at, decisionId, reason));
    }
}
