using CsCheck;
using PostGate.Rules.Engine;
using PostGate.Rules.Tests.TestSupport;
using PostGate.Rules.Text;
using Xunit;
using static PostGate.Rules.Tests.TestSupport.Timeline;

namespace PostGate.Rules.Tests.Rules.Cadence;

public sealed class NearDuplicateRuleTests
{
    private const string Rule = "cadence/near-duplicate";
    private const string Text = "Our spring notes are up: three new sizes, a calmer colour range, and the same repairs promise as always.";
    private const string Other = "We fixed the export bug that hid your reports on Monday; your files were safe the whole time.";

    [Fact]
    public void Evaluate_SameTextTwoDaysAgo_ReportsPG306()
    {
        var evaluation = Gate.Check(Policies.Only(Rule), Drafts.Post(Text), Posted(Days(-2), Text));

        var finding = evaluation.Single("PG306");
        Assert.Equal(Severity.Coach, finding.Severity);
        Assert.Empty(finding.Spans);
        Assert.Equal([$"0 of 64 bits differ from decision {Posted(Days(-2), Text).DecisionId}"], finding.Evidence);
        Assert.Equal("This is nearly the same text as the post of Saturday 28 February 10:00 UTC.", finding.Message);
        Assert.StartsWith("This is nearly the same as your post of Saturday 28 February 10:00 UTC.", finding.Coaching, StringComparison.Ordinal);
    }

