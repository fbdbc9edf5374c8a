using System.Text.Json;
using Azure.Data.Tables;
using PostGate.Functions.Contracts;
using PostGate.Functions.Storage;
using PostGate.Rules.Engine;
using PostGate.Rules.Text;
using Xunit;

namespace PostGate.Functions.Tests.Storage;

public sealed class DecisionEntityTests
{
    /// <summary>Table Storage caps a string property at 64 KiB, which is 32 K UTF-16 code units.</summary>
    private const int MaxStringProperty = 32 * 1024;

    private static readonly DateTimeOffset DecidedAt = new(2026, 11, 30, 8, 0, 0, 321, TimeSpan.Zero);

    private static DecisionResponse Decision(string text, string accountId = "a/b#c", int findings = 2, int evidenceLength = 10)
    {
        var decisionId = Keys.NewDecisionId(DecidedAt);
        return new DecisionResponse(
            decisionId,
            accountId,
            "d-1",
            "review",
            [.. Enumerable.Range(0, findings).Select(i => new FindingResponse(
                $"PG2{i % 100:D2}",
                "hard-sell/phrases",
                i % 2 == 0 ? "review" : "coach",
                $"Finding {i}.",
                "Say what it does, not how fast to buy it.",
                [new SpanResponse(i, 3), new SpanResponse(i + 10, 1)],
                [new string('e', evidenceLength), "\"quoted\" \\ and \U0001F600"]))],
            ["Drop the countdown", "Keep one link"],
            "2026.1",
            DecidedAt,
            Logged: true,
            new DraftResponse(
                accountId, "linkedin", text, DecidedAt.AddDays(1), "d-1", "sam", "winter", "m-42", ["https://acme.example/a", "bit.ly/x"], 2,
                InReplyToText: "Is the soup back?"),
            new AnalysisResponse(
                [new LinkResponse("bit.ly/x", new SpanResponse(3, 8), "bit.ly", Shortener: true, Allowed: false), new LinkResponse("https://acme.example/a", null, "acme.example", false, true)],
                CountedLinks: 2,
                Mentions: 1,
                Hashtags: 0,
                new LengthResponse(120, 3000, "chars"),
                new HardSellResponse(7, new Dictionary<string, int>(StringComparer.Ordinal) { ["urgency"] = 3, ["call-to-action"] = 4 })),
            [new FindingResponse("PG305", "cadence/promotional-share", "coach", "Shadow.", "Shadow coaching.", [], ["2 of 5"], "shadow")]);
    }

