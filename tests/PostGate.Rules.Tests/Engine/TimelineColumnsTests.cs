using CsCheck;
using PostGate.Rules.Engine;
using PostGate.Rules.Rules.Cadence;
using PostGate.Rules.Tests.TestSupport;
using Xunit;

namespace PostGate.Rules.Tests.Engine;

public sealed class TimelineColumnsTests
{
    /// <summary>Timelines on a coarse grid of hours (many posts share an instant), of every kind, oldest first.</summary>
    private static readonly Gen<TimelineEntry[]> Timelines = TimelinesOf(70);

    /// <summary>Timelines of up to <paramref name="most"/> posts, as <see cref="Timelines"/>.</summary>
    private static Gen<TimelineEntry[]> TimelinesOf(int most) =>
        Gen.Select(Gen.Int[-200, 200], Gen.Bool, Gen.Bool, Gen.Int[0, 2], Gen.Int[0, 7], Gen.ULong)
            .Array[0, most]
            .Select(rows => rows
                .Select((row, k) => new TimelineEntry(
                    $"dec-{k}", $"d{k}", Drafts.Now + TimeSpan.FromHours(row.Item1), (Channel)row.Item5,
                    row.Item2 ? PostKind.Reply : PostKind.Broadcast, row.Item4, 0)
                {
                    Promotional = row.Item3,
                    Fingerprint = row.Item6 % 3 == 0 ? 0 : row.Item6,
                    LinkKeys = row.Item4 > 0 ? [$"acme.com/{k % 3}"] : [],
                })
                .OrderBy(e => e.ScheduledAt)
                .ToArray());

    [Fact]
    public void Columns_HoldEachEntrysFieldsInOrder()
    {
        Timelines.Sample(timeline =>
        {
            var columns = new TimelineColumns();
            Assert.True(columns.TryFillSortedWithout(timeline, "not-there"));
            Assert.Equal(timeline.Length, columns.Count);
            for (var k = 0; k < timeline.Length; k++)
            {
                var entry = timeline[k];
                Assert.Equal(entry.ScheduledAt.UtcTicks, columns.Ticks[k]);
                Assert.Equal(entry.Channel, columns.Channels[k]);
                Assert.Equal(entry.Fingerprint, columns.Fingerprints[k]);
                Assert.Equal(entry.Kind == PostKind.Reply, (columns.Marks[k] & TimelineColumns.Reply) != 0);
                Assert.Equal(entry.Promotional, (columns.Marks[k] & TimelineColumns.Promotional) != 0);
                Assert.Equal(entry.LinkCount > 0, (columns.Marks[k] & TimelineColumns.Linked) != 0);
            }
        }, iter: 500);
    }

    [Fact]
    public void TryFillSortedWithout_RefusesATimelineOutOfOrderOrHoldingTheDraft()
    {
        var at = Drafts.Now;
        TimelineEntry Entry(int hours, string draftId) => new($"dec-{draftId}", draftId, at + TimeSpan.FromHours(hours), Channel.X, PostKind.Broadcast, 0, 0);
        var columns = new TimelineColumns();

        Assert.False(columns.TryFillSortedWithout([Entry(-1, "a"), Entry(-3, "b")], draftId: null));
        Assert.False(columns.TryFillSortedWithout([Entry(-3, "a"), Entry(-1, "b")], draftId: "b"));
        Assert.True(columns.TryFillSortedWithout([Entry(-3, "a"), Entry(-3, "b"), Entry(-1, "c")], draftId: "d"));
        Assert.True(columns.TryFillSortedWithout([Entry(-3, "a"), Entry(-1, "b")], draftId: null));
    }

    [Fact]
    public void CountMarked_EqualsAPlainCount()
    {
        // NOTE: ranges shorter and longer than one vector of sixteen or of sixty-four, and ones that end inside a vector.
        Gen.Select(TimelinesOf(200), Gen.Int[0, 200], Gen.Int[0, 200], Gen.Int[1, 7]).Sample((timeline, a, b, mark) =>
        {
            var columns = new TimelineColumns();
            Assert.True(columns.TryFillSortedWithout(timeline, draftId: null));
            var (low, high) = (Math.Min(a, b) % (timeline.Length + 1), Math.Max(a, b) % (timeline.Length + 1));
            (low, high) = (Math.Min(low, high), Math.Max(low, high));
            var expected = timeline[low..high].Count(e =>
                ((mark & TimelineColumns.Reply) != 0 && e.Kind == PostKind.Reply)
                || ((mark & TimelineColumns.Promotional) != 0 && e.Promotional)
                || ((mark & TimelineColumns.Linked) != 0 && e.LinkCount > 0));
            Assert.Equal(expected, columns.CountMarked(low, high, (byte)mark));
        }, iter: 3000);
    }

