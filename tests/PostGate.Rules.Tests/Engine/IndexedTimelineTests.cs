using CsCheck;
using PostGate.Rules.Engine;
using PostGate.Rules.Tests.TestSupport;
using Xunit;

namespace PostGate.Rules.Tests.Engine;

public sealed class IndexedTimelineTests
{
    private static readonly string[] Keys = ["acme.com/spring", "shop.acme.com/x", "acme.com/0", "acme.com/1"];

    /// <summary>
    /// Posts on a coarse grid of hours (many share an instant), of every kind, with none, one or several link keys
    /// (repeats included), some of them versions of the draft "d3"; in no particular order.
    /// </summary>
    private static readonly Gen<TimelineEntry[]> Posts =
        Gen.Select(Gen.Int[-200, 200], Gen.Bool, Gen.Bool, Gen.Int[0, 4].Array[0, 3], Gen.Int[0, 7], Gen.ULong, Gen.Int[0, 40])
            .Array[0, 90]
            .Select(rows => rows
                .Select((row, k) => new TimelineEntry(
                    $"dec-{k}", row.Item7 == 3 ? "d3" : $"d{k}", Drafts.Now + TimeSpan.FromHours(row.Item1), (Channel)row.Item5,
                    row.Item2 ? PostKind.Reply : PostKind.Broadcast, row.Item4.Length, 0)
                {
                    Promotional = row.Item3,
                    Fingerprint = row.Item6 % 3 == 0 ? 0 : row.Item6,
                    LinkKeys = [.. row.Item4.Select(i => i < Keys.Length ? Keys[i] : $"other.example/{k}")],
                })
                .ToArray());

    private const string Busy = "Big news! Our spring range is here, shop it today at https://acme.com/spring and https://shop.acme.com/x, and tell us what you think.";

    [Fact]
    public void Evaluate_OnARange_FindsWhatTheSameEntriesAsAnArrayFind()
    {
        // NOTE: posts arrive in any order and some leave again, as a cache fills and loses rows; the range is any run
        // of what is kept. A range holding a version of the draft takes the other path, which leaves it out.
        Gen.Select(Posts, Gen.Int[0, 30], Gen.Int[0, 100], Gen.Int[0, 100]).Sample((posts, removals, a, b) =>
        {
            var indexed = new IndexedTimeline();
            foreach (var post in posts)
            {
                indexed.Add(post);
            }

            for (var r = 0; r < Math.Min(removals, indexed.Count); r++)
            {
                indexed.RemoveAt((a + (r * 7)) % indexed.Count);
            }

            var (start, end) = (Math.Min(a, b) % (indexed.Count + 1), Math.Max(a, b) % (indexed.Count + 1));
            (start, end) = (Math.Min(start, end), Math.Max(start, end));
            var kept = Enumerable.Range(start, end - start).Select(k => indexed[k]).ToArray();
            var draft = Drafts.Post(Busy, draftId: "d3");

            var expected = Evaluations.Describe(PolicyEngine.Evaluate(draft, kept, Policies.Default));
            Assert.Equal(expected, Evaluations.Describe(PolicyEngine.Evaluate(draft, indexed.Range(start, end - start), Policies.Default)));
        }, iter: 400);
    }

    [Fact]
    public void Columns_AfterAddsAndRemovals_HoldWhatAFreshFillHolds()
    {
        Gen.Select(Posts, Gen.Int[0, 60], Gen.Int).Sample((posts, removals, seed) =>
        {
            var random = new Random(seed);
            var indexed = new IndexedTimeline();
            foreach (var post in posts)
            {
                indexed.Add(post);
            }

            for (var r = 0; r < Math.Min(removals, indexed.Count); r++)
            {
                indexed.RemoveAt(random.Next(indexed.Count));
            }

            var entries = Enumerable.Range(0, indexed.Count).Select(k => indexed[k]).ToArray();
            Assert.True(entries.Zip(entries.Skip(1)).All(p => p.First.ScheduledAt <= p.Second.ScheduledAt));
            var fresh = new TimelineColumns();
            Assert.True(fresh.TryFillSortedWithout(entries, draftId: null));
            var columns = indexed.Columns;
            Assert.Equal(fresh.Ticks.ToArray(), columns.Ticks.ToArray());
            Assert.Equal(fresh.Channels.ToArray(), columns.Channels.ToArray());
            Assert.Equal(fresh.Fingerprints.ToArray(), columns.Fingerprints.ToArray());
            Assert.Equal(fresh.Marks.ToArray(), columns.Marks.ToArray().Select(m => (byte)(m & ~TimelineColumns.SeveralKeys)).ToArray());
            AssertKeyCounts(indexed, entries, random);
        }, iter: 400);
    }

