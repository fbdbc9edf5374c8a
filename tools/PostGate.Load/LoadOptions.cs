using System.Globalization;
using System.Net;

namespace PostGate.Load;

/// <summary>What to drive and for how long. Every target must be on the loopback interface.</summary>
internal sealed class LoadOptions
{
    /// <summary>The longest a run may take, warm-up included.</summary>
    public const int MaxTotalSeconds = 30;

    public const int MaxConnections = 256;

    public const string Usage = """
        PostGate.Load MODE [options]   bounded load run against a gate and an Azurite on this machine

        modes:
          check     POST /api/posts/check with varied drafts (64 accounts, distinct draft ids); each check is logged
          preview   the same with ?mode=preview (nothing is written)
          insert    bare TableClient.AddEntityAsync of ~1 KB entities with distinct keys into a table of its own
          bodies    writes --count check bodies (the ones check and preview send), one JSON document per line, to
                    standard output: requests for another load client such as wrk (scripts/wrk-check.lua)
          transaction  bare TableClient.SubmitTransactionAsync of five rows shaped like a logged check's (a decision
                    row of ~3 KB in 27 properties and four small rows) into a table of its own: a check's storage
                    work without the gate

        options:
          --url URL                  the gate (default http://127.0.0.1:7071); loopback only
          --connections N            concurrent requests and HTTP connections (default 16, at most 256)
          --seconds S                measured seconds (default 20)
          --warmup S                 seconds run before measuring, not counted (default 3); warmup + seconds <= 30
          --connection-string CS     Azurite for insert and transaction (default UseDevelopmentStorage=true); loopback only
          --api-key KEY              sent as X-Api-Key
          --label TEXT               a note carried into the JSON (e.g. the run number)
          --count N                  bodies: how many (default 2304, every account with every text)
        """;

    public required string Mode { get; init; }

    public Uri Url { get; init; } = new("http://127.0.0.1:7071");

    public int Connections { get; init; } = 16;

    public int Seconds { get; init; } = 20;

    public int Warmup { get; init; } = 3;

    public string ConnectionString { get; init; } = "UseDevelopmentStorage=true";

    public string? ApiKey { get; init; }

    public string? Label { get; init; }

    public int Count { get; init; } = Drafts.Accounts * Drafts.TextCount;

    /// <summary>Parses the command line; returns null and sets <paramref name="error"/> when it is not valid.</summary>
    public static LoadOptions? Parse(string[] args, out string? error)
    {
        error = null;
        if (args.Length == 0 || args[0] is not ("check" or "preview" or "insert" or "transaction" or "bodies"))
        {
            error = "the first argument must be the mode: check, preview, insert, transaction or bodies.";
            return null;
        }

        var mode = args[0];
        var url = new Uri("http://127.0.0.1:7071");
        int connections = 16, seconds = 20, warmup = 3, count = Drafts.Accounts * Drafts.TextCount;
        var connectionString = "UseDevelopmentStorage=true";
        string? apiKey = null, label = null;
        for (var i = 1; i < args.Length; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Length)
            {
                error = $"{name} needs a value.";
                return null;
            }

            var value = args[++i];
            switch (name)
            {
                case "--url":
                    if (!Uri.TryCreate(value, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
                    {
                        error = $"--url: not an http(s) URL: '{value}'.";
                        return null;
                    }

                    url = parsed;
                    break;
                case "--connections":
                    if (!TryInt(value, 1, MaxConnections, out connections))
                    {
                        error = $"--connections: must be 1 to {MaxConnections}.";
                        return null;
                    }

                    break;
                case "--seconds":
                    if (!TryInt(value, 1, MaxTotalSeconds, out seconds))
                    {
                        error = $"--seconds: must be 1 to {MaxTotalSeconds}.";
                        return null;
                    }

                    break;
                case "--warmup":
                    if (!TryInt(value, 0, MaxTotalSeconds - 1, out warmup))
                    {
                        error = $"--warmup: must be 0 to {MaxTotalSeconds - 1}.";
                        return null;
                    }

                    break;
                case "--connection-string":
                    connectionString = value;
                    break;
                case "--api-key":
                    apiKey = value;
                    break;
                case "--label":
                    label = value;
                    break;
                case "--count":
                    if (!TryInt(value, 1, 1_000_000, out count))
                    {
                        error = "--count: must be 1 to 1,000,000.";
                        return null;
                    }

                    break;
                default:
                    error = $"unknown option '{name}'.";
                    return null;
            }
        }

        if (seconds + warmup > MaxTotalSeconds)
        {
            error = $"--warmup + --seconds must be at most {MaxTotalSeconds} (was {warmup} + {seconds}).";
            return null;
        }

        if (!IsLoopback(url.Host))
        {
            error = $"--url: {url.Host} is not a loopback address; this tool only loads this machine.";
            return null;
        }

        if (mode == "insert" && TableEndpointHost(connectionString) is var host && !IsLoopback(host))
        {
            error = $"--connection-string: {host} is not a loopback address; this tool only loads this machine.";
            return null;
        }

        return new LoadOptions
        {
            Mode = mode,
            Url = url,
            Connections = connections,
            Seconds = seconds,
            Warmup = warmup,
            ConnectionString = connectionString,
            ApiKey = apiKey,
            Label = label,
            Count = count,
        };
    }

    private static bool TryInt(string text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;

    internal static bool IsLoopback(string host)
    {
        var bare = host.Trim('[', ']');
        return bare.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(bare, out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>
    /// The host the connection string sends table requests to: its TableEndpoint, 127.0.0.1 for
    /// <c>UseDevelopmentStorage=true</c>, else the cloud.
    /// </summary>
    internal static string TableEndpointHost(string connectionString)
    {
        string? endpoint = null;
        var development = false;
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var key = part[..eq];
            var value = part[(eq + 1)..];
            if (key.Equals("TableEndpoint", StringComparison.OrdinalIgnoreCase))
            {
                endpoint = value;
            }
            else if (key.Equals("UseDevelopmentStorage", StringComparison.OrdinalIgnoreCase))
            {
                development = value.Equals("true", StringComparison.OrdinalIgnoreCase);
            }
        }

        if (endpoint is not null)
        {
            return Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ? uri.Host : endpoint;
        }

        // NOTE: a connection string naming an account but no endpoint goes to *.table.core.windows.net.
        return development ? "127.0.0.1" : "table.core.windows.net";
    }
}
