using System.Collections;
using System.Runtime.InteropServices;

namespace PostGate.Rules.Engine;

/// <summary>
/// An account's posts, oldest first, kept with what the rules read from them already laid out: times, marks, channels
/// and fingerprints as columns, and each post's link keys as ids. A caller that keeps an account's timeline between
/// checks changes it a post at a time and passes <see cref="Between"/> or <see cref="Range"/> to
/// <see cref="PolicyEngine.Evaluate"/>, which then reads the windows it needs without walking every post again.
/// </summary>
/// <remarks>
/// Not safe to change while it is read: the caller orders changes and evaluations (the gate holds the account's lock).
/// A range taken before a change refuses to be read after it. Entries are taken as they are when added; a
/// <see cref="TimelineEntry"/> is not changed afterwards.
/// </remarks>
public sealed class IndexedTimeline
{
    private readonly TimelineColumns _columns = TimelineColumns.WithKeys();
    private readonly Dictionary<string, int> _keyIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _drafts = new(StringComparer.Ordinal);
    private TimelineEntry[] _entries = [];
    private int _keyUses;

    public IndexedTimeline()
    {
        KeyLookup = _keyIds.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _columns.Count;

    /// <summary>Moves on with every change; a range remembers the version it was taken at.</summary>
    public int Version { get; private set; }

    public TimelineEntry this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _entries[index];
        }
    }

    internal TimelineColumns Columns => _columns;

    /// <summary>The entries, oldest first, in the order of <see cref="Columns"/>; the array may be longer than <see cref="Count"/>.</summary>
    internal TimelineEntry[] Entries => _entries;

    internal Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> KeyLookup { get; }

    /// <summary>How many distinct link keys have an id, in use or not.</summary>
    internal int KeyIdCount => _keyIds.Count;

    /// <summary>
    /// Puts <paramref name="entry"/> in its place, oldest first, posts at the same instant in the order of their
    /// decision ids (the decision log's row keys sort so), and returns where it went.
    /// </summary>
    public int Add(TimelineEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var at = entry.ScheduledAt.UtcTicks;
        var index = _columns.FirstAtOrAfter(0, Count, at, inclusive: true);
        while (index < Count && _columns.Ticks[index] == at && string.CompareOrdinal(_entries[index].DecisionId, entry.DecisionId) <= 0)
        {
            index++;
        }

        if (_entries.Length == Count)
        {
            Array.Resize(ref _entries, Math.Max(16, 2 * Count));
        }

        Array.Copy(_entries, index, _entries, index + 1, Count - index);
        _entries[index] = entry;
        var (first, more) = KeyIdsOf(entry);
        _columns.Insert(index, entry, first, more);
        if (entry.DraftId is { } draftId)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_drafts, draftId, out _)++;
        }

        Version++;
        return index;
    }

    /// <summary>Takes out <paramref name="entry"/> itself (not an equal copy); false when it is not kept.</summary>
    public bool Remove(TimelineEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var at = entry.ScheduledAt.UtcTicks;
        for (var index = _columns.FirstAtOrAfter(0, Count, at, inclusive: true); index < Count && _columns.Ticks[index] == at; index++)
        {
            if (ReferenceEquals(_entries[index], entry))
            {
                RemoveAt(index);
                return true;
            }
        }

        return false;
    }

    public void RemoveAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var entry = _entries[index];
        _keyUses -= KeyCount(_columns.FirstKeys[index], _columns.MoreKeys[index]);
        _columns.RemoveAt(index);
        Array.Copy(_entries, index + 1, _entries, index, Count - index);
        _entries[Count] = null!;
        if (entry.DraftId is { } draftId && --CollectionsMarshal.GetValueRefOrNullRef(_drafts, draftId) == 0)
        {
            _drafts.Remove(draftId);
        }

        Version++;
        ForgetUnusedKeys();
    }

    public void Clear()
    {
        Array.Clear(_entries, 0, Count);
        _columns.Clear();
        _keyIds.Clear();
        _drafts.Clear();
        _keyUses = 0;
        Version++;
    }

    /// <summary>
    /// The posts [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) as a timeline for
    /// <see cref="PolicyEngine.Evaluate"/>; readable until the next change.
    /// </summary>
    public IReadOnlyList<TimelineEntry> Range(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count - start);
        return new TimelineRange(this, start, count, Version);
    }

    /// <summary>
    /// The posts scheduled from <paramref name="from"/> (inclusive) until <paramref name="until"/> (exclusive) as a
    /// timeline for <see cref="PolicyEngine.Evaluate"/>; readable until the next change.
    /// </summary>
    public IReadOnlyList<TimelineEntry> Between(DateTimeOffset from, DateTimeOffset until)
    {
        var start = _columns.FirstAtOrAfter(0, Count, from.UtcTicks, inclusive: true);
        var end = Math.Max(start, _columns.FirstAtOrAfter(start, Count, until.UtcTicks, inclusive: true));
        return new TimelineRange(this, start, end - start, Version);
    }

    /// <summary>Whether a post of the draft <paramref name="draftId"/> is kept.</summary>
    internal bool HoldsDraft(string draftId) => _drafts.ContainsKey(draftId);

    private (int First, int[]? More) KeyIdsOf(TimelineEntry entry)
    {
        var keys = entry.LinkKeys;
        if (keys.Count == 0)
        {
            return (-1, null);
        }

        var first = IdOf(keys[0]);
        List<int>? more = null;
        for (var k = 1; k < keys.Count; k++)
        {
            var id = IdOf(keys[k]);
            if (id != first && (more is null || !more.Contains(id)))
            {
                (more ??= []).Add(id);
            }
        }

        var ids = more?.ToArray();
        _keyUses += KeyCount(first, ids);
        return (first, ids);
    }

    private int IdOf(string key)
    {
        ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(_keyIds, key, out var known);
        if (!known)
        {
            id = _keyIds.Count - 1;
        }

        return id;
    }

    private static int KeyCount(int first, int[]? more) => (first < 0 ? 0 : 1) + (more?.Length ?? 0);

    /// <summary>
    /// Keys of posts that left stay in the id table until it holds more than twice the keys in use (plus some slack);
    /// then the ids are given out again from the posts kept.
    /// </summary>
    private void ForgetUnusedKeys()
    {
        if (_keyIds.Count <= (2 * _keyUses) + 64)
        {
            return;
        }

        _keyIds.Clear();
        _keyUses = 0;
        for (var k = 0; k < Count; k++)
        {
            var (first, more) = KeyIdsOf(_entries[k]);
            _columns.SetKeys(k, first, more);
        }
    }
}

/// <summary>A run of an <see cref="IndexedTimeline"/>'s posts, as <see cref="IndexedTimeline.Range"/> gives it.</summary>
internal sealed class TimelineRange(IndexedTimeline owner, int start, int count, int version) : IReadOnlyList<TimelineEntry>
{
    public IndexedTimeline Owner { get; } = owner;

    public int Start { get; } = start;

    public int Count { get; } = count;

    public TimelineEntry this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            EnsureCurrent();
            return Owner.Entries[Start + index];
        }
    }

    /// <summary>Throws when the timeline changed since this range was taken: its indexes no longer mean the same posts.</summary>
    public void EnsureCurrent()
    {
        if (Owner.Version != version)
        {
            throw new InvalidOperationException("The indexed timeline changed after this range was taken; take the range again.");
        }
    }

    public IEnumerator<TimelineEntry> GetEnumerator()
    {
        EnsureCurrent();
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
