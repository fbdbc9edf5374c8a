using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Azure.Data.Tables;
using PostGate.Load;
using PostGate.Rules.Text;

var options = LoadOptions.Parse(args, out var error);
if (options is null)
{
    await Console.Error.WriteLineAsync("PostGate.Load: " + error);
    await Console.Error.WriteLineAsync(LoadOptions.Usage);
    return 2;
}

if (options.Mode == "bodies")
{
    // NOTE: the drafts of a run named "wrk", written as the check and preview modes send them; nothing is loaded.
    var drafts = new Drafts(DateTimeOffset.UtcNow, "wrk");
    var buffer = new ArrayBufferWriter<byte>();
    using var stdout = Console.OpenStandardOutput();
    for (var sequence = 0L; sequence < options.Count; sequence++)
    {
        buffer.ResetWrittenCount();
        drafts.Write(sequence, buffer);
        stdout.Write(buffer.WrittenSpan);
        stdout.WriteByte((byte)'\n');
    }

    return 0;
}

var run = "r" + DateTime.UtcNow.ToString("MMddHHmmss", CultureInfo.InvariantCulture) + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"==> {options.Mode}: {options.Connections} connections, {options.Warmup} s warm-up + {options.Seconds} s measured (run {run})"));

RunResult result;
if (options.Mode == "insert")
{
    result = await InsertAsync(options, run);
}
else if (options.Mode == "transaction")
{
    result = await TransactionAsync(options, run);
}
else
{
    var checkResult = await CheckAsync(options, run);
    if (checkResult is null)
    {
        return 1;
    }

    result = checkResult;
}

Console.WriteLine(RunResult.MarkdownHeader);
Console.WriteLine(result.ToMarkdownRow());
Console.WriteLine(result.ToJson());
return result.Requests > 0 ? 0 : 1;

static async Task<RunResult?> CheckAsync(LoadOptions options, string run)
{
    using var handler = new SocketsHttpHandler
    {
        MaxConnectionsPerServer = options.Connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        AutomaticDecompression = DecompressionMethods.None,
        UseProxy = false,
        UseCookies = false,
    };
    using var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(10) };
    if (options.ApiKey is { } key)
    {
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
    }

    var path = options.Mode == "preview" ? "api/posts/check?mode=preview" : "api/posts/check";
    var drafts = new Drafts(DateTimeOffset.UtcNow, run);

    // NOTE: one request first, so a gate that refuses (no key, wrong key, storage down) stops the run at once.
    var probe = new ArrayBufferWriter<byte>();
    new Drafts(DateTimeOffset.UtcNow, run + "-probe").Write(0, probe);
    using (var content = Json(probe.WrittenMemory))
    using (var response = await client.PostAsync(path, content))
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"PostGate.Load: the probe check answered {(int)response.StatusCode}: {body}"));
            return null;
        }

        Console.WriteLine("    probe: 200, " + (body.Length > 160 ? body[..160] + "…" : body));
    }

    // NOTE: the measured requests go over plain sockets (RawHttpConnection), one keep-alive connection per worker:
    // HttpClient's own CPU per request is close to the gate's, and both share this machine.
    return await LoadRunner.RunAsync(options, () =>
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        var connection = new RawHttpConnection(options.Url, path, options.ApiKey);
        return async (sequence, cancellationToken) =>
        {
            buffer.ResetWrittenCount();
            drafts.Write(sequence, buffer);
            var response = await connection.PostAsync(buffer.WrittenMemory, cancellationToken);
            return response.Status == 200
                ? new Outcome(null, Flagged: response.Replayed)
                : new Outcome(response.Status.ToString(CultureInfo.InvariantCulture));
        };
    });
}

// A table of its own for a storage mode.
static async Task<TableClient> CreateTableAsync(LoadOptions options, string name)
{
    var clientOptions = new TableClientOptions();

    // NOTE: as in the gate: no SDK retries, so a failure shows as an error instead of a slow success.
    clientOptions.Retry.MaxRetries = 0;
    clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
    var table = new TableClient(options.ConnectionString, name, clientOptions);
    await table.CreateIfNotExistsAsync();
    Console.WriteLine("    table: " + table.Name);
    return table;
}