    /// <summary>Records compare lists by reference, so the round trip is compared as JSON.</summary>
    private static void AssertSameDecision(DecisionResponse expected, DecisionResponse actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected, TestHttp.Web), JsonSerializer.Serialize(actual, TestHttp.Web));

    private static void AssertStorable(TableEntity entity)
    {
        Assert.All(entity.Keys, name => Assert.InRange(name.Length, 1, 255));
        Assert.All(entity.Where(p => p.Value is string), p => Assert.True(((string)p.Value).Length <= MaxStringProperty, $"{p.Key} holds {((string)p.Value).Length} characters."));
    }

    public static TheoryData<int> TextLengths => new()
    {
        1,
        CheckRequest.MaxTextLength,
        DecisionEntity.ChunkLength - 1,
        DecisionEntity.ChunkLength,
        // One character into the second chunk.
        DecisionEntity.ChunkLength + 1,
        (2 * DecisionEntity.ChunkLength) + 17,
        DecisionEntity.MaxChunks * DecisionEntity.ChunkLength,
    };

    [Theory]
    [MemberData(nameof(TextLengths))]
    public void RoundTrip_Decision_KeepsEveryField(int textLength)
    {
        var text = string.Concat(Enumerable.Range(0, textLength).Select(i => (char)('a' + (i % 26))));
        var decision = Decision(text);

        var entity = DecisionEntity.ToEntity(decision);
        var back = DecisionEntity.FromEntity(entity);

        AssertSameDecision(decision, back);
        AssertStorable(entity);
        Assert.Equal((textLength + DecisionEntity.ChunkLength - 1) / DecisionEntity.ChunkLength, entity.GetInt32("TextChunks"));
    }

    [Fact]
    public void RoundTrip_TextSplitInsideSurrogatePair_IsRejoined()
    {
        var text = new string('a', DecisionEntity.ChunkLength - 1) + "\U0001F600" + new string('b', 10);
        var decision = Decision(text);

        var back = DecisionEntity.FromEntity(DecisionEntity.ToEntity(decision));

        Assert.Equal(text, back.Draft.Text);
    }

    [Fact]
    public void RoundTrip_FindingsLongerThanAChunk_AreChunked()
    {
        var decision = Decision("BUY NOW", findings: 40, evidenceLength: 2_000);

        var entity = DecisionEntity.ToEntity(decision);
        var back = DecisionEntity.FromEntity(entity);

        Assert.True(entity.GetInt32("FindingsJsonChunks") > 1);
        AssertSameDecision(decision, back);
        AssertStorable(entity);
    }

    [Fact]
    public void RoundTrip_WithoutOptionalFields_KeepsNulls()
    {
        var full = Decision("Thanks, Jo.", accountId: "acme");
        var decision = full with
        {
            DraftId = null,
            Findings = [],
            Summary = [],
            Verdict = "allow",
            Draft = full.Draft with { DraftId = null, Author = null, Campaign = null, InReplyTo = null, InReplyToText = null, Links = [], MediaCount = 0 },
            Analysis = null,
            ShadowFindings = [],
        };

        AssertSameDecision(decision, DecisionEntity.FromEntity(DecisionEntity.ToEntity(decision)));
    }

    [Fact]
    public void RoundTrip_WithoutShadowFindings_ReadsBackEmpty()
    {
        var decision = Decision("Hello.") with { ShadowFindings = null };

        Assert.Empty(DecisionEntity.FromEntity(DecisionEntity.ToEntity(decision)).ShadowFindings!);
    }

    [Fact]
    public void ToEntity_Decision_UsesAccountPartitionAndNewestFirstRow()
    {
        var decision = Decision("Hello.");

        var entity = DecisionEntity.ToEntity(decision);

        Assert.Equal(Keys.Partition("a/b#c"), entity.PartitionKey);
        Assert.Equal(Keys.DecisionRow(decision.DecisionId, DecidedAt), entity.RowKey);
        Assert.Equal(Keys.DecisionTime(decision.DecisionId), DateTimeOffset.FromUnixTimeMilliseconds(DecidedAt.ToUnixTimeMilliseconds()));
    }

    [Fact]
    public void ToEntity_TextOverMaxChunks_Throws()
    {
        var decision = Decision(new string('a', (DecisionEntity.MaxChunks * DecisionEntity.ChunkLength) + 1));

        Assert.Throws<InvalidOperationException>(() => DecisionEntity.ToEntity(decision));
    }

    public static TheoryData<TimelineEntry> TimelineEntries => new()
    {
        new TimelineEntry(Keys.NewDecisionId(DecidedAt), "d-1", DecidedAt.AddDays(1), Channel.X, PostKind.Broadcast, 2, 7)
        {
            LinkKeys = ["acme.example/a", "bit.ly/x"],
            Promotional = true,
            Fingerprint = 0x0123_4567_89AB_CDEF,
        },
        new TimelineEntry(Keys.NewDecisionId(DecidedAt), null, DecidedAt, Channel.Mastodon, PostKind.Reply, 0, 0),
        // The top bit set: the fingerprint is stored as a signed 64-bit property and must come back unchanged.
        new TimelineEntry(Keys.NewDecisionId(DecidedAt), "d-2", DecidedAt, Channel.Other, PostKind.Broadcast, 20, 99) { Fingerprint = ulong.MaxValue },
        new TimelineEntry(Keys.NewDecisionId(DecidedAt), "d-3", DecidedAt, Channel.LinkedIn, PostKind.Broadcast, 1, 0) { Fingerprint = 1UL << 63 },
    };

    [Theory]
    [MemberData(nameof(TimelineEntries))]
    public void RoundTrip_TimelineEntry_KeepsEveryField(TimelineEntry entry)
    {
        var entity = DecisionEntity.ToEntity("a/b#c", entry);
        var back = DecisionEntity.ToTimelineEntry(entity);

        Assert.Equal(Keys.Partition("a/b#c"), entity.PartitionKey);
        Assert.Equal(Keys.TimelineRow(entry.ScheduledAt, entry.DecisionId), entity.RowKey);

        // Records compare LinkKeys by reference, so it is compared on its own.
        Assert.Equal(entry.LinkKeys, back.LinkKeys);
        Assert.Equal(entry, back with { LinkKeys = entry.LinkKeys });
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1)]
    [InlineData(SimHash.Version + 1)]
    public void ToTimelineEntry_FingerprintOfAnotherVersion_ReadsAsNone(int? version)
    {
        // NOTE: rows written before the fingerprint's definition changed carry no version (or another one): their
        // bits mean something else, so they must not be compared with fingerprints made now.
        var entry = new TimelineEntry(Keys.NewDecisionId(DecidedAt), "d-1", DecidedAt, Channel.X, PostKind.Broadcast, 0, 0) { Fingerprint = 0x0123_4567_89AB_CDEF };
        var entity = DecisionEntity.ToEntity("acme", entry);
        entity.Remove("FingerprintVersion");
        if (version is { } stored)
        {
            entity["FingerprintVersion"] = stored;
        }

        var back = DecisionEntity.ToTimelineEntry(entity);

        Assert.Equal(0UL, back.Fingerprint);
        Assert.Equal(entry with { Fingerprint = 0, LinkKeys = back.LinkKeys }, back);
    }

    [Fact]
    public void ToEntity_TimelineEntry_StoresTheFingerprintsVersion()
    {
        var entry = new TimelineEntry(Keys.NewDecisionId(DecidedAt), "d-1", DecidedAt, Channel.X, PostKind.Broadcast, 0, 0) { Fingerprint = 42 };

        Assert.Equal(SimHash.Version, DecisionEntity.ToEntity("acme", entry).GetInt32("FingerprintVersion"));
    }

    [Fact]
    public void ContentHash_IgnoresLoggedFlagButNotContent()
    {
        var decision = Decision("Hello.");

        Assert.Equal(DecisionEntity.ContentHash(decision), DecisionEntity.ContentHash(decision with { Logged = false }));
        Assert.NotEqual(DecisionEntity.ContentHash(decision), DecisionEntity.ContentHash(decision with { Verdict = "allow" }));
        Assert.NotEqual(DecisionEntity.ContentHash(decision), DecisionEntity.ContentHash(decision with { Draft = decision.Draft with { Text = "Hello!" } }));
    }

    [Fact]
    public void ToEntity_ReviewState_IsNeverStoredOrHashed()
    {
        var decision = Decision("Hello.");
        var review = new ReviewResponse("r1", decision.DecisionId, decision.AccountId, "approve", "Fine.", "ann", "identity", DecidedAt.AddHours(1));
        var reviewed = decision with { Review = new ReviewStatusResponse("approved", "ann", "Fine.", review.At, [review]) };

        var entity = DecisionEntity.ToEntity(reviewed);

        Assert.Equal(DecisionEntity.ContentHash(decision), entity.GetString("ContentHash"));
        Assert.Equal(DecisionEntity.ToEntity(decision).Keys.Order(StringComparer.Ordinal), entity.Keys.Order(StringComparer.Ordinal));
        Assert.Null(DecisionEntity.FromEntity(entity).Review);
    }

    [Fact]
    public void ToEntity_CallbackUrl_IsStoredHashedAndReadBack()
    {
        var decision = Decision("Hello.");
        var withCallback = decision with { CallbackUrl = "https://hooks.example.com/postgate?token=abc" };

        var entity = DecisionEntity.ToEntity(withCallback);

        Assert.NotEqual(DecisionEntity.ContentHash(decision), entity.GetString("ContentHash"));
        Assert.Equal(withCallback.CallbackUrl, DecisionEntity.FromEntity(entity).CallbackUrl);

        // Without one, the row has no such property, so decisions logged before callbacks existed hash as they did.
        Assert.False(DecisionEntity.ToEntity(decision).ContainsKey("CallbackUrl"));
    }
}
