using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using PostGate.Rules.Engine;
using PostGate.Rules.Policy;

namespace PostGate.Bench;

/// <summary>
/// PolicyEngine.Evaluate with the default policy on a 280- and a 3,000-character post and a 7-day timeline of
/// 200 entries, beside a bare scan of the same text (IndexOfAny) as the floor: the verdict alone, and with everything
/// a check response reads (finding texts, analysis, signature), which is written only when read.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class EvaluateBenchmarks
{
    private static readonly SearchValues<char> Rare = SearchValues.Create("\u0001\u0002\u0003");

    private Policy _policy = null!;
    private Draft _draft = null!;
    private IReadOnlyList<TimelineEntry> _timeline = [];

    [Params(280, 3000)]
    public int Length { get; set; }

    /// <summary>
    /// "none"; "200" (an array of 200 entries, as a caller without a kept timeline passes it); "200 indexed" (the same
    /// entries kept in an <see cref="IndexedTimeline"/>, as the gate keeps an account's timeline between checks).
    /// </summary>
    [Params("none", "200", "200 indexed")]
    public string Timeline { get; set; } = "none";

    [GlobalSetup]
    public void Setup()
    {
        _policy = PolicyLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "policies", "default.json"));
        var at = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        _draft = new Draft { AccountId = "acme", Channel = Channel.LinkedIn, Text = Posts.Make(Length), ScheduledAt = at, DraftId = "bench" };
        var parts = Timeline.Split(' ');
        var count = parts[0] == "none" ? 0 : int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        var entries = Posts.Timeline(at, count, TimeSpan.FromDays(7));
        _timeline = parts is [_, "indexed"] ? Posts.Indexed(entries).Range(0, entries.Length) : entries;
    }

    [Benchmark(Baseline = true, Description = "floor: IndexOfAny over the text")]
    public int Floor() => _draft.Text.AsSpan().IndexOfAny(Rare);

    [Benchmark(Description = "Evaluate")]
    public Verdict Evaluate() => PolicyEngine.Evaluate(_draft, _timeline, _policy).Verdict;

    /// <summary>Evaluate, then read what a check response and the decision log read: texts, analysis, signature.</summary>
    [Benchmark(Description = "Evaluate + response")]
    public int EvaluateAndRespond()
    {
        var evaluation = PolicyEngine.Evaluate(_draft, _timeline, _policy);
        var size = evaluation.Analysis.Links.Count + evaluation.Signature.LinkKeys.Count + (int)(evaluation.Signature.Fingerprint & 1);
        foreach (var finding in evaluation.Findings)
        {
            size += finding.Message.Length + finding.Coaching.Length;
            foreach (var quote in finding.Evidence)
            {
                size += quote.Length;
            }
        }

        return size;
    }
}

/// <summary>
/// Evaluate with timelines of growing size, all inside or mostly outside the 7-day window, as an array and as a range
/// of an indexed timeline (as the gate passes it).
/// </summary>
[MemoryDiagnoser]
public class TimelineScalingBenchmarks
{
    private Policy _policy = null!;
    private Draft _draft = null!;
    private IReadOnlyList<TimelineEntry> _timeline = [];

    [Params(50, 200, 800)]
    public int Entries { get; set; }

    [Params(7, 70)]
    public int SpreadDays { get; set; }

    [Params(false, true)]
    public bool Indexed { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _policy = PolicyLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "policies", "default.json"));
        var at = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        _draft = new Draft { AccountId = "acme", Channel = Channel.X, Text = Posts.Make(280), ScheduledAt = at, DraftId = "bench" };
        var entries = Posts.Timeline(at, Entries, TimeSpan.FromDays(SpreadDays));
        _timeline = Indexed ? Posts.Indexed(entries).Range(0, entries.Length) : entries;
    }

    [Benchmark]
    public Verdict Evaluate() => PolicyEngine.Evaluate(_draft, _timeline, _policy).Verdict;
}

/// <summary>
/// What keeping an account's timeline indexed costs per check: the checked post goes in as the newest and the
/// oldest leaves, on a timeline of 200 posts.
/// </summary>
[MemoryDiagnoser]
public class IndexedTimelineBenchmarks
{
    private IndexedTimeline _indexed = null!;
    private TimelineEntry[] _next = [];
    private int _turn;

    [GlobalSetup]
    public void Setup()
    {
        var at = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        _indexed = Posts.Indexed(Posts.Timeline(at, 200, TimeSpan.FromDays(7)));

        // NOTE: newer posts, one per call, each later than the last, with links as the timeline's own posts have.
        _next = Posts.Timeline(at + TimeSpan.FromDays(3650), 100_000, TimeSpan.FromDays(3640));
    }

    [Benchmark(Description = "add the newest post, drop the oldest")]
    public int AddNewestDropOldest()
    {
        _indexed.Add(_next[_turn++ % _next.Length]);
        _indexed.RemoveAt(0);
        return _indexed.Count;
    }
}

/// <summary>Evaluate on texts of growing length, for the linearity check.</summary>
[MemoryDiagnoser]
public class LengthScalingBenchmarks
{
    private Policy _policy = null!;
    private Draft _draft = null!;

    [Params(500, 1000, 2000, 4000, 8000)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _policy = PolicyLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "policies", "default.json"));
        var at = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        _draft = new Draft { AccountId = "acme", Channel = Channel.Other, Text = Posts.Make(Length), ScheduledAt = at };
    }

    [Benchmark]
    public Verdict Evaluate() => PolicyEngine.Evaluate(_draft, [], _policy).Verdict;
}

internal static class Posts
{
    // A realistic marketing post: a question, a link, a mention, a hashtag, one sales phrase, an emoji.
    private const string Sample =
        "Spring planting guide is out! Which beds are you starting first this year? We asked three growers how they plan " +
        "a week of sowing, and their answers surprised us. Read it at https://acme.com/guides/spring?utm_source=x and tell " +
        "@growclub what you think. Limited time: seed kits ship free this week 🌱 #gardening ";

    public static string Make(int length)
    {
        var builder = new StringBuilder(length + Sample.Length);
        while (builder.Length < length)
        {
            builder.Append(Sample);
        }

        return builder.ToString(0, length);
    }

    public static TimelineEntry[] Timeline(DateTimeOffset at, int count, TimeSpan spread)
    {
        var entries = new TimelineEntry[count];
        for (var i = 0; i < count; i++)
        {
            var when = at - TimeSpan.FromTicks(spread.Ticks / Math.Max(count, 1) * (i + 1));
            // NOTE: oldest first, as the decision log returns a timeline (row keys sort by scheduled time); every other
            // post had a link, and its key, as a checked draft leaves them; the keys in a list, as the log reads them.
            var linked = i % 2 == 0;
            entries[count - 1 - i] = new TimelineEntry($"d{i}", $"draft{i}", when, (Channel)(i % 7), i % 4 == 0 ? PostKind.Reply : PostKind.Broadcast, linked ? 1 : 0, i % 5)
            {
                LinkKeys = linked ? new List<string> { $"acme.com/post/{i}" } : new List<string>(),
                Promotional = i % 5 == 0,
                Fingerprint = (ulong)(i * 2654435761L) | 1,
            };
        }

        return entries;
    }

    public static IndexedTimeline Indexed(TimelineEntry[] entries)
    {
        var indexed = new IndexedTimeline();
        foreach (var entry in entries)
        {
            indexed.Add(entry);
        }

        return indexed;
    }
}
