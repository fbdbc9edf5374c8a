using Azure.Data.Tables;
using PostGate.Functions.Contracts;
using PostGate.Functions.Storage;
using Xunit;

namespace PostGate.Functions.Tests.Storage;

/// <summary>
/// The verifier over hand-built rows: a valid chain of three decisions, then one change at a time. Reasons are
/// prose, so each break is told apart by a word it must name (content, link, missing, head), not the sentence.
/// </summary>
public sealed class ChainVerifierTests
{
    private const string Account = "acme";

    private static readonly DateTimeOffset DecidedAt = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Three decisions chained as <see cref="TableDecisionLog"/> writes them, and the head after the third.</summary>
    private static (List<TableEntity> Rows, TableEntity Head) Chain(int length = 3)
    {
        var rows = new List<TableEntity>();
        var previousHash = string.Empty;
        for (var sequence = 1L; sequence <= length; sequence++)
        {
            var at = DecidedAt.AddMinutes(sequence);
            var decisionId = Keys.NewDecisionId(at);
            var decision = new DecisionResponse(
                decisionId, Account, $"d-{sequence}", "allow", [], [], "2026.1", at, Logged: true,
                new DraftResponse(Account, "x", $"Post number {sequence}.", at.AddHours(1), $"d-{sequence}", "sam", null, null, [], 0));
            var row = DecisionEntity.ToEntity(decision);
            var hash = DecisionEntity.ChainHash(previousHash, sequence, row.GetString("ContentHash"));
            row["PreviousHash"] = previousHash;
            row["Sequence"] = sequence;
            row["Hash"] = hash;
            rows.Add(row);
            previousHash = hash;
        }

        var head = new TableEntity(Keys.Partition(Account), Keys.ChainHeadRow)
        {
            ["Hash"] = previousHash,
            ["Sequence"] = (long)length,
            ["DecisionRowKey"] = rows.Count > 0 ? rows[^1].RowKey : null,
            ["DecisionId"] = rows.Count > 0 ? rows[^1].GetString("DecisionId") : null,
        };
        return (rows, head);
    }

