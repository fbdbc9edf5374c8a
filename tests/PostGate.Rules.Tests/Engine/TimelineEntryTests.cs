using PostGate.Rules.Engine;
using PostGate.Rules.Tests.TestSupport;
using PostGate.Rules.Text;
using Xunit;
using static PostGate.Rules.Tests.TestSupport.Timeline;
using GatePolicy = PostGate.Rules.Policy.Policy;

namespace PostGate.Rules.Tests.Engine;

public sealed class TimelineEntryTests
{
    private const string Text = "BUY NOW: our spring notes are up at https://www.acme.com/spring?utm_source=x and help.acme.com/sizes";

    [Fact]
    public void From_CopiesTheDraftAndWhatTheGateSaw()
    {
        var draft = Drafts.Post(Text, draftId: "draft-1", links: ["https://acme.com/spring", "https://acme.com/card"]) with { Channel = Channel.LinkedIn };
        var evaluation = Gate.Check(Policy(), draft);

        var entry = TimelineEntry.From("dec-1", draft, evaluation);

        Assert.Equal(new TimelineEntry("dec-1", "draft-1", Drafts.Now, Channel.LinkedIn, PostKind.Broadcast, 3, 4), entry with { LinkKeys = [], Promotional = false, Fingerprint = 0 });
        // NOTE: the attached "https://acme.com/spring" is not the text's link written alike, so it counts as a link of its own;
        // as a key it is the same destination, and keys are distinct. The allowed help centre is left out of both.
        Assert.Equal(["acme.com/spring", "acme.com/card"], entry.LinkKeys);
        Assert.True(entry.Promotional);
        Assert.Equal(SimHash.Of(Normalizer.Normalize(Text).Text), entry.Fingerprint);
        Assert.Equal(evaluation.Signature, new PostSignature(entry.LinkKeys, entry.Promotional, entry.Fingerprint));
    }

    [Fact]
    public void From_Reply_IsAReply()
    {
        var draft = Drafts.Reply("Thanks Sam, the export button is back under Settings.");

        var entry = TimelineEntry.From("dec-2", draft, Gate.Check(Policy(), draft));

        Assert.Equal(PostKind.Reply, entry.Kind);
        Assert.Empty(entry.LinkKeys);
        Assert.False(entry.Promotional);
    }

    [Theory]
    [InlineData("Buy now", 3, true)]            // score 4
    [InlineData("Buy now", 4, true)]            // exactly promotionalAtScore
    [InlineData("Buy now", 5, false)]
    [InlineData("Here is how it works", 1, false)]
    public void Signature_Promotional_IsAScoreFromPromotionalAtScore(string text, int promotionalAtScore, bool promotional)
    {
        // NOTE: the mark comes from cadence/promotional-share's options even while that rule is off.
        var policy = Policies.Running($$"""
            "hard-sell/phrases": { "phrases": [ { "text": "buy now", "weight": 4 } ] },
            "cadence/promotional-share": { "severity": "off", "promotionalAtScore": {{promotionalAtScore}} }
            """);

        Assert.Equal(promotional, Gate.Check(policy, Drafts.Post(text)).Signature.Promotional);
    }

    [Fact]
    public void Signature_ShortPost_HasNoFingerprint()
    {
        Assert.Equal(0UL, Gate.Check(Policy(), Drafts.Post("Spring notes are up.")).Signature.Fingerprint);
    }

    [Fact]
    public async Task Signature_Fingerprint_IsTheTextsWhenReadRightAfterAfterAnotherCheckOrOnAnotherThread()
    {
        // NOTE: read right after its check, a fingerprint comes from the words the check found; read after another
        // check on the same thread, or on another thread, from the text folded again. All must be the text's.
        string[] texts = [Text, "Our spring notes are up, with every size and colour", "We fixed the export bug that hid your reports on Monday"];
        var expected = texts.Select(t => SimHash.Of(Normalizer.Normalize(t).Text)).ToArray();
        var policy = Policies.Default;

        Assert.Equal(expected[0], PolicyEngine.Evaluate(Drafts.Post(texts[0]), [], policy).Signature.Fingerprint);

        var first = PolicyEngine.Evaluate(Drafts.Post(texts[1]), [], policy);
        var second = PolicyEngine.Evaluate(Drafts.Post(texts[2]), [], policy);
        Assert.Equal(expected[1], first.Signature.Fingerprint);
        Assert.Equal(expected[2], second.Signature.Fingerprint);

        var third = PolicyEngine.Evaluate(Drafts.Post(texts[1]), [], policy);
        Assert.Equal(expected[1], await Task.Run(() => third.Signature.Fingerprint));
        Assert.All(expected, e => Assert.NotEqual(0UL, e));
    }

    [Fact]
    public void From_EntriesOfEarlierChecks_FeedTheCadenceRules()
    {
        // NOTE: the gate's own round trip: each check leaves an entry that the next check reads.
        var policy = Policies.Running("""
            "link-dropping/repeated-link": {},
            "cadence/near-duplicate": {}
            """);
        var timeline = new List<TimelineEntry>();
        Evaluation? last = null;
        for (var day = 0; day < 3; day++)
        {
            var draft = Drafts.Post("Our spring notes are up, with every size and colour: https://acme.com/spring", at: Drafts.Now + Days(day));
            last = Gate.Check(policy, draft, [.. timeline]);
            timeline.Add(TimelineEntry.From($"dec-{day}", draft, last));
        }

        Assert.Equal(["PG106", "PG306"], last!.Findings.Select(f => f.RuleId));
    }

    [Fact]
    public void From_NullArguments_Throw()
    {
        var draft = Drafts.Post("hello");
        var evaluation = Gate.Check(Policy(), draft);

        Assert.Throws<ArgumentNullException>(() => TimelineEntry.From("dec", null!, evaluation));
        Assert.Throws<ArgumentNullException>(() => TimelineEntry.From("dec", draft, null!));
    }

    /// <summary>Nothing reported, only scored: hard-sell "buy now" (4) in shadow mode, acme's help centre allowed.</summary>
    private static GatePolicy Policy() => Policies.Running(
        """ "hard-sell/phrases": { "mode": "shadow", "phrases": [ { "text": "buy now", "weight": 4 } ] } """,
        """ "allowedDomains": ["help.acme.com"] """);
}