static async Task<RunResult> InsertAsync(LoadOptions options, string run)
{
    var table = await CreateTableAsync(options, "LoadInsert" + run);

    // NOTE: about 1 KB on the wire: a 700-character text (a long post) and a handful of small properties.
    var text = string.Concat(Enumerable.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", 13))[..700];
    return await LoadRunner.RunAsync(options, () => async (sequence, cancellationToken) =>
    {
        var entity = new TableEntity(
            "p" + (sequence % Drafts.Accounts).ToString("00", CultureInfo.InvariantCulture),
            string.Create(CultureInfo.InvariantCulture, $"{run}-{sequence:D12}"))
        {
            ["AccountId"] = Drafts.AccountId(sequence),
            ["Verdict"] = "coach",
            ["Channel"] = "linkedin",
            ["Text"] = text,
            ["Sequence"] = sequence,
            ["DecidedAt"] = DateTimeOffset.UtcNow,
        };
        await table.AddEntityAsync(entity, cancellationToken);
        return Outcome.Ok;
    });
}

static async Task<RunResult> TransactionAsync(LoadOptions options, string run)
{
    var table = await CreateTableAsync(options, "LoadTransaction" + run);

    // NOTE: the sizes of a logged check's rows (DecisionEntity): a 280-character post, findings and analysis as
    // JSON, hashes; then the timeline entry, the chain head, the draft row and the idempotency row. 64 account
    // partitions as in `check`; every row is an insert with its own key (a check replaces its head under an ETag).
    var text = string.Concat(Enumerable.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", 6))[..280];
    var findings = "[" + string.Join(',', Enumerable.Repeat("{\"ruleId\":\"PG201\",\"rule\":\"hard-sell/phrases\",\"severity\":\"coach\",\"message\":\"\\u0022Buy now\\u0022 pushes.\",\"coaching\":\"Say what it does, not how fast to buy it: try \\u0022see how it works\\u0022.\",\"spans\":[{\"start\":0,\"length\":7}],\"evidence\":[\"Buy now\"],\"mode\":\"enforce\"}", 5)) + "]";
    var analysis = "{\"links\":[{\"text\":\"https://acme.example/spring?utm_source=x\",\"span\":{\"start\":120,\"length\":40},\"host\":\"acme.example\",\"shortener\":false,\"allowed\":false}],\"countedLinks\":1,\"mentions\":1,\"hashtags\":1,\"length\":{\"length\":280,\"limit\":3000,\"unit\":\"chars\"},\"hardSell\":{\"score\":4,\"parts\":{\"call-to-action\":4}}}";
    var hash = new string('0', 64);
    return await LoadRunner.RunAsync(options, () => async (sequence, cancellationToken) =>
    {
        var now = DateTimeOffset.UtcNow;
        var partition = "a" + (sequence % Drafts.Accounts).ToString("00", CultureInfo.InvariantCulture);
        var id = string.Create(CultureInfo.InvariantCulture, $"{run}-{sequence:D12}");
        var decision = new TableEntity(partition, "d|" + id)
        {
            ["Kind"] = "decision",
            ["DecisionId"] = id,
            ["AccountId"] = partition,
            ["DraftId"] = "draft-" + id,
            ["Channel"] = "linkedin",
            ["ScheduledAt"] = now,
            ["ScheduledAtText"] = now.ToString("O", CultureInfo.InvariantCulture),
            ["Author"] = "sam",
            ["Campaign"] = "spring",
            ["InReplyTo"] = null,
            ["LinksJson"] = "[]",
            ["MediaCount"] = 1,
            ["Verdict"] = "coach",
            ["SummaryJson"] = "[\"Say what it does.\"]",
            ["PolicyVersion"] = hash,
            ["DecidedAt"] = now,
            ["DecidedAtText"] = now.ToString("O", CultureInfo.InvariantCulture),
            ["RuleIds"] = "PG201",
            ["Text"] = text,
            ["FindingsJson"] = findings,
            ["ShadowFindingsJson"] = "[]",
            ["AnalysisJson"] = analysis,
            ["ContentHash"] = hash,
            ["PreviousHash"] = hash,
            ["Sequence"] = 1L,
            ["Hash"] = hash,
        };
        TableEntity[] rows =
        [
            decision,
            new(partition, "t|" + id) { ["Kind"] = "timeline", ["DecisionId"] = id, ["DraftId"] = "draft-" + id, ["ScheduledAt"] = now, ["Channel"] = "linkedin", ["PostKind"] = "broadcast", ["LinkCount"] = 1, ["HardSellScore"] = 4, ["LinkKeysJson"] = "[]", ["Promotional"] = true, ["Fingerprint"] = sequence, ["FingerprintVersion"] = SimHash.Version },
            new(partition, "head|" + id) { ["Hash"] = hash, ["Sequence"] = 1L, ["DecisionRowKey"] = "d|" + id, ["DecisionId"] = id },
            new(partition, "draft|" + id) { ["DraftId"] = "draft-" + id, ["DecisionId"] = id, ["TimelineRowKey"] = "t|" + id },
            new(partition, "idem|" + id) { ["DecisionId"] = id, ["DecisionRowKey"] = "d|" + id, ["BodyHash"] = hash },
        ];
        await table.SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)), cancellationToken);
        return Outcome.Ok;
    });
}

static ReadOnlyMemoryContent Json(ReadOnlyMemory<byte> body)
{
    var content = new ReadOnlyMemoryContent(body);
    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    return content;
}
