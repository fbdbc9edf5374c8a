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
