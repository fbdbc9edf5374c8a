using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using PostGate.Functions.Contracts;
using PostGate.Functions.Problems;
using PostGate.Functions.Storage;
using PostGate.Functions.Webhooks;
using Xunit;

namespace PostGate.Functions.Tests.Endpoints;

public sealed class ReviewEndpointsTests : IClassFixture<GateApp>
{
    private static readonly string DecisionId = Keys.NewDecisionId(GateApp.Start);
    private static readonly string Path = $"/api/decisions/acme/{DecisionId}/reviews";

    private readonly GateApp _app;
    private readonly HttpClient _client;

    public ReviewEndpointsTests(GateApp app)
    {
        _app = app;
        _app.Reset();
        _client = app.CreateClient();
    }

    private static string Body(string action = "approve", string reason = "Claims checked with legal.", string? reviewer = null) =>
        System.Text.Json.JsonSerializer.Serialize(new { action, reason, reviewer }, TestHttp.Web);

    private Task<HttpResponseMessage> PostAsync(string body, string? path = null) => _client.PostAsync(path ?? Path, TestHttp.Json(body));

    private static async Task<ReviewResponse> ReadReviewAsync(HttpResponseMessage response)
    {
        await TestHttp.AssertStatusAsync(response, HttpStatusCode.Created);
        var review = await response.Content.ReadFromJsonAsync<ReviewResponse>(TestHttp.Web);
        Assert.NotNull(review);
        return review;
    }

    private void Answers(ReviewResult result) =>
        _app.Reviews.AddReviewAsync(Arg.Any<string>(), Arg.Any<string>(), Arg.Any<NewReview>(), Arg.Any<CancellationToken>()).Returns(result);

