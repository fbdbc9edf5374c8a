using System.Text;
using PostGate.Functions.Contracts;
using PostGate.Functions.Storage;
using Xunit;

namespace PostGate.Functions.Tests.Storage;

public sealed class KeysTests
{
    /// <summary>Table Storage's limit is 1 KiB; Azurite's is 512 characters. The keys stay far below both.</summary>
    private const int MaxKeyLength = 255;

    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, 123, TimeSpan.Zero);

    private static readonly string[] Hostile =
    [
        "acme",
        "a/b",
        "a\\b",
        "#launch",
        "why?",
        "a/b\\c#d?e",
        "\0",
        "\u001F",
        "\u007F",
        // NEL and the last C1 control.
        "\u0085",
        "\u009F",
        AllControlCharacters(),
        // Lone surrogates, and a pair in the wrong order.
        "\uD800",
        "\uDFFF",
        "x\uDC00\uD800y",
        "\U0001F600",
        " ",
        "~",
        ".",
        "..",
        "!",
        // Looks like an escape already.
        "a!002Fb",
        "!~",
        "café",
        "\u202Eevil",
        new string('a', Keys.MaxReadableLength),
        new string('a', Keys.MaxReadableLength + 1),
        new string('/', Keys.MaxReadableLength / 5),
        new string('/', (Keys.MaxReadableLength / 5) + 1),
        new string('x', CheckRequest.MaxIdLength),
        new string('\0', CheckRequest.MaxIdLength),
        new string('x', 10_000),
        new string('/', 10_000),
        new string('\uD800', 10_000),
        string.Concat(Enumerable.Repeat("\U0001F600#?", 3_000)),
    ];

    private static bool IsForbidden(char c) => c is '/' or '\\' or '#' or '?' || c <= '\u001F' || c is >= '\u007F' and <= '\u009F';

    private static void AssertUsable(string key)
    {
        Assert.InRange(key.Length, 1, MaxKeyLength);
        Assert.DoesNotContain(key, IsForbidden);

        // Stronger than the service needs: plain printable ASCII only, so no normalization can touch a key.
        Assert.All(key, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '!' or '~' or '_', $"'{c}' (U+{(int)c:X4}) in {key}"));
    }

    private static string AllControlCharacters() =>
        string.Concat(Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(c => (char)c));

    public static TheoryData<string> HostileIds => [.. Hostile];

    [Theory]
    [MemberData(nameof(HostileIds), DisableDiscoveryEnumeration = true)]
    public void Partition_HostileId_IsUsableKey(string accountId)
    {
        AssertUsable(Keys.Partition(accountId));
    }

    [Theory]
    [MemberData(nameof(HostileIds), DisableDiscoveryEnumeration = true)]
    public void Partition_SameId_SameKey(string accountId)
    {
        Assert.Equal(Keys.Partition(accountId), Keys.Partition(new string(accountId.AsSpan())));
    }

    [Fact]
    public void Partition_DistinctHostileIds_GiveDistinctKeys()
    {
        var ids = Hostile.ToList();
        var longId = new string('x', 10_000);
        ids.AddRange(
        [
            // Long ids that share the readable prefix, and differ only at the end.
            longId[..^1] + "y",
            longId + "x",
            // The prefix of a hashed key, and a readable id that escapes to exactly that prefix.
            Keys.Partition(longId)[..64],
            // Just under and just over the readable limit, in escaped characters.
            new string('/', 31) + "abcde",
            new string('/', 31) + "abcdef",
            "A/B",
            "a/B",
            "a!002fb",
        ]);
        ids = [.. ids.Distinct(StringComparer.Ordinal)];

        var keys = ids.Select(Keys.Partition).ToList();

        Assert.Equal(ids.Count, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Partition_RandomIds_AreUsableAndInjective()
    {
        // NOTE: seeded, so a failure reproduces; the alphabet is weighted towards the characters that need escaping.
        var random = new Random(20261201);
        char[] alphabet = ['a', 'Z', '0', '-', '.', '!', '~', '/', '\\', '#', '?', '%', ' ', '\0', '\u001F', '\u007F', '\u0085', '\u009F', '\uD800', '\uDC00', 'é', '\uFFFF'];
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(1, i % 10 == 0 ? 400 : 40);
            var builder = new StringBuilder(length);
            for (var j = 0; j < length; j++)
            {
                builder.Append(random.Next(4) == 0 ? (char)random.Next(0, 0x10000) : alphabet[random.Next(alphabet.Length)]);
            }

            var id = builder.ToString();
            var key = Keys.Partition(id);
            AssertUsable(key);
            if (keys.TryGetValue(key, out var other))
            {
                Assert.Equal(other, id);
            }

            keys[key] = id;
        }
    }

    [Theory]
    [InlineData("acme")]
    [InlineData("Acme-EU.2")]
    public void Partition_PlainId_StaysReadable(string accountId)
    {
        Assert.Equal(accountId, Keys.Partition(accountId));
    }

    [Theory]
    [MemberData(nameof(HostileIds), DisableDiscoveryEnumeration = true)]
    public void Rows_ForHostileAccount_AreUsableKeys(string accountId)
    {
        var decisionId = Keys.NewDecisionId(Now);

        AssertUsable(Keys.DecisionRow(decisionId, Now));
        AssertUsable(Keys.TimelineRow(Now, decisionId));
        AssertUsable(Keys.Partition(accountId));
    }

    public static TheoryData<DateTimeOffset> DecisionTimes => new()
    {
        Now,
        GateApp.Start,
        DateTimeOffset.UnixEpoch,
        new DateTimeOffset(2026, 12, 1, 9, 0, 0, 999, TimeSpan.FromHours(2)),
        // Sub-millisecond ticks are not kept.
        new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero).AddTicks(9_999),
        new DateTimeOffset(9999, 12, 31, 23, 59, 59, 999, TimeSpan.Zero),
    };

    [Theory]
    [MemberData(nameof(DecisionTimes))]
    public void DecisionTime_OfNewDecisionId_IsTheTimeToTheMillisecond(DateTimeOffset at)
    {
        var id = Keys.NewDecisionId(at);

        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds()), Keys.DecisionTime(id));
    }

    [Theory]
    [MemberData(nameof(DecisionTimes))]
    public void WriteTimelineTime_WritesTimelineTime(DateTimeOffset at)
    {
        foreach (var instant in new[] { at, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, DateTimeOffset.UnixEpoch.AddTicks(-1) })
        {
            var written = new char[Keys.TimelineTimeLength];
            Keys.WriteTimelineTime(instant, written);

            Assert.Equal(Keys.TimelineTime(instant), new string(written));

            // Unix milliseconds in 15 digits, zero-padded; times before the epoch write zero.
            var milliseconds = Math.Max(instant.ToUnixTimeMilliseconds(), 0);
            Assert.Equal(milliseconds.ToString("D15", System.Globalization.CultureInfo.InvariantCulture), new string(written));
            Assert.Equal(Keys.TimelinePrefix + new string(written), Keys.TimelineBound(instant, high: false));
            Assert.Equal(Keys.TimelinePrefix + new string(written) + "~", Keys.TimelineBound(instant, high: true));
        }

        Assert.Throws<ArgumentException>(() => Keys.WriteTimelineTime(at, new char[Keys.TimelineTimeLength - 1]));
    }

    [Fact]
    public void NewDecisionId_SameInstant_GivesDistinctIds()
    {
        var ids = Enumerable.Range(0, 1_000).Select(_ => Keys.NewDecisionId(Now)).ToList();

        Assert.Distinct(ids);
        Assert.All(ids, id => Assert.Equal(Now, Keys.DecisionTime(id)));
    }

    [Fact]
    public void NewDecisionId_IsAVersion7GuidWithItsVariantAndRandomBits()
    {
        var ids = Enumerable.Range(0, 2_000).Select(_ => Keys.NewDecisionId(Now)).ToList();

        Assert.All(ids, id =>
        {
            var guid = Guid.ParseExact(id, "N");
            Assert.Equal(7, guid.Version);
            Assert.Equal(id, guid.ToString("N"));
            Assert.Contains(id[16], "89ab");
            Assert.Equal(Guid.CreateVersion7(Now).ToString("N")[..12], id[..12]);
        });

        // NOTE: 74 random bits per id: across 2,000 ids every hex digit of the random part takes each of its values.
        foreach (var position in new[] { 13, 14, 15, 17, 20, 31 })
        {
            Assert.Equal(16, ids.Select(id => id[position]).Distinct().Count());
        }
    }

    [Fact]
    public async Task NewDecisionId_OnManyThreads_NeverRepeats()
    {
        var batches = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            Enumerable.Range(0, 5_000).Select(_ => Keys.NewDecisionId(Now)).ToList())));

        Assert.Equal(40_000, batches.SelectMany(b => b).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void NewDecisionId_BeforeTheUnixEpoch_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Keys.NewDecisionId(DateTimeOffset.UnixEpoch.AddMilliseconds(-1)));
    }

    public static TheoryData<string> ForeignDecisionIds => new()
    {
        "",
        "acme",
        "../../etc/passwd",
        new string('z', 32),
        // Version 4, not 7.
        "3f2504e04f8941d39a0c0305e82c3301",
        // Version 7 but in the hyphenated form.
        Guid.CreateVersion7(Now).ToString("D"),
        new string('0', 32),
        new string('f', 64),
    };

    [Theory]
    [MemberData(nameof(ForeignDecisionIds))]
    public void DecisionTime_ForeignId_IsNull(string decisionId)
    {
        Assert.Null(Keys.DecisionTime(decisionId));
    }

    [Fact]
    public void DecisionRow_SortsNewestFirst()
    {
        var older = Keys.DecisionRow(Keys.NewDecisionId(Now), Now);
        var newer = Keys.DecisionRow(Keys.NewDecisionId(Now.AddMilliseconds(1)), Now.AddMilliseconds(1));

        Assert.True(string.CompareOrdinal(newer, older) < 0);
        Assert.StartsWith(Keys.DecisionPrefix, older, StringComparison.Ordinal);
    }

    [Fact]
    public void TimelineRow_SortsOldestFirstAndInsideItsWindow()
    {
        var id = Keys.NewDecisionId(Now);
        var earlier = Keys.TimelineRow(Now, id);
        var later = Keys.TimelineRow(Now.AddMinutes(1), id);

        Assert.True(string.CompareOrdinal(earlier, later) < 0);
        Assert.True(string.CompareOrdinal(Keys.TimelinePrefix + Keys.TimelineTime(Now), earlier) <= 0);
        Assert.True(string.CompareOrdinal(earlier, Keys.TimelinePrefix + Keys.TimelineTime(Now) + "~") < 0);
        Assert.True(string.CompareOrdinal(Keys.TimelineBound(Now, high: false), earlier) <= 0);
        Assert.True(string.CompareOrdinal(earlier, Keys.TimelineBound(Now, high: true)) < 0);
        Assert.True(string.CompareOrdinal(later, Keys.TimelineBound(Now, high: true)) > 0);
    }

    [Fact]
    public void ReviewRow_SortsOldestFirstWithinItsDecision()
    {
        var decisionId = Keys.NewDecisionId(Now);
        var first = Keys.ReviewRow(decisionId, Now.AddMinutes(1), Keys.NewReviewId(Now.AddMinutes(1)));
        var second = Keys.ReviewRow(decisionId, Now.AddMinutes(2), Keys.NewReviewId(Now.AddMinutes(2)));

        Assert.True(string.CompareOrdinal(first, second) < 0);
        Assert.All(new[] { first, second }, row =>
        {
            Assert.StartsWith(Keys.ReviewRowPrefix(decisionId), row, StringComparison.Ordinal);
            Assert.True(string.CompareOrdinal(row, Keys.ReviewRowPrefix(decisionId) + "~") < 0);
            Assert.InRange(row.Length, 1, MaxKeyLength);
        });
    }

    [Fact]
    public void ReviewRow_DecisionsReviewRangesFollowTheDecisionIds()
    {
        // A page's reviews are read as one range from its oldest decision's reviews to its newest's.
        var older = Keys.NewDecisionId(Now);
        var newer = Keys.NewDecisionId(Now.AddMilliseconds(1));
        var olderReview = Keys.ReviewRow(older, Now.AddDays(30), Keys.NewReviewId(Now.AddDays(30)));
        var newerReview = Keys.ReviewRow(newer, Now.AddMinutes(1), Keys.NewReviewId(Now.AddMinutes(1)));

        Assert.True(string.CompareOrdinal(olderReview, newerReview) < 0);
        Assert.True(string.CompareOrdinal(olderReview, Keys.ReviewRowPrefix(newer)) < 0);
    }

    [Theory]
    [MemberData(nameof(HostileIds))]
    public void WebhookQueuePartition_IsNoAccountsPartition(string accountId)
    {
        Assert.NotEqual(Keys.WebhookQueuePartition, Keys.Partition(accountId));
        Assert.NotEqual(Keys.WebhookQueuePartition, Keys.Partition(Keys.WebhookQueuePartition));
    }
}
