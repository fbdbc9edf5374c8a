using System.Net;
using Azure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using PostGate.Functions.Storage;
using PostGate.Functions.Webhooks;
using Xunit;

namespace PostGate.Functions.Tests.Webhooks;

/// <summary>The dispatcher against a substitute outbox and a fake receiver.</summary>
public sealed class WebhookDispatcherTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private readonly IWebhookOutbox _outbox = Substitute.For<IWebhookOutbox>();
    private readonly FakeTimeProvider _time = new(Now);
    private readonly WebhookSignal _signal = new();
    private readonly RecordingHandler _handler = new(HttpStatusCode.OK);
    private readonly WebhookOptions _options = new()
    {
        Secret = "whsec_dispatcher",
        AllowedHosts = { "hooks.example.com" },
        MaxAttempts = 3,
        PollInterval = TimeSpan.FromMinutes(10),
    };

    private readonly WebhookSender _sender;
    private readonly WebhookDispatcher _dispatcher;

    public WebhookDispatcherTests()
    {
        var options = Microsoft.Extensions.Options.Options.Create(_options);
        _sender = new WebhookSender(_handler, options, _time, NullLogger<WebhookSender>.Instance);
        _dispatcher = new WebhookDispatcher(_outbox, _sender, _signal, options, _time, NullLogger<WebhookDispatcher>.Instance);
    }

    public void Dispose()
    {
        _dispatcher.Dispose();
        _sender.Dispose();
    }

    private static WebhookQueueItem Item(string reviewId = "r1", TimeSpan? age = null) =>
        new(reviewId, "acme", Keys.WebhookRow(reviewId), Now - (age ?? TimeSpan.FromSeconds(1)), new ETag("W/\"1\""));

    private static WebhookDelivery Delivery(string reviewId = "r1", string status = DeliveryStatus.Pending) =>
        new(reviewId, "d1", "https://hooks.example.com/postgate", """{"status":"approved"}""", status, 0);

    private void Due(params WebhookQueueItem[] items) =>
        _outbox.ReadDueAsync(Arg.Any<DateTimeOffset>(), Arg.Any<int>(), Arg.Any<CancellationToken>()).Returns(items);

    [Fact]
    public async Task RunOnce_DueEntry_IsClaimedDeliveredAndCompleted()
    {
        var item = Item();
        Due(item);
        _outbox.GetDeliveryAsync(item, Arg.Any<CancellationToken>()).Returns(Delivery());
        _outbox.TryClaimAsync(item, Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).Returns(true);

        Assert.Equal(1, await _dispatcher.RunOnceAsync(CancellationToken.None));

        Assert.Single(_handler.Requests);
        Received.InOrder(() =>
        {
            _outbox.TryClaimAsync(item, Now + _options.Lease, Arg.Any<CancellationToken>());
            _outbox.RecordAttemptAsync(item, 1, Now, Arg.Any<CancellationToken>());
            _outbox.CompleteAsync(item, new DeliveryResult(DeliveryStatus.Delivered, 1, "200"), Now, Arg.Any<CancellationToken>());
        });
    }

    [Fact]
    public async Task RunOnce_ClaimLostToAnotherInstance_SendsNothing()
    {
        var item = Item();
        Due(item);
        _outbox.GetDeliveryAsync(item, Arg.Any<CancellationToken>()).Returns(Delivery());
        _outbox.TryClaimAsync(item, Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).Returns(false);

        await _dispatcher.RunOnceAsync(CancellationToken.None);

        Assert.Empty(_handler.Requests);
        await _outbox.DidNotReceiveWithAnyArgs().CompleteAsync(default!, default!, default, default);
    }

    [Fact]
    public async Task RunOnce_OutboxRowNeverWritten_IsDroppedOnceOldEnough()
    {
        var old = Item("old", WebhookDispatcher.OrphanAge + TimeSpan.FromSeconds(1));
        var young = Item("young", TimeSpan.FromSeconds(5));
        Due(old, young);
        _outbox.GetDeliveryAsync(Arg.Any<WebhookQueueItem>(), Arg.Any<CancellationToken>()).Returns((WebhookDelivery?)null);

        await _dispatcher.RunOnceAsync(CancellationToken.None);

        // NOTE: the young one may belong to a review whose transaction is still under way.
        await _outbox.Received(1).RemoveAsync(old, Arg.Any<CancellationToken>());
        await _outbox.DidNotReceive().RemoveAsync(young, Arg.Any<CancellationToken>());
        await _outbox.DidNotReceiveWithAnyArgs().TryClaimAsync(default!, default, default);
        Assert.Empty(_handler.Requests);
    }

    [Theory]
    [InlineData(DeliveryStatus.Delivered)]
    [InlineData(DeliveryStatus.Failed)]
    public async Task RunOnce_AlreadyComplete_OnlyRemovesTheQueueEntry(string status)
    {
        var item = Item();
        Due(item);
        _outbox.GetDeliveryAsync(item, Arg.Any<CancellationToken>()).Returns(Delivery(status: status));

        await _dispatcher.RunOnceAsync(CancellationToken.None);

        await _outbox.Received(1).RemoveAsync(item, Arg.Any<CancellationToken>());
        Assert.Empty(_handler.Requests);
    }

    [Fact]
    public async Task RunOnce_OneEntryFails_TheOthersAreStillDelivered()
    {
        var broken = Item("broken");
        var fine = Item("fine");
        Due(broken, fine);
        _outbox.GetDeliveryAsync(broken, Arg.Any<CancellationToken>()).ThrowsAsync(new StorageUnavailableException("down"));
        _outbox.GetDeliveryAsync(fine, Arg.Any<CancellationToken>()).Returns(Delivery("fine"));
        _outbox.TryClaimAsync(fine, Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).Returns(true);

        await _dispatcher.RunOnceAsync(CancellationToken.None);

        Assert.Equal("fine", Assert.Single(_handler.Requests).Headers[WebhookSender.DeliveryHeader]);
        await _outbox.Received(1).CompleteAsync(fine, Arg.Is<DeliveryResult>(r => r.Status == DeliveryStatus.Delivered), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Execute_NoSecret_NeverTouchesTheOutbox()
    {
        _options.Secret = null;

        await _dispatcher.StartAsync(CancellationToken.None);
        await _dispatcher.ExecuteTask!;
        await _dispatcher.StopAsync(CancellationToken.None);

        Assert.Empty(_outbox.ReceivedCalls());
    }

    [Fact]
    public async Task Execute_Signal_StartsARoundWithoutWaitingForThePoll()
    {
        Due();

        await _dispatcher.StartAsync(CancellationToken.None);
        await CallsAsync(1);
        _signal.Notify();
        await CallsAsync(2);
        await _dispatcher.StopAsync(CancellationToken.None);

        // NOTE: the fake clock never moves, so the ten-minute poll cannot have fired; only the signal explains round two.
        Assert.Equal(Now, _time.GetUtcNow());
    }

    [Fact]
    public async Task Execute_FailingRound_KeepsRunning()
    {
        _outbox.ReadDueAsync(Arg.Any<DateTimeOffset>(), Arg.Any<int>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new StorageUnavailableException("down"));

        await _dispatcher.StartAsync(CancellationToken.None);
        await CallsAsync(1);

        // NOTE: the clock moves on until the dispatcher, waiting out its poll interval, starts the next round.
        await CallsAsync(2, advance: true);
        await _dispatcher.StopAsync(CancellationToken.None);
    }

    private async Task CallsAsync(int rounds, bool advance = false)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_outbox.ReceivedCalls().Count(c => c.GetMethodInfo().Name == nameof(IWebhookOutbox.ReadDueAsync)) < rounds)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The dispatcher did not start round {rounds}.");
            if (advance)
            {
                _time.Advance(_options.PollInterval);
            }

            await Task.Delay(10);
        }
    }
}