    public static TheoryData<string, TimelineEntry[], string, bool> Cases => new()
    {
        // draft text, the account's other posts, options, reported
        { Text, [Posted(Days(-2), Other)], "{}", false },
        { Text.ToUpperInvariant(), [Posted(Days(-2), Text)], "{}", true },                        // shouting it again is still the same text
        { Text.Replace(" ", "  ", StringComparison.Ordinal) + "!!", [Posted(Days(-2), Text)], "{}", true }, // spacing and punctuation are not words
        { Text, [Posted(Days(-7), Text)], "{}", true },                                           // exactly seven days ago still counts
        { Text, [Posted(Days(-8), Text)], "{}", false },
        { Text, [Posted(Days(3), Text)], "{}", true },                                            // a post already scheduled later counts too
        { Text, [Posted(Days(-2), Text)], """{ "windowDays": 1 }""", false },
        { Text, [Posted(Days(-2), Text)], """{ "severity": "off" }""", false },
        { "Spring notes are up.", [Posted(Days(-2), "Spring notes are up.")], "{}", false },      // four words: too short to call a repeat
        { Text, [Broadcast(Days(-2))], "{}", false },                                             // an earlier post without a fingerprint
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_ComparesFingerprintsInTheWindow(string text, TimelineEntry[] timeline, string options, bool reported)
    {
        var evaluation = Gate.Check(Policies.Only(Rule, options), Drafts.Post(text), timeline);

        Assert.Equal(reported, evaluation.Findings.Any(f => f.RuleId == "PG306"));
    }

    [Fact]
    public void Evaluate_DistanceAtMaxDistance_IsReportedAndOneBelowIsNot()
    {
        const string edited = "Our spring notes are up: four new sizes, a calmer colour range, and the same repairs promise as always.";
        var distance = SimHash.Distance(Print(Text), Print(edited));
        Assert.InRange(distance, 1, 20);

        var at = Gate.Check(Policies.Only(Rule, $$"""{ "maxDistance": {{distance}} }"""), Drafts.Post(edited), Posted(Days(-2), Text));
        var below = Gate.Check(Policies.Only(Rule, $$"""{ "maxDistance": {{distance - 1}} }"""), Drafts.Post(edited), Posted(Days(-2), Text));

        Assert.StartsWith($"{distance} of 64 bits differ", at.Single("PG306").Evidence.Single(), StringComparison.Ordinal);
        Assert.Empty(below.Findings);
    }

    [Fact]
    public void Evaluate_MaxDistanceZero_ReportsOnlyTheSameWords()
    {
        var policy = Policies.Only(Rule, """{ "maxDistance": 0 }""");

        Assert.Single(Gate.Check(policy, Drafts.Post(Text.ToUpperInvariant()), Posted(Days(-2), Text)).Findings);
        Assert.Empty(Gate.Check(policy, Drafts.Post(Text.Replace("three", "four", StringComparison.Ordinal)), Posted(Days(-2), Text)).Findings);
    }

    [Fact]
    public void Evaluate_SeveralClosePosts_NamesTheClosest()
    {
        const string edited = "Our spring notes are up: four new sizes, a calmer colour range, and the same repairs promise as always.";
        TimelineEntry[] timeline = [Posted(Days(-1), edited), Posted(Days(-3), Text)];

        var finding = Gate.Check(Policies.Only(Rule, """{ "maxDistance": 20 }"""), Drafts.Post(Text), timeline).Single("PG306");

        Assert.Equal([$"0 of 64 bits differ from decision {timeline[1].DecisionId}"], finding.Evidence);
        Assert.Contains("Friday 27 February", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_AnyTimeline_NamesTheFirstClosestAnnouncementWithinTheLimit()
    {
        // NOTE: fingerprints a few bits from the draft's, zero (too short) or far; replies among them; times on a
        // coarse grid so several posts share an instant and the window's edges are hit.
        var print = Print(Text);
        var rows = Gen.Select(Gen.Int[-10, 10], Gen.Int[0, 12], Gen.Int[0, 5], Gen.ULong).Array[0, 60];
        Gen.Select(rows, Gen.Int[0, 20]).Sample((rows, limit) =>
        {
            var timeline = rows
                .Select((row, k) => new TimelineEntry($"dec-{k}", null, Drafts.Now + Days(row.Item1), Channel.X, row.Item3 == 0 ? PostKind.Reply : PostKind.Broadcast, 0, 0)
                {
                    Fingerprint = row.Item2 switch { 0 => 0, 1 => row.Item4 | 1, _ => print ^ (row.Item4 & (row.Item4 >> 7) & (row.Item4 >> 13)) },
                })
                .OrderBy(e => e.ScheduledAt)
                .ToArray();
            var compared = timeline
                .Select((e, k) => (Entry: e, Distance: SimHash.Distance(print, e.Fingerprint), Order: k))
                .Where(c => c.Entry.Fingerprint != 0 && c.Entry.Kind != PostKind.Reply && Math.Abs((c.Entry.ScheduledAt - Drafts.Now).TotalDays) <= 7)
                .Where(c => c.Distance <= limit)
                .OrderBy(c => c.Distance).ThenBy(c => c.Order)
                .Select(c => $"{c.Distance} of 64 bits differ from decision {c.Entry.DecisionId}")
                .Take(1);

            var evaluation = Gate.Check(Policies.Only(Rule, $$"""{ "maxDistance": {{limit}} }"""), Drafts.Post(Text), timeline);

            Assert.Equal(compared, evaluation.Findings.SelectMany(f => f.Evidence));
        }, iter: 2000);
    }

    [Fact]
    public void Evaluate_EarlierVersionOfThisDraft_IsNotCompared()
    {
        var evaluation = Gate.Check(Policies.Only(Rule), Drafts.Post(Text, draftId: "draft-8"), Posted(Hours(-1), Text) with { DraftId = "draft-8" });

        Assert.Empty(evaluation.Findings);
    }

    [Theory]
    [InlineData("""{ "maxDistance": -1 }""", "maxDistance: must be between 0 and 20 (was -1)")]
    [InlineData("""{ "maxDistance": 21 }""", "maxDistance: must be between 0 and 20 (was 21)")] // a third of the bits: unrelated texts start to match
    [InlineData("""{ "windowDays": 0 }""", "windowDays: must be between 1 and 31 (was 0)")]
    public void Load_InvalidOptions_NamesThePath(string options, string expected)
    {
        Assert.Equal([$"$.rules['{Rule}'].{expected}"], Policies.ErrorsOf($$"""{ "name": "t", "rules": { "{{Rule}}": {{options}} } }"""));
    }

    /// <summary>The fingerprint the engine keeps for a post with <paramref name="text"/>.</summary>
    private static ulong Print(string text) => SimHash.Of(Normalizer.Normalize(text).Text);

    private static TimelineEntry Posted(TimeSpan offset, string text) => Broadcast(offset) with { Fingerprint = Print(text) };
}