    [Fact]
    public void BusiestDayWith_EqualsEveryWindowCountedOneByOne()
    {
        // NOTE: posts on a coarse grid of hours (many at one instant, some at the post's own), replies skipped or not,
        // counted on one channel or all.
        var day = TimeSpan.FromHours(24).Ticks;
        var posts = Gen.Select(Gen.Int[-60, 60], Gen.Bool, Gen.Int[0, 2]).Array[0, 60];
        Gen.Select(posts, Gen.Int[-30, 30], Gen.Bool, Gen.Int[-1, 2]).Sample((rows, at, skipReplies, only) =>
        {
            var sorted = rows.OrderBy(r => r.Item1).ToArray();
            var ticks = sorted.Select(r => r.Item1 * TimeSpan.TicksPerHour).ToArray();
            var marks = sorted.Select(r => r.Item2 ? TimelineColumns.Reply : (byte)0).ToArray();
            var channels = sorted.Select(r => (Channel)r.Item3).ToArray();
            var channel = only < 0 ? (Channel?)null : (Channel)only;
            var others = sorted.Where(r => !(skipReplies && r.Item2) && (channel is null || (Channel)r.Item3 == channel))
                .Select(r => r.Item1 * TimeSpan.TicksPerHour).ToArray();
            var post = at * TimeSpan.TicksPerHour;
            var starts = others.Where(s => s <= post && s > post - day).Append(post);
            var expected = starts.Max(s => 1 + others.Count(o => o >= s && o < s + day));
            var skipped = skipReplies ? TimelineColumns.Reply : (byte)0;
            Assert.Equal(expected, DailyVolumeRule.BusiestDayWith(post, ticks, marks, channels, skipped, channel, day));
        }, iter: 5000);
    }

    [Fact]
    public void Evaluate_TimelineInAnyOrderOrAsAList_FindsWhatTheSortedArrayFinds()
    {
        // NOTE: a timeline that is not a sorted array is copied, sorted and then put in columns by the other path.
        var busy = "Big news! Our spring range is here, shop it today at https://acme.com/spring and tell us what you think.";
        Gen.Select(Timelines, Gen.Int).Sample((timeline, seed) =>
        {
            var draft = Drafts.Post(busy, draftId: "d3");
            var shuffled = timeline.OrderBy(_ => new Random(seed).Next()).ToList();
            var expected = Evaluations.Describe(PolicyEngine.Evaluate(draft, timeline.Where(e => e.DraftId != "d3").ToArray(), Policies.Default));
            Assert.Equal(expected, Evaluations.Describe(PolicyEngine.Evaluate(draft, shuffled, Policies.Default)));
            Assert.Equal(expected, Evaluations.Describe(PolicyEngine.Evaluate(draft, timeline, Policies.Default)));
        }, iter: 300);
    }

    [Fact]
    public void Contexts_OpenAtOnceOnOneThread_KeepTheirOwnColumns()
    {
        var first = Timeline.Broadcasts(5, Timeline.Hours(-10), Timeline.Hours(1));
        var second = Timeline.Broadcasts(30, Timeline.Days(-3), Timeline.Minutes(7));
        var draft = Drafts.Post("A post with a few words in it.");
        var scope = Policies.Default.For(draft.AccountId, draft.Channel);
        var outer = new PostContext(draft, first, scope);
        try
        {
            var inner = new PostContext(draft, second, scope);
            try
            {
                Assert.Equal(second.Length, inner.Columns.Count);
                Assert.Equal(first, outer.Around(Timeline.Days(1), TimeSpan.Zero).ToArray());
            }
            finally
            {
                inner.Release();
            }

            Assert.Equal(first.Length, outer.Columns.Count);
            Assert.Equal(first[1..], outer.Around(Timeline.Hours(9), TimeSpan.Zero).ToArray());
        }
        finally
        {
            outer.Release();
        }
    }
}
