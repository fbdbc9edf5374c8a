using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using PostGate.Rules.Engine;

namespace PostGate.Functions.Storage;

/// <summary>
/// What this instance knows of one account's partition: the chain head it last saw (with its ETag), the timeline
/// rows of a covered key range, and where known drafts have their timeline row. Every write of a check is guarded
/// by the head's ETag, so knowledge that went stale (another instance wrote) costs one refused transaction and a
/// reload, never a wrong chain. Callers hold <see cref="Lock"/> while they read or change it.
/// </summary>
internal sealed class AccountTimeline
{
    /// <summary>Above this many cached timeline rows the account's cache starts over from the window asked for.</summary>
    public const int MaxEntries = 20_000;

    /// <summary>Above this many known drafts the draft map starts over (unknown drafts cost one refused insert and a read).</summary>
    public const int MaxDrafts = 20_000;

    private List<KeyValuePair<string, TimelineEntry>> _entries = [];

    /// <summary>The same entries, kept with what the rules read from them, for checks made under <see cref="Lock"/>.</summary>
    private readonly IndexedTimeline _indexed = new();

    public SemaphoreSlim Lock { get; } = new(1, 1);

    /// <summary>Moves on whenever cached knowledge is dropped, so a decision made on it is made again.</summary>
    public int Generation { get; private set; }

    public bool HeadKnown { get; private set; }

    public bool HeadExists { get; private set; }

    public ETag HeadETag { get; private set; }

    public string HeadHash { get; private set; } = string.Empty;

    public long Sequence { get; private set; }

    /// <summary>When the head was last confirmed (read, or moved by this instance's own transaction).</summary>
    public long ConfirmedAt { get; private set; }

    /// <summary>Lowest and highest timeline row keys covered, both inclusive; null when nothing is covered.</summary>
    public string? CoveredLow { get; private set; }

    public string? CoveredHigh { get; private set; }

    /// <summary>Draft id → its timeline row key, for drafts whose row is known.</summary>
    public Dictionary<string, string> Drafts { get; } = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    /// <summary>Forgets everything: the next use reads the head and the timeline again.</summary>
    public void Reset()
    {
        Generation++;
        HeadKnown = false;
        HeadExists = false;
        HeadETag = default;
        HeadHash = string.Empty;
        Sequence = 0;
        CoveredLow = null;
        CoveredHigh = null;
        _entries.Clear();
        _indexed.Clear();
        Drafts.Clear();
    }

    /// <summary>The head as read from the table; when it is not the one cached, what was cached is dropped first.</summary>
    public void HeadRead(TableEntity? head, long now)
    {
        var etag = head?.ETag ?? default;
        // NOTE: when no head is known, nothing cached is older than this read (a draft row read just now is kept).
        if (HeadKnown && (HeadExists != head is not null || HeadETag != etag))
        {
            Reset();
        }

        HeadKnown = true;
        HeadExists = head is not null;
        HeadETag = etag;
        HeadHash = head?.GetString("Hash") ?? string.Empty;
        Sequence = head?.GetInt64("Sequence") ?? 0;
        ConfirmedAt = now;
    }

    /// <summary>Key ranges of [<paramref name="low"/>, <paramref name="high"/>] not covered yet, as table filters' bounds.</summary>
    public IReadOnlyList<(string Low, bool LowInclusive, string High, bool HighInclusive)> Missing(string low, string high)
    {
        if (CoveredLow is null || CoveredHigh is null)
        {
            return [(low, true, high, true)];
        }

        var below = string.CompareOrdinal(low, CoveredLow) < 0;
        var above = string.CompareOrdinal(high, CoveredHigh) > 0;
        return (below, above) switch
        {
            (false, false) => [],
            (true, false) => [(low, true, CoveredLow, false)],
            (false, true) => [(CoveredHigh, false, high, true)],
            (true, true) => [(low, true, CoveredLow, false), (CoveredHigh, false, high, true)],
        };
    }

    /// <summary>Rows read for the range, and the range now covered.</summary>
    public void Covered(string low, string high, IEnumerable<KeyValuePair<string, TimelineEntry>> rows)
    {
        // NOTE: a few rows go in one by one; many (a range read below or above what is cached) are merged in one pass,
        // since inserting each would move every cached row after it, in the rows and in the index.
        var read = rows as IReadOnlyCollection<KeyValuePair<string, TimelineEntry>> ?? [.. rows];
        if (read.Count <= MergeAbove)
        {
            foreach (var row in read)
            {
                Insert(row.Key, row.Value);
            }
        }
        else
        {
            Merge(read);
        }

        CoveredLow = CoveredLow is null || string.CompareOrdinal(low, CoveredLow) < 0 ? low : CoveredLow;
        CoveredHigh = CoveredHigh is null || string.CompareOrdinal(high, CoveredHigh) > 0 ? high : CoveredHigh;
    }

    /// <summary>The cached entries with row keys in [<paramref name="low"/>, <paramref name="high"/>], oldest first.</summary>
    public TimelineEntry[] Slice(string low, string high)
    {
        var start = IndexOf(low);
        var end = IndexAfter(high, start);
        if (end <= start)
        {
            return [];
        }

        var slice = new TimelineEntry[end - start];
        for (var i = 0; i < slice.Length; i++)
        {
            slice[i] = _entries[start + i].Value;
        }

        return slice;
    }

