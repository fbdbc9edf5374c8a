using System.Text;
using Azure;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Options;
using Polly;
using PostGate.Functions.Contracts;
using PostGate.Rules.Engine;

namespace PostGate.Functions.Storage;

/// <summary>The decision log in Azure Table Storage: one partition per account, one transaction per check.</summary>
public sealed class TableDecisionLog : IDecisionLog, IDisposable
{
    private const string TokenPrefix = "pg1:";

    private readonly TableClient _table;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger<TableDecisionLog> _logger;
    private readonly SemaphoreSlim _createLock = new(1, 1);
    private volatile bool _tableReady;

    public TableDecisionLog(TableClient table, ResiliencePipeline pipeline, ILogger<TableDecisionLog> logger)
    {
        _table = table;
        _pipeline = pipeline;
        _logger = logger;
    }

    public static TableClient CreateClient(IOptions<StorageOptions> options, HttpPipelineTransportFactory? transport = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        var clientOptions = new TableClientOptions();

        // NOTE: Polly owns retries; with the SDK's retries on as well, one insert could become sixteen attempts.
        clientOptions.Retry.MaxRetries = 0;
        clientOptions.Retry.NetworkTimeout = settings.AttemptTimeout;
        if (transport is not null)
        {
            clientOptions.Transport = transport();
        }

        // NOTE: in Azure the table endpoint and a managed identity are used (shared keys are off);
        // a connection string serves Azurite and local runs.
        return settings.TableServiceUri is { } endpoint
            ? new TableClient(endpoint, settings.TableName, new DefaultAzureCredential(), clientOptions)
            : new TableClient(settings.ConnectionString, settings.TableName, clientOptions);
    }

    public async Task<IReadOnlyList<TimelineEntry>> ReadTimelineAsync(string accountId, DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken)
    {
        var partition = Keys.Partition(accountId);
        var low = Keys.TimelinePrefix + Keys.TimelineTime(windowStart);
        var high = Keys.TimelinePrefix + Keys.TimelineTime(windowEnd) + "~";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {low} and RowKey le {high}");
        return await RunAsync("read-timeline", async ct =>
        {
            var entries = new List<TimelineEntry>();
            await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
            {
                entries.Add(DecisionEntity.ToTimelineEntry(entity));
            }

            return (IReadOnlyList<TimelineEntry>)entries;
        }, cancellationToken);
    }

    public async Task AppendAsync(DecisionResponse decision, TimelineEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);

        // NOTE: keys and content are fixed before the first attempt, so a retry repeats exactly the same transaction.
        var decisionEntity = DecisionEntity.ToEntity(decision);
        var timelineEntity = DecisionEntity.ToEntity(decision.AccountId, entry);
        TableTransactionAction[] actions =
        [
            new(TableTransactionActionType.Add, decisionEntity),
            new(TableTransactionActionType.Add, timelineEntity),
        ];
        var attempts = 0;
        await RunAsync("append", async ct =>
        {
            attempts++;
            try
            {
                await _table.SubmitTransactionAsync(actions, ct);
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 409 && attempts > 1)
            {
                // NOTE: an earlier attempt may have committed while its answer was lost. The transaction is
                // all-or-nothing, so the decision row tells: same content hash means it is already logged.
                var existing = await _table.GetEntityIfExistsAsync<TableEntity>(decisionEntity.PartitionKey, decisionEntity.RowKey, cancellationToken: ct);
                if (!existing.HasValue || existing.Value!.GetString("ContentHash") != decisionEntity.GetString("ContentHash"))
                {
                    throw;
                }

                Log.AlreadyLogged(_logger, decision.DecisionId);
            }

            return true;
        }, cancellationToken);
    }

    public async Task<DecisionResponse?> GetAsync(string accountId, string decisionId, CancellationToken cancellationToken)
    {
        var decidedAt = Keys.DecisionTime(decisionId);
        if (decidedAt is null)
        {
            return null;
        }

        var partition = Keys.Partition(accountId);
        var row = Keys.DecisionRow(decisionId, decidedAt.Value);
        return await RunAsync("get", async ct =>
        {
            var response = await _table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: ct);
            return response.HasValue ? DecisionEntity.FromEntity(response.Value!) : null;
        }, cancellationToken);
    }

    public async Task<DecisionPageResponse> ListAsync(string accountId, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var partition = Keys.Partition(accountId);
        var token = DecodeToken(continuationToken);
        var low = Keys.DecisionPrefix;
        var high = Keys.DecisionPrefix + "~";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {low} and RowKey lt {high}");
        try
        {
            return await RunAsync("list", async ct =>
            {
                await foreach (var page in _table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize, cancellationToken: ct).AsPages(token, pageSize))
                {
                    return new DecisionPageResponse(
                        [.. page.Values.Select(DecisionEntity.FromEntity)],
                        EncodeToken(page.ContinuationToken));
                }

                return new DecisionPageResponse([], null);
            }, cancellationToken);
        }
        catch (RequestFailedException ex) when (token is not null && ex.Status == 400)
        {
            // NOTE: a token with our prefix but made-up keys reaches the service, which refuses it.
            throw new InvalidContinuationTokenException("The service refused the continuation token.", ex);
        }
    }

    private async Task<T> RunAsync<T>(string operation, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        try
        {
            return await _pipeline.ExecuteAsync(
                async (ctx, state) =>
                {
                    await EnsureTableAsync(ctx.CancellationToken);
                    return await state(ctx.CancellationToken);
                },
                context,
                action);
        }
        catch (Exception ex) when (StoragePipeline.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            Log.StorageUnavailable(_logger, operation, ex);
            throw new StorageUnavailableException($"The decision log is unavailable ({operation}).", ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (_tableReady)
        {
            return;
        }

        await _createLock.WaitAsync(cancellationToken);
        try
        {
            if (!_tableReady)
            {
                await _table.CreateIfNotExistsAsync(cancellationToken);
                _tableReady = true;
            }
        }
        finally
        {
            _createLock.Release();
        }
    }

    public void Dispose() => _createLock.Dispose();

    private static string? EncodeToken(string? token) =>
        token is null ? null : Base64Url(Encoding.UTF8.GetBytes(TokenPrefix + token));

    private static string? DecodeToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            if (text.StartsWith(TokenPrefix, StringComparison.Ordinal) && text.Length > TokenPrefix.Length)
            {
                return text[TokenPrefix.Length..];
            }
        }
        catch (FormatException)
        {
        }

        throw new InvalidContinuationTokenException("The continuation token was not issued by this API.");
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Creates the HTTP transport the table client uses; tests pass a fake one.</summary>
public delegate Azure.Core.Pipeline.HttpPipelineTransport HttpPipelineTransportFactory();
