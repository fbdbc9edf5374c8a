using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using NSubstitute.ClearExtensions;
using PostGate.Functions.Auth;
using PostGate.Functions.Storage;
using PostGate.Rules.Engine;

namespace PostGate.Functions.Tests;

/// <summary>
/// The gate on a TestServer. By default the decision log is an NSubstitute double and the clock a
/// <see cref="FakeTimeProvider"/>; <see cref="OnTableStorage"/> runs the real <see cref="TableDecisionLog"/> instead.
/// </summary>
public sealed class GateApp : WebApplicationFactory<Program>
{
    /// <summary>Where the fake clock starts: the day before the example post is scheduled.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, string?> _settings;
    private readonly IDecisionLog? _log;
    private readonly IReviewLog _reviews = Substitute.For<IReviewLog>();
    private readonly IDecisionStats _stats = Substitute.For<IDecisionStats>();
    private readonly FakeTimeProvider? _time;
    private readonly string _environment;

    public GateApp()
        : this(new Dictionary<string, string?>(StringComparer.Ordinal), Substitute.For<IDecisionLog>(), new FakeTimeProvider(Start), kestrel: false)
    {
        Reset();
    }

    private GateApp(Dictionary<string, string?> settings, IDecisionLog? log, FakeTimeProvider? time, bool kestrel, string environment = "Production")
    {
        _settings = settings;
        _log = log;
        _time = time;
        _environment = environment;

        // NOTE: tests about endpoints and storage run with authentication off; the tests under Auth/ configure it
        // (WithAuth), and cover every route with every kind of caller.
        if (!_settings.Keys.Any(k => k.StartsWith(AuthOptions.Section + ":", StringComparison.OrdinalIgnoreCase)))
        {
            _settings[AuthOptions.Section + ":Mode"] = AuthOptionsValidator.ModeOpen;
        }

        if (kestrel)
        {
            // NOTE: Program listens on 7071 unless `urls` is set; a dynamic loopback port keeps parallel tests apart.
            _settings["urls"] = "http://127.0.0.1:0";
            UseKestrel(0);
        }
    }

    /// <summary>
    /// Like <see cref="GateApp()"/>, but served by Kestrel on a loopback port instead of the in-memory TestServer.
    /// Needed where the app reads the raw request target (percent-encoded account ids), which only Kestrel, the
    /// server the Functions host forwards to, provides.
    /// </summary>
    public static GateApp OnKestrel()
    {
        var app = new GateApp(new Dictionary<string, string?>(StringComparer.Ordinal), Substitute.For<IDecisionLog>(), new FakeTimeProvider(Start), kestrel: true);
        app.Reset();
        return app;
    }

    /// <summary>
    /// Like <see cref="GateApp()"/>, but with the given <c>PostGate:Auth</c> settings (none: nothing configured) in
    /// the given environment, instead of authentication off. <see cref="Callers.Keys"/> has keys for every caller.
    /// </summary>
    public static GateApp WithAuth(IReadOnlyDictionary<string, string?> auth, string environment = "Production")
    {
        ArgumentNullException.ThrowIfNull(auth);
        var settings = new Dictionary<string, string?>(auth, StringComparer.Ordinal);
        if (settings.Count == 0)
        {
            // An empty value still counts as auth settings, so the app sees nothing configured rather than open mode.
            settings[AuthOptions.Section + ":Mode"] = string.Empty;
        }

        var app = new GateApp(settings, Substitute.For<IDecisionLog>(), new FakeTimeProvider(Start), kestrel: false, environment);
        app.Reset();
        return app;
    }

    /// <summary>
    /// The real decision log on the given table. Timeouts are short so outage tests stay fast. Authentication is off
    /// unless <paramref name="auth"/> gives <c>PostGate:Auth</c> settings.
    /// </summary>
    public static GateApp OnTableStorage(string connectionString, string tableName, bool kestrel = false, IReadOnlyDictionary<string, string?>? auth = null) =>
        new(
            new Dictionary<string, string?>(auth ?? new Dictionary<string, string?>(), StringComparer.Ordinal)
            {
                ["PostGate:Storage:ConnectionString"] = connectionString,
                ["PostGate:Storage:TableName"] = tableName,
                // NOTE: a stopped Azurite refuses connections at once, so outages fail fast whatever these are; they
                // only need to be short enough that a hung call cannot stall the suite, and long enough for a busy CI box.
                ["PostGate:Storage:TotalTimeout"] = "00:00:05",
                ["PostGate:Storage:AttemptTimeout"] = "00:00:02",
                ["PostGate:Storage:MaxRetries"] = "1",
                ["PostGate:Storage:RetryDelay"] = "00:00:00.100",
                ["PostGate:Storage:BreakDuration"] = "00:00:01",
            },
            log: null,
            // NOTE: the storage pipeline takes its timeouts and retry delays from the same TimeProvider, so a
            // fake clock that never moves would hang every retry; the real log runs on the system clock.
            time: null,
            kestrel);

    /// <summary>The substitute decision log (endpoint tests only).</summary>
    public IDecisionLog Log => _log ?? throw new InvalidOperationException("This app runs the real decision log.");

    /// <summary>The substitute review log, beside <see cref="Log"/> (endpoint tests only).</summary>
    public IReviewLog Reviews => _log is null ? throw new InvalidOperationException("This app runs the real review log.") : _reviews;