    /// <summary>
    /// The cached entries scheduled in [<paramref name="from"/>, <paramref name="until"/>), read in place for the rules:
    /// valid only while the caller holds <see cref="Lock"/> and changes nothing. The engine puts them in the same order
    /// as a <see cref="Slice"/> of the same rows.
    /// </summary>
    public IReadOnlyList<TimelineEntry> Between(DateTimeOffset from, DateTimeOffset until) => _indexed.Between(from, until);

    /// <summary>This instance's transaction landed: the head moved to <paramref name="sequence"/> and the draft's row changed.</summary>
    public void Committed(long sequence, string hash, ETag? etag, long now, string timelineRow, TimelineEntry entry, string? replacedRow)
    {
        if (etag is null)
        {
            // NOTE: without the new head's ETag the next check could not extend it; it reads the account again.
            Reset();
            return;
        }

        Sequence = sequence;
        HeadHash = hash;
        HeadExists = true;
        HeadKnown = true;
        HeadETag = etag.Value;
        ConfirmedAt = now;
        if (replacedRow is not null)
        {
            var index = IndexOf(replacedRow);
            if (index < _entries.Count && _entries[index].Key == replacedRow)
            {
                _indexed.Remove(_entries[index].Value);
                _entries.RemoveAt(index);
            }
        }

        if (IsCovered(timelineRow))
        {
            Insert(timelineRow, entry);
        }

        if (entry.DraftId is { } draftId)
        {
            if (Drafts.Count >= MaxDrafts)
            {
                Drafts.Clear();
            }

            Drafts[draftId] = timelineRow;
        }
    }

    /// <summary>Above this many rows read at once, <see cref="Covered"/> merges them with the cached rows instead of inserting each.</summary>
    public const int MergeAbove = 8;

    /// <summary>What inserting every row in turn leaves, made in one pass: the rows in key order, a row read again replacing the cached one.</summary>
    private void Merge(IReadOnlyCollection<KeyValuePair<string, TimelineEntry>> rows)
    {
        // NOTE: OrderBy is stable, so of two rows with one key the later one read wins, as it would by inserting.
        var incoming = rows.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        var merged = new List<KeyValuePair<string, TimelineEntry>>(_entries.Count + incoming.Count);
        var cached = 0;
        for (var i = 0; i < incoming.Count; i++)
        {
            var row = incoming[i];
            if (i + 1 < incoming.Count && incoming[i + 1].Key == row.Key)
            {
                continue;
            }

            while (cached < _entries.Count && string.CompareOrdinal(_entries[cached].Key, row.Key) < 0)
            {
                merged.Add(_entries[cached++]);
            }

            if (cached < _entries.Count && _entries[cached].Key == row.Key)
            {
                cached++;
            }

            merged.Add(row);
        }

        for (; cached < _entries.Count; cached++)
        {
            merged.Add(_entries[cached]);
        }

        _entries = merged;
        _indexed.Clear();
        foreach (var (_, entry) in merged)
        {
            _indexed.Add(entry);
        }

        foreach (var (row, entry) in rows)
        {
            if (entry.DraftId is { } draftId && Drafts.Count < MaxDrafts)
            {
                Drafts[draftId] = row;
            }
        }
    }

    private bool IsCovered(string row) =>
        CoveredLow is not null && CoveredHigh is not null
        && string.CompareOrdinal(row, CoveredLow) >= 0 && string.CompareOrdinal(row, CoveredHigh) <= 0;

    private void Insert(string row, TimelineEntry entry)
    {
        var index = IndexOf(row);
        if (index < _entries.Count && _entries[index].Key == row)
        {
            _indexed.Remove(_entries[index].Value);
            _entries[index] = new(row, entry);
        }
        else
        {
            _entries.Insert(index, new(row, entry));
        }

        _indexed.Add(entry);

        if (entry.DraftId is { } draftId && Drafts.Count < MaxDrafts)
        {
            Drafts[draftId] = row;
        }
    }

    /// <summary>The index of the first cached row key at or after <paramref name="row"/>.</summary>
    private int IndexOf(string row) => Search(row, 0, inclusive: false);

    /// <summary>The index of the first cached row key after <paramref name="row"/>, looking from <paramref name="from"/> on.</summary>
    private int IndexAfter(string row, int from) => Search(row, from, inclusive: true);

    /// <summary>
    /// The first index from <paramref name="from"/> on whose row key is above <paramref name="row"/> (at or above it
    /// unless <paramref name="inclusive"/>); the keys are in order, so a binary search.
    /// </summary>
    private int Search(string row, int from, bool inclusive)
    {
        int low = from, high = _entries.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            var order = string.CompareOrdinal(_entries[middle].Key, row);
            if (order < 0 || (inclusive && order == 0))
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}

/// <summary>The accounts this instance has checked lately, at most <see cref="MaxAccounts"/>.</summary>
internal sealed class AccountTimelines
{
    public const int MaxAccounts = 10_000;

    private readonly ConcurrentDictionary<string, AccountTimeline> _accounts = new(StringComparer.Ordinal);

    public AccountTimeline For(string partition)
    {
        if (_accounts.TryGetValue(partition, out var known))
        {
            return known;
        }

        // NOTE: dropping every account at once is rare and safe: an account whose state is recreated while another
        // request holds the old one only contends on the chain head's ETag.
        if (_accounts.Count >= MaxAccounts)
        {
            _accounts.Clear();
        }

        return _accounts.GetOrAdd(partition, static _ => new AccountTimeline());
    }
}