    private static void AssertBroken(ChainReport report, long sequence, string? decisionId, string reasonNames)
    {
        Assert.False(report.Intact);
        var broken = Assert.IsType<ChainBreak>(report.FirstBreak);
        Assert.Equal(sequence, broken.Sequence);
        Assert.Equal(decisionId, broken.DecisionId);
        Assert.Contains(reasonNames, broken.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ValidChainOfThree_IsIntactAtTheHead()
    {
        var (rows, head) = Chain();

        var report = ChainVerifier.Verify(Account, rows, head);

        Assert.True(report.Intact);
        Assert.Null(report.FirstBreak);
        Assert.Equal(3, report.Decisions);
        Assert.Equal(head.GetString("Hash"), report.HeadHash);
        Assert.Equal(Account, report.AccountId);
    }

    [Fact]
    public void Verify_RowsInAnyOrder_IsIntact()
    {
        var (rows, head) = Chain();

        // NOTE: the log lists decisions newest first, so the verifier must order by sequence itself.
        var report = ChainVerifier.Verify(Account, [rows[2], rows[0], rows[1]], head);

        Assert.True(report.Intact);
        Assert.Equal(3, report.Decisions);
    }

    [Fact]
    public void Verify_EmptyAccount_IsIntactWithNoDecisions()
    {
        var report = ChainVerifier.Verify(Account, [], head: null);

        Assert.True(report.Intact);
        Assert.Equal(0, report.Decisions);
        Assert.Null(report.HeadHash);
        Assert.Null(report.FirstBreak);
    }

    public static TheoryData<string, object> ChangedProperties => new()
    {
        { "Text", "Post number 2, edited." },
        { "Verdict", "block" },
        { "FindingsJson", """[{"ruleId":"PG101"}]""" },
        { "RuleIds", "PG101" },
        { "DecidedAtText", "2026-11-30T07:00:00.0000000+00:00" },
        { "AccountId", "someone-else" },
        // Same text, other type: a number written where the log wrote a string.
        { "MediaCount", 0L },
        // A property the log never writes.
        { "Note", "approved by hand" },
    };

    [Theory]
    [MemberData(nameof(ChangedProperties))]
    public void Verify_PropertyChangedInSecondDecision_BreaksAtSecondForContent(string property, object value)
    {
        var (rows, head) = Chain();
        rows[1][property] = value;

        var report = ChainVerifier.Verify(Account, rows, head);

        AssertBroken(report, 2, rows[1].GetString("DecisionId"), "content");
    }

    [Fact]
    public void Verify_PropertyRemovedFromSecondDecision_BreaksAtSecondForContent()
    {
        var (rows, head) = Chain();
        rows[1].Remove("Author");

        var report = ChainVerifier.Verify(Account, rows, head);

        AssertBroken(report, 2, rows[1].GetString("DecisionId"), "content");
    }

    [Fact]
    public void Verify_ContentAndContentHashRewritten_BreaksAtThatDecisionsChainHash()
    {
        var (rows, head) = Chain();
        rows[1]["Verdict"] = "block";
        rows[1]["ContentHash"] = DecisionEntity.EntityHash(rows[1]);

        var report = ChainVerifier.Verify(Account, rows, head);

        AssertBroken(report, 2, rows[1].GetString("DecisionId"), "chain hash");
    }

    [Fact]
    public void Verify_OneDecisionRewrittenWithItsOwnHashes_BreaksAtTheNextLink()
    {
        var (rows, head) = Chain();
        rows[1]["Verdict"] = "block";
        rows[1]["ContentHash"] = DecisionEntity.EntityHash(rows[1]);
        rows[1]["Hash"] = DecisionEntity.ChainHash(rows[1].GetString("PreviousHash"), 2, rows[1].GetString("ContentHash"));

        var report = ChainVerifier.Verify(Account, rows, head);

        AssertBroken(report, 3, rows[2].GetString("DecisionId"), "link");
    }

    [Fact]
    public void Verify_MiddleDecisionRemoved_BreaksWhereItsSequenceIsMissing()
    {
        var (rows, head) = Chain();
        var third = rows[2].GetString("DecisionId");
        rows.RemoveAt(1);

        var report = ChainVerifier.Verify(Account, rows, head);

        AssertBroken(report, 2, third, "missing");
    }

    [Fact]
    public void Verify_FirstDecisionRemoved_BreaksAtOne()
    {
        var (rows, head) = Chain();
        var second = rows[1].GetString("DecisionId");
        rows.RemoveAt(0);

        var report = ChainVerifier.Verify(Account, rows, head);

        AssertBroken(report, 1, second, "missing");
    }

    [Fact]
    public void Verify_LastDecisionRemoved_HeadDoesNotMatch()
    {
        var (rows, head) = Chain();
        var last = rows[2].GetString("DecisionId");
        rows.RemoveAt(2);

        var report = ChainVerifier.Verify(Account, rows, head);

        // NOTE: the head still names the removed decision, which is what the break points at.
        AssertBroken(report, 3, last, "head");
    }

    [Fact]
    public void Verify_EveryDecisionRemovedButHeadKept_HeadDoesNotMatch()
    {
        var (_, head) = Chain();

        var report = ChainVerifier.Verify(Account, [], head);

        AssertBroken(report, 1, head.GetString("DecisionId"), "head");
    }

    [Fact]
    public void Verify_PreviousHashesSwapped_BreaksAtTheFirstWrongLink()
    {
        var (rows, head) = Chain();
        (rows[1]["PreviousHash"], rows[2]["PreviousHash"]) = (rows[2]["PreviousHash"], rows[1]["PreviousHash"]);

        var report = ChainVerifier.Verify(Account, rows, head);

        AssertBroken(report, 2, rows[1].GetString("DecisionId"), "link");
    }

    [Fact]
    public void Verify_ThirdLinksToFirst_BreaksAtThird()
    {
        var (rows, head) = Chain();
        rows[2]["PreviousHash"] = rows[0].GetString("Hash");

        var report = ChainVerifier.Verify(Account, rows, head);

        AssertBroken(report, 3, rows[2].GetString("DecisionId"), "link");
    }

    [Fact]
    public void Verify_DecisionsWithoutHead_HeadMissing()
    {
        var (rows, _) = Chain();

        var report = ChainVerifier.Verify(Account, rows, head: null);

        AssertBroken(report, 3, null, "head");
    }

    [Fact]
    public void Verify_HeadHashChanged_HeadDoesNotMatch()
    {
        var (rows, head) = Chain();
        head["Hash"] = rows[1].GetString("Hash");

        var report = ChainVerifier.Verify(Account, rows, head);

        Assert.False(report.Intact);
        var broken = Assert.IsType<ChainBreak>(report.FirstBreak);
        Assert.Equal(head.GetString("DecisionId"), broken.DecisionId);
        Assert.Contains("head", broken.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_DecisionWithoutSequence_BreaksWhereItShouldBe()
    {
        var (rows, head) = Chain();
        rows[0].Remove("Sequence");

        var report = ChainVerifier.Verify(Account, rows, head);

        AssertBroken(report, 1, rows[0].GetString("DecisionId"), "no place");
    }
}