    [Theory]
    [InlineData("approve")]
    [InlineData("reject")]
    [InlineData("comment")]
    public async Task Add_Valid_Returns201WithTheReviewRecord(string action)
    {
        var response = await PostAsync(Body(action, reviewer: "ann"));

        var review = await ReadReviewAsync(response);
        Assert.Equal(action, review.Action);
        Assert.Equal("Claims checked with legal.", review.Reason);
        Assert.Equal("ann", review.Reviewer);
        Assert.Equal("request", review.ReviewerSource);
        Assert.Equal(DecisionId, review.DecisionId);
        Assert.Equal("acme", review.AccountId);
        Assert.Equal(_app.Time.GetUtcNow(), review.At);
        Assert.Equal(32, review.ReviewId.Length);
        Assert.Equal($"/api/decisions/acme/{DecisionId}", response.Headers.Location?.OriginalString);
        await _app.Reviews.Received(1).AddReviewAsync(
            "acme",
            DecisionId,
            Arg.Is<NewReview>(r => r.Action == action && r.Reviewer == "ann" && r.At == _app.Time.GetUtcNow() && !r.WebhooksEnabled),
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Add_ReasonOfMaxLength_IsAccepted()
    {
        var response = await PostAsync(Body(reason: new string('r', ReviewRequest.MaxReasonLength)));

        Assert.Equal(ReviewRequest.MaxReasonLength, (await ReadReviewAsync(response)).Reason.Length);
    }

    [Fact]
    public async Task Add_NoReviewerAndNoIdentity_RecordsNone()
    {
        var review = await ReadReviewAsync(await PostAsync("""{"action":"comment","reason":"Noted."}"""));

        Assert.Null(review.Reviewer);
        Assert.Equal("none", review.ReviewerSource);
    }

    public static TheoryData<string, string[]> InvalidBodies => new()
    {
        { "{", [""] },
        { "", [""] },
        { "[]", [""] },
        { "\"approve\"", [""] },
        { "{}", ["/action", "/reason"] },
        { """{"reason":"Fine."}""", ["/action"] },
        { """{"action":"approve"}""", ["/reason"] },
        { """{"action":null,"reason":null}""", ["/action", "/reason"] },
        { """{"action":"approved","reason":"Fine."}""", ["/action"] },
        // Actions are lower case and compared exactly.
        { """{"action":"Approve","reason":"Fine."}""", ["/action"] },
        { """{"action":1,"reason":"Fine."}""", ["/action"] },
        { """{"action":"approve","reason":""}""", ["/reason"] },
        { """{"action":"approve","reason":"  \t\n "}""", ["/reason"] },
        { """{"action":"approve","reason":["Fine."]}""", ["/reason"] },
        { Body(reason: new string('r', ReviewRequest.MaxReasonLength + 1)), ["/reason"] },
        { """{"action":"approve","reason":"fine \uD800"}""", ["/reason"] },
        { """{"action":"approve","reason":"Fine.","reviewer":""}""", ["/reviewer"] },
        { """{"action":"approve","reason":"Fine.","reviewer":7}""", ["/reviewer"] },
        { Body(reviewer: new string('a', CheckRequest.MaxIdLength + 1)), ["/reviewer"] },
        { """{"action":"approve","reason":"Fine.","status":"approved"}""", ["/status"] },
        { """{"action":"approve","reason":"Fine.","action":"reject"}""", ["/action"] },
        // Every bad field at once.
        { """{"action":"maybe","reason":"","extra":1}""", ["/action", "/reason", "/extra"] },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Add_InvalidBody_Returns400WithPointers(string body, string[] keys)
    {
        var response = await PostAsync(body);

        await response.AssertInvalidAsync(keys);
        await _app.Reviews.DidNotReceiveWithAnyArgs().AddReviewAsync(default!, default!, default!, default);
    }

    [Fact]
    public async Task Add_BodyOverCap_Returns400()
    {
        var response = await PostAsync(Body(reason: new string('r', ReviewRequest.MaxBodyBytes)));

        await response.AssertInvalidAsync("");
    }

    [Fact]
    public async Task Add_NotJson_Returns415()
    {
        var response = await _client.PostAsync(Path, new StringContent("action=approve", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, ProblemTypes.UnsupportedMediaType);
    }

    [Fact]
    public async Task Add_UnknownDecision_Returns404()
    {
        Answers(new ReviewResult(ReviewOutcome.DecisionNotFound));

        var response = await PostAsync(Body());

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task Add_FinalOnDecisionNotHeld_Returns409NotHeld()
    {
        Answers(new ReviewResult(ReviewOutcome.NotHeld));

        var response = await PostAsync(Body("reject"));

        await response.AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.DecisionNotHeld);
    }

    [Fact]
    public async Task Add_SecondFinal_Returns409AlreadyReviewed()
    {
        Answers(new ReviewResult(ReviewOutcome.AlreadyFinal));

        var response = await PostAsync(Body("approve"));

        await response.AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.AlreadyReviewed);
    }

    [Fact]
    public async Task Add_StorageUnavailable_Returns503()
    {
        _app.Reviews.AddReviewAsync(Arg.Any<string>(), Arg.Any<string>(), Arg.Any<NewReview>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new StorageUnavailableException("down"));

        var response = await PostAsync(Body());

        await response.AssertStorageUnavailableAsync();
    }

    [Fact]
    public async Task Add_WebhookQueued_WakesTheDispatcher()
    {
        var signal = _app.Services.GetRequiredService<WebhookSignal>();
        var review = new ReviewResponse(Keys.NewReviewId(GateApp.Start), DecisionId, "acme", "approve", "Fine.", "ann", "request", GateApp.Start);
        Answers(new ReviewResult(ReviewOutcome.Added, review, ReviewStatus.Approved, WebhookOutcome.Queued));

        await ReadReviewAsync(await PostAsync(Body()));

        // NOTE: the signal is already set, so this returns at once instead of waiting out the long timeout.
        var wait = signal.WaitAsync(TimeSpan.FromMinutes(5), TimeProvider.System, CancellationToken.None);
        Assert.Same(wait, await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(10))));
    }

    [Fact]
    public async Task Add_CallbackButNoSecret_LogsThatNothingIsSent()
    {
        var review = new ReviewResponse(Keys.NewReviewId(GateApp.Start), DecisionId, "acme", "approve", "Fine.", "ann", "request", GateApp.Start);
        Answers(new ReviewResult(ReviewOutcome.Added, review, ReviewStatus.Approved, WebhookOutcome.Disabled));

        await ReadReviewAsync(await PostAsync(Body()));

        Assert.Contains(_app.LogLines, l => l.Contains("[5003]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Add_NeverLogsTheReason()
    {
        await ReadReviewAsync(await PostAsync(Body(reason: "secret-reason-text")));

        Assert.DoesNotContain(_app.LogLines, l => l.Contains("secret-reason-text", StringComparison.Ordinal));
        Assert.Contains(_app.LogLines, l => l.Contains("[5001]", StringComparison.Ordinal));
    }

    /// <summary>With authentication on, the authenticated name is the reviewer, whatever the body says.</summary>
    [Fact]
    public async Task Add_AuthenticatedCaller_IsTheReviewer()
    {
        using var app = GateApp.WithAuth(Callers.Keys());
        var client = app.CreateClient(Callers.Compliance);

        var review = await ReadReviewAsync(await client.PostAsync(Path, TestHttp.Json(Body(reviewer: "mallory"))));

        Assert.Equal("compliance-desk", review.Reviewer);
        Assert.Equal("identity", review.ReviewerSource);
        await app.Reviews.Received(1).AddReviewAsync(
            "acme", DecisionId, Arg.Is<NewReview>(r => r.Reviewer == "compliance-desk" && r.ReviewerSource == "identity"), Arg.Any<CancellationToken>());
    }

    [Theory]
    [InlineData("a%2Fb", "a/b")]
    [InlineData("50%252Foff", "50%2Foff")]
    [InlineData("%F0%9F%98%80%20caf%C3%A9", "\U0001F600 café")]
    public async Task Add_PercentEncodedAccountId_ReachesLogDecoded(string encoded, string accountId)
    {
        using var app = GateApp.OnKestrel();

        var response = await app.CreateClient().PostAsync($"/api/decisions/{encoded}/{DecisionId}/reviews", TestHttp.Json(Body()));

        Assert.Equal(accountId, (await ReadReviewAsync(response)).AccountId);
        await app.Reviews.Received(1).AddReviewAsync(accountId, DecisionId, Arg.Any<NewReview>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Add_UnexpectedFailure_Returns500WithoutDetail()
    {
        _app.Reviews.AddReviewAsync(Arg.Any<string>(), Arg.Any<string>(), Arg.Any<NewReview>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new InvalidOperationException("secret-internal-detail"));

        var response = await PostAsync(Body());

        var problem = await response.AssertProblemAsync(HttpStatusCode.InternalServerError, ProblemTypes.Unexpected);
        Assert.DoesNotContain("secret-internal-detail", problem.GetRawText(), StringComparison.Ordinal);
    }
}
