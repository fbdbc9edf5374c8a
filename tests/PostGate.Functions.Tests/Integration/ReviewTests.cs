using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PostGate.Functions.Contracts;
using PostGate.Functions.Problems;
using PostGate.Functions.Storage;
using PostGate.Functions.Tests.Webhooks;
using PostGate.Functions.Webhooks;
using Xunit;

namespace PostGate.Functions.Tests.Integration;

/// <summary>
/// Reviews on the real log in Azurite: appended beside the decision, read back as its review state in GET and the
/// list, never touching the hash chain; webhooks leave through the outbox to a fake receiver.
/// </summary>
[Collection(UsesAzurite.Name)]
public sealed class ReviewTests : IDisposable
{
    /// <summary>Far enough ahead that the hold cannot expire while the suite runs.</summary>
    private const string Future = "2099-06-01T09:00:00Z";
    private const string Secret = "whsec_integration_5b2e";
    private const string CallbackUrl = "https://hooks.example.com/postgate?token=t0k3n";

    private readonly AzuriteFixture _azurite;
    private readonly string _table;
    private readonly GateApp _app;
    private readonly HttpClient _client;

    public ReviewTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        _table = azurite.TableFor(typeof(ReviewTests));
        _app = azurite.App(_table);
        _client = _app.CreateClient();
    }

    public void Dispose() => _app.Dispose();

    private static string UniqueAccount(string name) => name + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The README's hard sell, which the default policy holds for review.</summary>
    private static async Task<DecisionResponse> HeldAsync(HttpClient client, string accountId, string scheduledAt = Future, string? callbackUrl = null)
    {
        var decision = await (await client.CheckAsync(new
        {
            accountId,
            channel = "x",
            text = "BUY NOW!!! 50% off, limited time only: bit.ly/deal",
            scheduledAt,
            callbackUrl,
        })).ReadDecisionAsync();
        Assert.Equal(ReviewStatus.HeldVerdict, decision.Verdict);
        return decision;
    }

    private static Task<HttpResponseMessage> ReviewAsync(HttpClient client, DecisionResponse decision, string action, string reason = "Checked.", string? reviewer = "ann") =>
        client.PostAsJsonAsync($"/api/decisions/{Uri.EscapeDataString(decision.AccountId)}/{decision.DecisionId}/reviews", new { action, reason, reviewer }, TestHttp.Web);

    private static async Task<ReviewResponse> AddedAsync(Task<HttpResponseMessage> posting)
    {
        var response = await posting;
        await TestHttp.AssertStatusAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<ReviewResponse>(TestHttp.Web))!;
    }

    private static async Task<ReviewStatusResponse> StateAsync(HttpClient client, DecisionResponse decision)
    {
        var read = await (await client.GetAsync($"/api/decisions/{Uri.EscapeDataString(decision.AccountId)}/{decision.DecisionId}")).ReadDecisionAsync();
        Assert.NotNull(read.Review);
        return read.Review;
    }

    private static async Task<List<DecisionResponse>> ListAsync(HttpClient client, string accountId, string extra = "")
    {
        var page = await (await client.GetAsync($"/api/decisions?accountId={Uri.EscapeDataString(accountId)}{extra}")).ReadPageAsync();
        return [.. page.Items];
    }

    [Fact]
    public async Task Review_HeldDecision_StatusMovesAndHistoryIsAppended()
    {
        var decision = await HeldAsync(_client, UniqueAccount("acme-review"));

        var before = await StateAsync(_client, decision);
        Assert.Equal(ReviewStatus.Pending, before.Status);
        Assert.Empty(before.History);

        var comment = await AddedAsync(ReviewAsync(_client, decision, "comment", "Asking legal about the discount.", "bob"));
        Assert.Equal(ReviewStatus.Pending, (await StateAsync(_client, decision)).Status);

        var approval = await AddedAsync(ReviewAsync(_client, decision, "approve", "Legal confirmed the discount is real.", "ann"));
        var approved = await StateAsync(_client, decision);
        Assert.Equal(ReviewStatus.Approved, approved.Status);
        Assert.Equal("ann", approved.Reviewer);
        Assert.Equal("Legal confirmed the discount is real.", approved.Reason);
        Assert.Equal(approval.At, approved.At);
        Assert.Equal([comment.ReviewId, approval.ReviewId], approved.History.Select(r => r.ReviewId));
        Assert.Equal(approval, approved.History[1]);

        var listed = Assert.Single(await ListAsync(_client, decision.AccountId));
        Assert.Equal(ReviewStatus.Approved, listed.Review!.Status);
        Assert.Equal(2, listed.Review.History.Count);

        // A decision is settled once; comments may still follow and are appended.
        await (await ReviewAsync(_client, decision, "reject", "Changed my mind.")).AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.AlreadyReviewed);
        await (await ReviewAsync(_client, decision, "approve", "Again.")).AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.AlreadyReviewed);
        var late = await AddedAsync(ReviewAsync(_client, decision, "comment", "Published fine."));
        var after = await StateAsync(_client, decision);
        Assert.Equal(ReviewStatus.Approved, after.Status);
        Assert.Equal([comment.ReviewId, approval.ReviewId, late.ReviewId], after.History.Select(r => r.ReviewId));
    }

    [Fact]
    public async Task Review_NeverChangesTheDecisionOrBreaksTheChain()
    {
        var decision = await HeldAsync(_client, UniqueAccount("acme-chain"));
        await AddedAsync(ReviewAsync(_client, decision, "comment", "First look."));
        await AddedAsync(ReviewAsync(_client, decision, "reject", "Too pushy."));
        await HeldAsync(_client, decision.AccountId);

        var read = await (await _client.GetAsync($"/api/decisions/{decision.AccountId}/{decision.DecisionId}")).ReadDecisionAsync();
        Assert.Equal(
            JsonSerializer.Serialize(decision with { ShadowFindings = null }, TestHttp.Web),
            JsonSerializer.Serialize(read with { Review = null, ShadowFindings = null }, TestHttp.Web));

        var verify = await _client.GetAsync($"/api/decisions/{decision.AccountId}/verify");
        await TestHttp.AssertStatusAsync(verify, HttpStatusCode.OK);
        var report = await verify.Content.ReadFromJsonAsync<ChainReport>(TestHttp.Web);
        Assert.True(report!.Intact, report.FirstBreak?.Reason);
        Assert.Equal(2, report.Decisions);
    }

    [Fact]
    public async Task Review_DecisionNotHeld_OnlyTakesComments()
    {
        var decision = await (await _client.CheckAsync(new
        {
            accountId = UniqueAccount("acme-allow"),
            channel = "linkedin",
            text = "Our winter menu is out; the soup is back.",
            scheduledAt = Future,
        })).ReadDecisionAsync();
        Assert.NotEqual(ReviewStatus.HeldVerdict, decision.Verdict);

        await (await ReviewAsync(_client, decision, "approve")).AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.DecisionNotHeld);
        await (await ReviewAsync(_client, decision, "reject")).AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.DecisionNotHeld);
        await AddedAsync(ReviewAsync(_client, decision, "comment", "Nice one."));

        var state = await StateAsync(_client, decision);
        Assert.Equal(ReviewStatus.NotRequired, state.Status);
        Assert.Equal("Nice one.", Assert.Single(state.History).Reason);
    }

    [Fact]
    public async Task Review_HeldPastItsScheduledTime_IsExpiredUntilSettled()
    {
        var decision = await HeldAsync(_client, UniqueAccount("acme-expired"), scheduledAt: "2020-01-06T09:00:00Z");

        Assert.Equal(ReviewStatus.Expired, (await StateAsync(_client, decision)).Status);
        Assert.Equal(ReviewStatus.Expired, Assert.Single(await ListAsync(_client, decision.AccountId, "&reviewStatus=expired")).Review!.Status);

        // A late approval is still recorded and settles it.
        await AddedAsync(ReviewAsync(_client, decision, "approve", "Approved late; the scheduler decides."));
        Assert.Equal(ReviewStatus.Approved, (await StateAsync(_client, decision)).Status);
        Assert.Empty(await ListAsync(_client, decision.AccountId, "&reviewStatus=expired"));
    }

    [Fact]
    public async Task List_EachDecisionOnAPage_ShowsItsOwnReviews()
    {
        var accountId = UniqueAccount("acme-page");
        var first = await HeldAsync(_client, accountId);
        var second = await HeldAsync(_client, accountId);
        var third = await HeldAsync(_client, accountId);
        await AddedAsync(ReviewAsync(_client, first, "approve", "One."));
        await AddedAsync(ReviewAsync(_client, third, "comment", "Three, a note."));
        await AddedAsync(ReviewAsync(_client, third, "reject", "Three."));

        var seen = new List<DecisionResponse>();
        string? token = null;
        do
        {
            var query = $"/api/decisions?accountId={accountId}&pageSize=2" + (token is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(token));
            var page = await (await _client.GetAsync(query)).ReadPageAsync();
            seen.AddRange(page.Items);
            token = page.ContinuationToken;
        }
        while (token is not null);

        var byId = seen.ToDictionary(d => d.DecisionId, d => d.Review!);
        Assert.Equal(3, byId.Count);
        Assert.Equal((ReviewStatus.Approved, 1), (byId[first.DecisionId].Status, byId[first.DecisionId].History.Count));
        Assert.Equal((ReviewStatus.Pending, 0), (byId[second.DecisionId].Status, byId[second.DecisionId].History.Count));
        Assert.Equal((ReviewStatus.Rejected, 2), (byId[third.DecisionId].Status, byId[third.DecisionId].History.Count));
        Assert.Equal([first.DecisionId], (await ListAsync(_client, accountId, "&reviewStatus=approved")).Select(d => d.DecisionId));
    }

    [Fact]
    public async Task Review_ApproveAndRejectAtOnce_ExactlyOneSettles()
    {
        var decision = await HeldAsync(_client, UniqueAccount("acme-race"));

        var responses = await Task.WhenAll(
            ReviewAsync(_client, decision, "approve", "Yes."),
            ReviewAsync(_client, decision, "reject", "No."));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        var state = await StateAsync(_client, decision);
        var settled = Assert.Single(state.History);
        Assert.Equal(settled.Action == "approve" ? ReviewStatus.Approved : ReviewStatus.Rejected, state.Status);
    }

    [Fact]
    public async Task Review_UnknownDecision_Returns404()
    {
        var decision = await HeldAsync(_client, UniqueAccount("acme-404"));

        await (await _client.PostAsJsonAsync($"/api/decisions/{decision.AccountId}/{Keys.NewDecisionId(DateTimeOffset.UtcNow)}/reviews", new { action = "comment", reason = "?" }))
            .AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await _client.PostAsJsonAsync($"/api/decisions/someone-else/{decision.DecisionId}/reviews", new { action = "comment", reason = "?" }))
            .AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await (await _client.PostAsJsonAsync($"/api/decisions/{decision.AccountId}/not-a-decision-id/reviews", new { action = "comment", reason = "?" }))
            .AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    /// <summary>A gate on the same table with webhooks on, delivering through <paramref name="handler"/>.</summary>
    private WebApplicationFactory<Program> WebhookApp(RecordingHandler handler, string? secret = Secret) =>
        _azurite.App(_table).WithWebHostBuilder(builder =>
        {
            builder.UseSetting(WebhookOptions.Section + ":AllowedHosts:0", "hooks.example.com");
            builder.UseSetting(WebhookOptions.Section + ":Secret", secret);
            builder.UseSetting(WebhookOptions.Section + ":MaxAttempts", "3");
            builder.UseSetting(WebhookOptions.Section + ":RetryDelay", "00:00:00.010");
            builder.UseSetting(WebhookOptions.Section + ":MaxRetryDelay", "00:00:00.050");
            builder.UseSetting(WebhookOptions.Section + ":AttemptTimeout", "00:00:02");
            builder.UseSetting(WebhookOptions.Section + ":PollInterval", "00:00:00.500");
            builder.UseSetting(WebhookOptions.Section + ":Lease", "00:01:00");
            builder.ConfigureTestServices(services => services.AddSingleton<WebhookHandlerFactory>(() => handler));
        });

    private TableClient Table() => new(_azurite.ConnectionString, _table);

    private async Task<TableEntity> OutboxRowAsync(string accountId, string reviewId, Func<TableEntity, bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var row = await Table().GetEntityIfExistsAsync<TableEntity>(Keys.Partition(accountId), Keys.WebhookRow(reviewId));
            if (row.HasValue && until(row.Value!))
            {
                return row.Value!;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The outbox row of review {reviewId} did not get there: {(row.HasValue ? row.Value!.GetString("Status") : "missing")}.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Review_WithCallback_DeliversSignedWebhookAfterRetry()
    {
        using var handler = new RecordingHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        using var app = WebhookApp(handler);
        var client = app.CreateClient();
        var decision = await HeldAsync(client, UniqueAccount("acme-hook"), callbackUrl: CallbackUrl);
        Assert.Equal(CallbackUrl, decision.CallbackUrl);

        var review = await AddedAsync(ReviewAsync(client, decision, "approve", "Legal confirmed.", "ann"));

        await handler.WaitForAsync(2, TimeSpan.FromSeconds(20));
        var delivered = handler.Requests.Last();
        Assert.Equal(new Uri(CallbackUrl), delivered.Uri);
        Assert.Equal(review.ReviewId, delivered.Headers[WebhookSender.DeliveryHeader]);
        Assert.Equal(WebhookSender.Sign(Secret, delivered.Headers[WebhookSender.TimestampHeader], delivered.Body), delivered.Headers[WebhookSender.SignatureHeader]);
        var payload = JsonSerializer.Deserialize<ReviewWebhookRequest>(delivered.Body, TestHttp.Web);
        Assert.Equal(new ReviewWebhookRequest(decision.DecisionId, decision.AccountId, decision.DraftId, ReviewStatus.Approved, "approve", "Legal confirmed.", "ann", review.At), payload);

        var outbox = await OutboxRowAsync(decision.AccountId, review.ReviewId, r => r.GetString("Status") != DeliveryStatus.Pending);
        Assert.Equal(DeliveryStatus.Delivered, outbox.GetString("Status"));
        Assert.Equal(2, outbox.GetInt32("Attempts"));

        // NOTE: the dispatcher marks the outbox row first and removes the queue entry after it, so the removal is
        // waited for rather than expected at the same instant.
        var queued = true;
        for (var deadline = DateTime.UtcNow.AddSeconds(10); queued && DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            queued = (await Table().GetEntityIfExistsAsync<TableEntity>(Keys.WebhookQueuePartition, review.ReviewId)).HasValue;
        }

        Assert.False(queued);

        // The outbox row sits in the account's partition but outside the chain.
        Assert.True((await client.GetFromJsonAsync<ChainReport>($"/api/decisions/{decision.AccountId}/verify", TestHttp.Web))!.Intact);
    }

    [Fact]
    public async Task Review_CallbackKeepsFailing_IsMarkedFailedAfterMaxAttempts()
    {
        using var handler = new RecordingHandler(HttpStatusCode.BadGateway);
        using var app = WebhookApp(handler);
        var client = app.CreateClient();
        var decision = await HeldAsync(client, UniqueAccount("acme-hook-fail"), callbackUrl: CallbackUrl);

        var review = await AddedAsync(ReviewAsync(client, decision, "comment", "Noted."));

        var outbox = await OutboxRowAsync(decision.AccountId, review.ReviewId, r => r.GetString("Status") != DeliveryStatus.Pending);
        Assert.Equal(DeliveryStatus.Failed, outbox.GetString("Status"));
        Assert.Equal(3, outbox.GetInt32("Attempts"));
        Assert.Equal("HTTP 502", outbox.GetString("LastResult"));
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task Review_WithCallbackButNoSecret_QueuesNothing()
    {
        using var handler = new RecordingHandler(HttpStatusCode.OK);
        using var app = WebhookApp(handler, secret: null);
        var client = app.CreateClient();
        var decision = await HeldAsync(client, UniqueAccount("acme-nosecret"), callbackUrl: CallbackUrl);

        var review = await AddedAsync(ReviewAsync(client, decision, "approve"));

        Assert.Equal(ReviewStatus.Approved, (await StateAsync(client, decision)).Status);
        Assert.False((await Table().GetEntityIfExistsAsync<TableEntity>(Keys.Partition(decision.AccountId), Keys.WebhookRow(review.ReviewId))).HasValue);
        Assert.False((await Table().GetEntityIfExistsAsync<TableEntity>(Keys.WebhookQueuePartition, review.ReviewId)).HasValue);
        Assert.Empty(handler.Requests);
    }
}