    [Fact]
    public void Ids_OfKeysNoPostHoldsAnyMore_AreGivenOutAgain()
    {
        var indexed = new IndexedTimeline();
        for (var k = 0; k < 500; k++)
        {
            indexed.Add(Post(k, [$"campaign.example/{k}", "acme.com/spring"]));
            if (k >= 3)
            {
                indexed.RemoveAt(0);
            }
        }

        Assert.Equal(3, indexed.Count);
        Assert.InRange(indexed.KeyIdCount, 4, (2 * 4) + 64);
        AssertKeyCounts(indexed, [indexed[0], indexed[1], indexed[2]], new Random(1));
        Assert.Equal(3, indexed.Columns.CountKey(Id(indexed, "acme.com/spring"), 0, 3));
        Assert.False(indexed.KeyLookup.TryGetValue("campaign.example/10", out _));
    }

    [Fact]
    public void Add_KeepsPostsOldestFirstAndThoseOfOneInstantByDecisionId()
    {
        Gen.Select(Posts, Gen.Int).Sample((posts, seed) =>
        {
            var indexed = new IndexedTimeline();
            foreach (var post in posts.OrderBy(_ => new Random(seed).Next()))
            {
                indexed.Add(post);
            }

            var expected = posts.OrderBy(p => p.ScheduledAt).ThenBy(p => p.DecisionId, StringComparer.Ordinal);
            Assert.Equal(expected, Enumerable.Range(0, indexed.Count).Select(k => indexed[k]));
        }, iter: 300);
    }

    [Fact]
    public void Remove_TakesOutThatEntryNotAnEqualOne()
    {
        var indexed = new IndexedTimeline();
        var first = Post(1, ["acme.com/spring"]);
        var copy = first with { };
        indexed.Add(first);
        indexed.Add(copy);
        indexed.Add(Post(2, []));

        Assert.True(indexed.Remove(copy));
        Assert.False(indexed.Remove(copy));
        Assert.False(indexed.Remove(Post(3, [])));

        Assert.Equal(2, indexed.Count);
        Assert.Same(first, indexed[0]);
        Assert.Equal(1, indexed.Columns.CountKey(Id(indexed, "acme.com/spring"), 0, 2));
    }

    [Fact]
    public void Between_HoldsThePostsFromTheFirstInstantUntilTheSecond()
    {
        Gen.Select(Posts, Gen.Int[-210, 210], Gen.Int[-210, 210]).Sample((posts, from, until) =>
        {
            var indexed = new IndexedTimeline();
            foreach (var post in posts)
            {
                indexed.Add(post);
            }

            var (start, end) = (Drafts.Now + Timeline.Hours(from), Drafts.Now + Timeline.Hours(until));
            var expected = posts.Where(p => p.ScheduledAt >= start && p.ScheduledAt < end)
                .OrderBy(p => p.ScheduledAt).ThenBy(p => p.DecisionId, StringComparer.Ordinal);
            Assert.Equal(expected, indexed.Between(start, end));
        }, iter: 300);
    }

    [Fact]
    public void Range_TakenBeforeAChange_IsRefusedAfterIt()
    {
        var indexed = new IndexedTimeline();
        indexed.Add(Post(-2, []));
        var range = indexed.Range(0, 1);
        indexed.Add(Post(-3, []));

        Assert.Throws<InvalidOperationException>(() => range[0]);
        Assert.Throws<InvalidOperationException>(() => PolicyEngine.Evaluate(Drafts.Post("Hello there, how was your weekend?"), range, Policies.Default));
        Assert.Equal(2, indexed.Range(0, 2).Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => indexed.Range(1, 2));
    }

    private static TimelineEntry Post(int hours, string[] keys) =>
        new($"dec-{hours}-{keys.Length}", null, Drafts.Now + Timeline.Hours(hours), Channel.X, PostKind.Broadcast, keys.Length, 0) { LinkKeys = keys };

    private static int Id(IndexedTimeline indexed, string key) =>
        indexed.KeyLookup.TryGetValue(key, out var id) ? id : throw new KeyNotFoundException(key);

    /// <summary>For every key and some ranges, the posts counted by id are those whose keys hold it.</summary>
    private static void AssertKeyCounts(IndexedTimeline indexed, TimelineEntry[] entries, Random random)
    {
        var keys = entries.SelectMany(e => e.LinkKeys).Distinct().ToArray();
        for (var round = 0; round < 4; round++)
        {
            var (a, b) = (random.Next(entries.Length + 1), random.Next(entries.Length + 1));
            var (low, high) = (Math.Min(a, b), Math.Max(a, b));
            foreach (var key in keys)
            {
                var expected = entries[low..high].Count(e => e.LinkKeys.Contains(key));
                Assert.Equal(expected, indexed.Columns.CountKey(Id(indexed, key), low, high));
            }
        }
    }
}
