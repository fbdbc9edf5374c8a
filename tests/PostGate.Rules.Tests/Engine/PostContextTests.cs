using CsCheck;
using PostGate.Rules.Engine;
using PostGate.Rules.Tests.TestSupport;
using Xunit;

namespace PostGate.Rules.Tests.Engine;

public sealed class PostContextTests
{
    [Fact]
    public void Around_IsTheEntriesInsideTheWindowInOrder()
    {
        // NOTE: entries on a coarse grid of hours, so that many fall on the edges of a window and share an instant.
        var offsets = Gen.Int[-12, 12].Array[0, 40];
        var window = Gen.Select(Gen.Int[0, 8], Gen.Int[0, 8]);
        Gen.Select(offsets, window).Sample((hours, span) =>
        {
            var timeline = hours.Order().Select((h, k) => Timeline.Broadcast(Timeline.Hours(h), draftId: $"d{k}")).ToArray();
            var draft = Drafts.Post("A post with a few words in it.");
            var context = new PostContext(draft, timeline, Policies.Default.For(draft.AccountId, draft.Channel));
            try
            {
                var (before, after) = (Timeline.Hours(span.Item1), Timeline.Hours(span.Item2));
                var expected = timeline.Where(e => e.ScheduledAt >= draft.ScheduledAt - before && e.ScheduledAt <= draft.ScheduledAt + after);
                Assert.Equal(expected, context.Around(before, after).ToArray());
            }
            finally
            {
                context.Release();
            }
        }, iter: 2000);
    }
}
