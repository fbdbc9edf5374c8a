using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Azure.Data.Tables;
using Xunit;

namespace PostGate.Functions.Tests.Integration;

/// <summary>
/// An Azurite table service of this test run's own: a free loopback port and a fresh data folder, so it never
/// meets a developer's Azurite on 10002 or another run's data. It can be stopped and started again on the
/// same port and data folder, which is how the tests restart storage.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Azurite's well-known development account key.</summary>
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentDictionary<string, string> _tables = new(StringComparer.Ordinal);
    private Process? _process;

    public AzuriteFixture()
    {
        Port = FreeLoopbackPort();
        DataFolder = Path.Combine(Path.GetTempPath(), "postgate-azurite-" + Guid.NewGuid().ToString("N"));
        ConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};TableEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";
    }

    public int Port { get; }

    public string DataFolder { get; }

    public string ConnectionString { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The test class's own table: the same name for each of its tests, deleted when the fixture is disposed.</summary>
    public string TableFor(Type testClass, string purpose = "")
    {
        ArgumentNullException.ThrowIfNull(testClass);
        return _tables.GetOrAdd(testClass.Name + purpose, name => name + Guid.NewGuid().ToString("N")[..12]);
    }

    /// <summary>A gate on this Azurite and the given table.</summary>
    public GateApp App(string tableName, bool kestrel = false) => GateApp.OnTableStorage(ConnectionString, tableName, kestrel);

    public Task InitializeAsync()
    {
        // NOTE: a safety net for a test host that ends without disposing its fixtures; Azurite must not outlive it.
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;
        return StartAsync();
    }

    /// <summary>Starts Azurite (again), on the same port and data folder, and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        var info = StartInfo();
        Directory.CreateDirectory(DataFolder);
        _output.Clear();
        _process = Process.Start(info) ?? throw new InvalidOperationException("Azurite did not start.");
        _process.OutputDataReceived += (_, e) => Remember(e.Data);
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilListeningAsync(_process);
    }

    /// <summary>Stops Azurite so that it saves its data first; kills it if it does not exit in time.</summary>
    public async Task StopAsync()
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        using (process)
        {
            if (!process.HasExited && !await InterruptAsync(process))
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        await WaitUntilClosedAsync();
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (IsRunning)
            {
                var service = new TableServiceClient(ConnectionString);
                foreach (var table in _tables.Values)
                {
                    try
                    {
                        await service.DeleteTableAsync(table);
                    }
                    catch (Azure.RequestFailedException)
                    {
                        // Cleaning up is best effort; the data folder goes below anyway.
                    }
                }
            }
        }
        finally
        {
            await StopAsync();
            AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
            TryDelete(DataFolder);
        }
    }

    private void KillOnExit(object? sender, EventArgs e)
    {
        try
        {
            _process?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>SIGINT, as Ctrl+C would send, and true once Azurite has exited.</summary>
    private static async Task<bool> InterruptAsync(Process process)
    {
        // NOTE: Azurite saves its LokiJS database on SIGINT; SIGKILL (Process.Kill) loses up to five seconds of writes.
        if (OperatingSystem.IsWindows() || NativeMethods.Kill(process.Id, NativeMethods.SIGINT) != 0)
        {
            return false;
        }

        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private ProcessStartInfo StartInfo()
    {
        var bin = Path.Combine(RepoPaths.Root, "node_modules", ".bin");
        var executable = Path.Combine(bin, OperatingSystem.IsWindows() ? "azurite-table.cmd" : "azurite-table");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed: {executable} is missing. Run `npm ci` in {RepoPaths.Root} to install it (package.json pins azurite).");
        }

        var info = new ProcessStartInfo(executable)
        {
            WorkingDirectory = RepoPaths.Root,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        string[] arguments =
        [
            "--tableHost", "127.0.0.1",
            "--tablePort", Port.ToString(CultureInfo.InvariantCulture),
            "--location", DataFolder,
            "--skipApiVersionCheck",
            "--silent",
            "--loose",
            // NOTE: otherwise every start phones home; tests must not need the network.
            "--disableTelemetry",
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    private async Task WaitUntilListeningAsync(Process process)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} while starting on port {Port}:{Environment.NewLine}{Output()}");
            }

            if (await AnswersAsync())
            {
                return;
            }

            await Task.Delay(100);
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"Azurite did not listen on 127.0.0.1:{Port} within {StartTimeout.TotalSeconds} s:{Environment.NewLine}{Output()}");
    }

    private async Task WaitUntilClosedAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StopTimeout && await AnswersAsync())
        {
            await Task.Delay(50);
        }
    }

    private async Task<bool> AnswersAsync()
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 50 && _output.TryDequeue(out _))
        {
        }
    }

    private string Output()
    {
        var builder = new StringBuilder();
        foreach (var line in _output)
        {
            builder.AppendLine(line);
        }

        return builder.ToString();
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static class NativeMethods
    {
        public const int SIGINT = 2;

        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Kill(int pid, int signal);
    }
}

/// <summary>The tests that share one Azurite. They run one at a time, so a test may stop and restart it.</summary>
[CollectionDefinition(Name)]
public sealed class UsesAzurite : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
