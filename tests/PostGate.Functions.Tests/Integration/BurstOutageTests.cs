using System.Net;
using System.Text.Json;
using PostGate.Functions.Contracts;
using Xunit;

namespace PostGate.Functions.Tests.Integration;

/// <summary>
/// Storage goes down in the middle of a burst of checks. Whatever each request was told, the log afterwards holds
/// each request's decision exactly once, every 200 is in it, and the chain is whole.
/// </summary>
[Collection(UsesAzurite.Name)]
public sealed class BurstOutageTests : IDisposable
{
    private const string Account = "acme-burst";
    private const int Requests = 40;
    private const int Concurrency = 8;

    /// <summary>Azurite is stopped once this many answers are in; the requests after <see cref="DuringOutage"/> wait for it to be down.</summary>
    private const int StopAfter = 12;

    private const int DuringOutage = 24;

    private static readonly DateTimeOffset Morning = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly AzuriteFixture _azurite;
    private readonly GateApp _app;
    private readonly HttpClient _client;

    public BurstOutageTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        _app = azurite.App(azurite.TableFor(typeof(BurstOutageTests)));
        _client = _app.CreateClient();
    }

    public void Dispose() => _app.Dispose();

    private sealed record Request(int Index, string Key, string Body, string Text);

    private sealed record Answer(HttpStatusCode Status, bool Replayed, DecisionResponse? Decision);

    private static Request[] Burst()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        return [.. Enumerable.Range(0, Requests).Select(i =>
        {
            var text = $"Burst {run} note {i}: the winter menu is out.";
            var body = JsonSerializer.Serialize(new { accountId = Account, channel = "linkedin", text, scheduledAt = Morning.AddMinutes(i) }, TestHttp.Web);
            return new Request(i, $"burst-{run}-{i}", body, text);
        })];
    }

    private async Task<Answer> SendAsync(Request request)
    {
        var response = await _client.CheckWithKeyAsync(request.Body, request.Key);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return new Answer(HttpStatusCode.OK, response.IsReplayed(), await response.ReadDecisionAsync());
        }

        await response.AssertStorageUnavailableAsync();
        return new Answer(response.StatusCode, false, null);
    }

    /// <summary>Sends again until the gate answers other than 503: the circuit breaker may still be open for a moment.</summary>
    private async Task<Answer> SendUntilAnsweredAsync(Request request)
    {
        for (var attempt = 0; ; attempt++)
        {
            var answer = await SendAsync(request);
            if (answer.Status != HttpStatusCode.ServiceUnavailable || attempt == 40)
            {
                return answer;
            }

            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task Check_StorageStopsMidBurst_EveryRequestEndsLoggedExactlyOnce()
    {
        var requests = Burst();
        var answers = new Answer[Requests];
        var answered = 0;
        var stopNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopped = Task.Run(async () =>
        {
            await stopNow.Task;
            await _azurite.StopAsync();
        });

        try
        {
            await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (request, _) =>
            {
                // NOTE: requests before this one race the shutdown; these are sent once storage is surely down.
                if (request.Index >= DuringOutage)
                {
                    await stopped;
                }

                try
                {
                    answers[request.Index] = await SendAsync(request);
                }
                catch
                {
                    // NOTE: a failed request must not leave the later ones waiting for a stop that never comes.
                    stopNow.TrySetResult();
                    throw;
                }

                if (Interlocked.Increment(ref answered) == StopAfter)
                {
                    stopNow.TrySetResult();
                }
            });
            await stopped;
        }
        finally
        {
            stopNow.TrySetResult();
            await stopped;
            await _azurite.StartAsync();
        }

        Assert.Contains(answers, a => a.Status == HttpStatusCode.OK);
        Assert.All(answers.Skip(DuringOutage), a => Assert.Equal(HttpStatusCode.ServiceUnavailable, a.Status));
        Assert.All(answers, a => Assert.False(a.Replayed));

        // Every 200 was logged, and survived the restart.
        foreach (var answer in answers.Where(a => a.Status == HttpStatusCode.OK))
        {
            var got = await (await _client.GetAsync($"/api/decisions/{Account}/{answer.Decision!.DecisionId}")).ReadDecisionAsync();
            Assert.Equal(answer.Decision.Draft.Text, got.Draft.Text);
        }

        // A request told 503 is sent again with its key: it finds the decision it made after all, or is decided now.
        var final = answers.ToArray();
        foreach (var request in requests.Where(r => answers[r.Index].Status != HttpStatusCode.OK))
        {
            final[request.Index] = await SendUntilAnsweredAsync(request);
            Assert.Equal(HttpStatusCode.OK, final[request.Index].Status);
        }

        var logged = await _client.ListAllAsync(Account);
        Assert.Equal(Requests, logged.Count);
        foreach (var request in requests)
        {
            var decision = Assert.Single(logged, d => d.Draft.Text == request.Text);
            Assert.Equal(final[request.Index].Decision!.DecisionId, decision.DecisionId);
        }

        // And once more for all: every request now replays the one decision it has.
        foreach (var request in requests)
        {
            var again = await SendUntilAnsweredAsync(request);
            Assert.True(again.Replayed, $"Request {request.Index} was not replayed.");
            Assert.Equal(final[request.Index].Decision!.DecisionId, again.Decision!.DecisionId);
        }

        Assert.Equal(Requests, (await _client.ListAllAsync(Account)).Count);
        var report = await _client.VerifyAsync(Account);
        Assert.True(report.Intact, $"Broken at {report.FirstBreak}");
        Assert.Equal(Requests, report.Decisions);
    }
}
