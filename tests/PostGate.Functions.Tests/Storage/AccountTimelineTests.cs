using PostGate.Functions.Storage;
using PostGate.Rules.Engine;
using Xunit;

namespace PostGate.Functions.Tests.Storage;

/// <summary>The cached part of an account's timeline: slices by row key and the ranges still to read.</summary>
public sealed class AccountTimelineTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static string Row(int n) => $"t{n:D6}";

    private static TimelineEntry Entry(int n) => new($"d{n}", null, At.AddMinutes(n), Channel.X, PostKind.Broadcast, 0, 0);

    private static AccountTimeline Cached(IEnumerable<int> rows, int low, int high)
    {
        var timeline = new AccountTimeline();
        timeline.Covered(Row(low), Row(high), rows.Select(n => KeyValuePair.Create(Row(n), Entry(n))));
        return timeline;
    }

    [Fact]
    public void A_slice_holds_exactly_the_rows_within_its_bounds_in_order()
    {
        var random = new Random(20261129);
        for (var round = 0; round < 400; round++)
        {
            var rows = Enumerable.Range(0, random.Next(0, 40)).Select(_ => random.Next(0, 100)).Distinct().ToList();
            var timeline = Cached(rows, 0, 100);

            // Bounds on rows, between rows, outside every row, and reversed.
            var (low, high) = (random.Next(-5, 105), random.Next(-5, 105));
            var slice = timeline.Slice(Row(low), Row(high));

            var expected = rows.Where(n => string.CompareOrdinal(Row(n), Row(low)) >= 0 && string.CompareOrdinal(Row(n), Row(high)) <= 0)
                .OrderBy(Row, StringComparer.Ordinal)
                .Select(n => $"d{n}");
            Assert.Equal(expected, slice.Select(e => e.DecisionId));
        }
    }

    [Fact]
    public void A_slice_of_one_row_key_holds_that_row()
    {
        var timeline = Cached([3, 5, 7], 0, 10);

        Assert.Equal(["d5"], timeline.Slice(Row(5), Row(5)).Select(e => e.DecisionId));
        Assert.Empty(timeline.Slice(Row(4), Row(4)));
        Assert.Empty(new AccountTimeline().Slice(Row(0), Row(10)));
    }

    [Fact]
    public void The_rows_of_a_window_read_in_place_are_those_of_its_slice_and_the_rules_find_the_same()
    {
        // NOTE: real row keys (milliseconds, then the decision id) over times with ticks inside the millisecond, so
        // several rows share a millisecond in an order their ticks do not follow; drafts checked again replace their
        // row, as a landed transaction does.
        var policy = PostGate.Rules.Policy.PolicyLoader.LoadFile(Path.Combine(RepoPaths.Root, "rules", "policies", "default.json"));
        var random = new Random(20261130);
        for (var round = 0; round < 300; round++)
        {
            var timeline = new AccountTimeline();
            var rows = new Dictionary<string, string>();
            var covered = Enumerable.Range(0, random.Next(0, 30)).Select(_ => Stamped(random, rows)).ToList();
            timeline.Covered(Keys.TimelineBound(At.AddDays(-30), high: false), Keys.TimelineBound(At.AddDays(30), high: true), covered);
            for (var change = 0; change < random.Next(0, 20); change++)
            {
                var (row, entry) = Stamped(random, rows, out var replaced);
                timeline.Committed(change + 1, "hash", new Azure.ETag("e"), 0, row, entry, replaced);
            }

            var start = At.AddTicks(random.NextInt64(-TimeSpan.TicksPerDay * 3, TimeSpan.TicksPerDay * 3));
            var end = start.AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay * 3));
            var (from, until) = Keys.TimelineInstants(start, end);
            var slice = timeline.Slice(Keys.TimelineBound(start, high: false), Keys.TimelineBound(end, high: true));
            var inPlace = timeline.Between(from, until);

            Assert.Equal(slice.OrderBy(e => e.DecisionId, StringComparer.Ordinal), inPlace.OrderBy(e => e.DecisionId, StringComparer.Ordinal));
            var draft = new Draft { AccountId = "acct", Channel = Channel.X, Text = "Spring is here: https://acme.com/a and https://acme.com/b, what will you plant first?", ScheduledAt = At, DraftId = $"draft-{random.Next(0, 12)}" };
            Assert.Equal(Describe(PolicyEngine.Evaluate(draft, slice, policy)), Describe(PolicyEngine.Evaluate(draft, inPlace, policy)));
        }
    }

    [Fact]
    public void Many_rows_read_at_once_are_merged_into_what_inserting_each_would_leave()
    {
        // NOTE: rows below, above and among the cached ones, rows read again (a key already cached, or twice in one
        // read), drafts that move from row to row.
        var random = new Random(20261201);
        for (var round = 0; round < 300; round++)
        {
            var merged = new AccountTimeline();
            var oneByOne = new AccountTimeline();
            var rows = new Dictionary<string, string>();
            var all = new List<KeyValuePair<string, TimelineEntry>>();
            for (var read = 0; read < 3; read++)
            {
                var batch = Enumerable.Range(0, random.Next(0, 40)).Select(_ => Stamped(random, rows)).ToList();
                batch.AddRange(all.Where(_ => random.Next(0, 10) == 0).Select(r => KeyValuePair.Create(r.Key, r.Value with { })));
                batch.AddRange(batch.Where(_ => random.Next(0, 10) == 0).ToList());
                all.AddRange(batch);
                var (low, high) = (Keys.TimelineBound(At.AddDays(-30), high: false), Keys.TimelineBound(At.AddDays(30), high: true));
                merged.Covered(low, high, batch);
                foreach (var row in batch)
                {
                    oneByOne.Covered(low, high, [row]);
                }
            }

            var (from, until) = (Keys.TimelineBound(At.AddDays(-30), high: false), Keys.TimelineBound(At.AddDays(30), high: true));
            Assert.Equal(oneByOne.Count, merged.Count);
            Assert.True(Same(oneByOne.Slice(from, until), merged.Slice(from, until)));
            Assert.True(Same(oneByOne.Between(DateTimeOffset.MinValue, DateTimeOffset.MaxValue), merged.Between(DateTimeOffset.MinValue, DateTimeOffset.MaxValue)));
            Assert.Equal(oneByOne.Drafts.OrderBy(d => d.Key, StringComparer.Ordinal), merged.Drafts.OrderBy(d => d.Key, StringComparer.Ordinal));
        }
    }

    [Fact]
    public void The_instants_of_a_window_are_whole_milliseconds_and_reach_the_last_row_key()
    {
        var start = new DateTimeOffset(2026, 12, 1, 9, 0, 0, 123, TimeSpan.Zero).AddTicks(4567);
        var (from, until) = Keys.TimelineInstants(start, start.AddMinutes(1));

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 9, 0, 0, 123, TimeSpan.Zero), from);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 9, 1, 0, 124, TimeSpan.Zero), until);
        Assert.Equal((DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddMilliseconds(1)), Keys.TimelineInstants(DateTimeOffset.MinValue, DateTimeOffset.UnixEpoch));
        Assert.Equal(DateTimeOffset.MaxValue, Keys.TimelineInstants(start, DateTimeOffset.MaxValue).Until);
    }

    /// <summary>The same entries in the same order: the very objects, not equal copies.</summary>
    private static bool Same(IEnumerable<TimelineEntry> first, IEnumerable<TimelineEntry> second) =>
        first.Cast<object>().SequenceEqual(second.Cast<object>(), ReferenceEqualityComparer.Instance);

    /// <summary>An entry a few days around <see cref="At"/>, on a grid of 17 minutes with ticks inside the millisecond, keyed as the log keys it.</summary>
    private static KeyValuePair<string, TimelineEntry> Stamped(Random random, Dictionary<string, string> rows) => Stamped(random, rows, out _);

    private static KeyValuePair<string, TimelineEntry> Stamped(Random random, Dictionary<string, string> rows, out string? replaced)
    {
        var at = At.AddMinutes(17 * random.Next(-200, 200)).AddTicks(random.Next(0, (int)TimeSpan.TicksPerMillisecond));
        var decisionId = $"dec-{random.Next():x8}";
        var draftId = $"draft-{random.Next(0, 12)}";
        var links = random.Next(0, 3);
        var entry = new TimelineEntry(decisionId, draftId, at, (Channel)random.Next(0, 3), random.Next(0, 4) == 0 ? PostKind.Reply : PostKind.Broadcast, links, 0)
        {
            LinkKeys = [.. Enumerable.Range(0, links).Select(k => $"acme.com/{(char)('a' + random.Next(0, 3))}")],
            Promotional = random.Next(0, 3) == 0,
            Fingerprint = (ulong)random.NextInt64() | 1,
        };
        var row = Keys.TimelineRow(at, decisionId);
        rows.Remove(draftId, out replaced);
        rows[draftId] = row;
        return KeyValuePair.Create(row, entry);
    }

    private static string Describe(Evaluation evaluation) =>
        string.Join("\n", evaluation.Findings.Select(f => $"{f.RuleId} {f.Severity} {f.Message}")) + $"\n{evaluation.Verdict}";

    public static TheoryData<int, int, string> MissingCases => new()
    {
        // Covered 10..20; asked low..high → the ranges still to read.
        { 12, 18, "" },
        { 10, 20, "" },
        { 5, 15, "[t000005,t000010)" },
        { 15, 25, "(t000020,t000025]" },
        { 5, 25, "[t000005,t000010) (t000020,t000025]" },
    };

    [Theory]
    [MemberData(nameof(MissingCases))]
    public void Missing_names_the_ranges_outside_what_is_covered(int low, int high, string expected)
    {
        var timeline = Cached([], 10, 20);

        var missing = timeline.Missing(Row(low), Row(high));

        Assert.Equal(expected, string.Join(' ', missing.Select(m => $"{(m.LowInclusive ? '[' : '(')}{m.Low},{m.High}{(m.HighInclusive ? ']' : ')')}")));
    }

    [Fact]
    public void Missing_is_everything_asked_for_when_nothing_is_covered()
    {
        var missing = new AccountTimeline().Missing(Row(1), Row(2));

        Assert.Equal([(Row(1), true, Row(2), true)], missing);
    }
}