    /// <summary>The substitute dashboard aggregates, beside <see cref="Log"/> (endpoint tests only).</summary>
    public IDecisionStats Stats => _log is null ? throw new InvalidOperationException("This app runs the real decision log.") : _stats;

    /// <summary>The fake clock (endpoint tests only).</summary>
    public FakeTimeProvider Time => _time ?? throw new InvalidOperationException("This app runs on the system clock.");

    /// <summary>Everything the app logged, as formatted messages.</summary>
    public ConcurrentQueue<string> LogLines { get; } = new();

    /// <summary>
    /// Back to a clean double: an empty timeline, no calls received. The fake clock is left where it is, since
    /// it cannot go back; tests read "now" from <see cref="Time"/>.
    /// </summary>
    public void Reset()
    {
        Log.ClearSubstitute(ClearOptions.All);
        Log.ReadTimelineAsync(Arg.Any<string>(), Arg.Any<DateTimeOffset>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .Returns(Task.FromResult<IReadOnlyList<TimelineEntry>>([]));
        Log.AppendAsync(Arg.Any<Contracts.DecisionResponse>(), Arg.Any<TimelineEntry>(), Arg.Any<IdempotencyKey?>(), Arg.Any<CancellationToken>())
            .Returns(call => new AppendResult(AppendOutcome.Logged, call.Arg<Contracts.DecisionResponse>()));
        Log.FindIdempotentAsync(Arg.Any<string>(), Arg.Any<string>(), Arg.Any<CancellationToken>())
            .Returns(Task.FromResult<IdempotentDecision?>(null));

        // NOTE: as the table log does it, seen through the calls tests configure: the timeline is read, the decision
        // made on it (and appended).
        Log.UseTimelineAsync(Arg.Any<string>(), Arg.Any<DateTimeOffset>(), Arg.Any<DateTimeOffset>(), Arg.Any<Func<IReadOnlyList<TimelineEntry>, Contracts.DecisionResponse>>(), Arg.Any<CancellationToken>())
            .Returns(async call =>
            {
                var timeline = await Log.ReadTimelineAsync(call.ArgAt<string>(0), call.ArgAt<DateTimeOffset>(1), call.ArgAt<DateTimeOffset>(2), call.ArgAt<CancellationToken>(4));
                return call.ArgAt<Func<IReadOnlyList<TimelineEntry>, Contracts.DecisionResponse>>(3)(timeline);
            });
        Log.DecideAsync(Arg.Any<string>(), Arg.Any<DateTimeOffset>(), Arg.Any<DateTimeOffset>(), Arg.Any<IdempotencyKey?>(), Arg.Any<Func<IReadOnlyList<TimelineEntry>, Decided>>(), Arg.Any<CancellationToken>())
            .Returns(async call =>
            {
                var timeline = await Log.ReadTimelineAsync(call.ArgAt<string>(0), call.ArgAt<DateTimeOffset>(1), call.ArgAt<DateTimeOffset>(2), call.ArgAt<CancellationToken>(5));
                var decided = call.ArgAt<Func<IReadOnlyList<TimelineEntry>, Decided>>(4)(timeline);
                return await Log.AppendAsync(decided.Decision, decided.Entry, call.ArgAt<IdempotencyKey?>(3), call.ArgAt<CancellationToken>(5));
            });
        Reviews.ClearSubstitute(ClearOptions.All);
        Reviews.AddReviewAsync(Arg.Any<string>(), Arg.Any<string>(), Arg.Any<NewReview>(), Arg.Any<CancellationToken>())
            .Returns(call =>
            {
                var review = call.Arg<NewReview>();
                return new ReviewResult(
                    ReviewOutcome.Added,
                    new Contracts.ReviewResponse(review.ReviewId, call.ArgAt<string>(1), call.ArgAt<string>(0), review.Action, review.Reason, review.Reviewer, review.ReviewerSource, review.At),
                    ReviewStatus.Pending);
            });
        Stats.ClearSubstitute(ClearOptions.All);
        Stats.StatsAsync(Arg.Any<Contracts.DecisionStatsQuery>(), Arg.Any<CancellationToken>())
            .Returns(call => new Contracts.DecisionStatsResponse(call.Arg<Contracts.DecisionStatsQuery>().AccountId, call.Arg<Contracts.DecisionStatsQuery>().From, call.Arg<Contracts.DecisionStatsQuery>().To, 0, [], [], []));
        LogLines.Clear();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // NOTE: Production unless a test asks otherwise, as in Azure: no developer exception page, and the problem
        // responses are the real ones.
        builder.UseEnvironment(_environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.ClearProviders().AddFilter("PostGate", LogLevel.Debug).AddProvider(new CollectingLoggerProvider(LogLines)));
        builder.ConfigureTestServices(services =>
        {
            if (_log is not null)
            {
                services.RemoveAll<IDecisionLog>();
                services.AddSingleton(_log);
                services.RemoveAll<IReviewLog>();
                services.AddSingleton(_reviews);
                services.RemoveAll<IDecisionStats>();
                services.AddSingleton(_stats);
            }

            if (_time is not null)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(_time);
            }
        });
    }

    private sealed class CollectingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CollectingLogger(categoryName, lines);

        public void Dispose()
        {
        }
    }

    private sealed class CollectingLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue($"{logLevel} {category} [{eventId.Id}] {formatter(state, exception)} {exception?.Message}");
            }
        }
    }
}
