using PostGate.Functions.Contracts;
using PostGate.Functions.Storage;
using Xunit;

namespace PostGate.Functions.Tests.Storage;

public sealed class ReviewStatusTests
{
    private static readonly DateTimeOffset DecidedAt = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ScheduledAt = DecidedAt.AddDays(1);
    private static readonly string DecisionId = Keys.NewDecisionId(DecidedAt);

    private static DecisionResponse Decision(string verdict) =>
        new(DecisionId, "acme", "d-1", verdict, [], [], "2026.1", DecidedAt, Logged: true,
            new DraftResponse("acme", "x", "BUY NOW", ScheduledAt, "d-1", "sam", null, null, [], 0));

    private static ReviewResponse Review(string action, int minutes, string reviewer = "ann") =>
        new(Keys.NewReviewId(DecidedAt.AddMinutes(minutes)), DecisionId, "acme", action, $"{action} after {minutes} min", reviewer, "request", DecidedAt.AddMinutes(minutes));

    public static TheoryData<string, string[], int, string> Cases => new()
    {
        // verdict, actions (one per minute), hours after the decision that "now" is, expected status
        { "allow", [], 1, ReviewStatus.NotRequired },
        { "coach", ["comment"], 1, ReviewStatus.NotRequired },
        { "block", [], 48, ReviewStatus.NotRequired },
        { "review", [], 1, ReviewStatus.Pending },
        { "review", ["comment", "comment"], 1, ReviewStatus.Pending },
        { "review", ["approve"], 1, ReviewStatus.Approved },
        { "review", ["comment", "reject", "comment"], 1, ReviewStatus.Rejected },
        // The scheduled time is 24 hours after the decision: at that instant a hold without a final review expires.
        { "review", [], 24, ReviewStatus.Expired },
        { "review", ["comment"], 48, ReviewStatus.Expired },
        // A final review stays final after the scheduled time.
        { "review", ["approve"], 48, ReviewStatus.Approved },
        { "review", ["reject"], 48, ReviewStatus.Rejected },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Derive_ByVerdictReviewsAndClock(string verdict, string[] actions, int hoursLater, string expected)
    {
        var history = actions.Select((a, i) => Review(a, i + 1)).ToList();

        var status = ReviewStatus.Derive(Decision(verdict), history, DecidedAt.AddHours(hoursLater));

        Assert.Equal(expected, status.Status);
        Assert.Equal(history, status.History);
    }

    [Fact]
    public void Derive_Final_CarriesItsReviewerReasonAndTime()
    {
        var history = new[] { Review("comment", 1, "bob"), Review("approve", 2, "ann"), Review("comment", 3, "cy") };

        var status = ReviewStatus.Derive(Decision("review"), history, DecidedAt.AddHours(1));

        Assert.Equal(new ReviewStatusResponse(ReviewStatus.Approved, "ann", "approve after 2 min", DecidedAt.AddMinutes(2), history), status);
    }

    [Fact]
    public void Derive_NoFinal_HasNoReviewerReasonOrTime()
    {
        var status = ReviewStatus.Derive(Decision("review"), [Review("comment", 1)], DecidedAt.AddHours(1));

        Assert.Null(status.Reviewer);
        Assert.Null(status.Reason);
        Assert.Null(status.At);
    }

    [Fact]
    public void All_MatchesTheListFilter()
    {
        Assert.Equal(DecisionQuery.ReviewStatuses, ReviewStatus.All);
    }
}
