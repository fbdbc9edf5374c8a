using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PostGate.Rules.Engine;

/// <summary>
/// The timeline a draft is checked against, one array per field (UTC ticks, marks, channel, fingerprint), for rules that
/// count or compare every post in a window: they read a few bytes per post instead of following a reference to each.
/// </summary>
/// <remarks>
/// Made once per evaluation from the timeline's entries, in the pass that checks their order; the arrays are kept per
/// thread between evaluations and are valid until <see cref="PostContext"/> gives them back. An
/// <see cref="IndexedTimeline"/> owns columns of its own, changed a post at a time, with each post's link keys as ids.
/// </remarks>
internal sealed class TimelineColumns
{
    /// <summary>The post was a reply to someone (<see cref="PostKind.Reply"/>).</summary>
    public const byte Reply = 1;

    /// <summary>The post was a promotion.</summary>
    public const byte Promotional = 2;

    /// <summary>The post had at least one link.</summary>
    public const byte Linked = 4;

    /// <summary>The post had more than one distinct link key (keyed columns only): its other ids are in <see cref="MoreKeys"/>.</summary>
    public const byte SeveralKeys = 8;

    /// <summary>Columns longer than this are not kept for the thread's next evaluation.</summary>
    private const int MaxKept = 4096;

    private long[] _ticks = [];
    private byte[] _marks = [];
    private Channel[] _channels = [];
    private ulong[] _fingerprints = [];
    private int[] _firstKeys = [];
    private int[]?[] _moreKeys = [];

    [ThreadStatic]
    private static TimelineColumns? t_spare;

    public int Count { get; private set; }

    /// <summary>Each post's scheduled time as UTC ticks, oldest first.</summary>
    public ReadOnlySpan<long> Ticks => _ticks.AsSpan(0, Count);

    public ReadOnlySpan<byte> Marks => _marks.AsSpan(0, Count);

    public ReadOnlySpan<Channel> Channels => _channels.AsSpan(0, Count);

    public ReadOnlySpan<ulong> Fingerprints => _fingerprints.AsSpan(0, Count);

    /// <summary>Whether each post's link keys are held as ids (<see cref="FirstKeys"/>, <see cref="MoreKeys"/>).</summary>
    public bool Keyed { get; private init; }

    /// <summary>Each post's first link key id, or -1 when it had none (keyed columns only).</summary>
    public ReadOnlySpan<int> FirstKeys => _firstKeys.AsSpan(0, Keyed ? Count : 0);

    /// <summary>The ids of each post's other distinct link keys, null for a post with at most one (keyed columns only).</summary>
    public ReadOnlySpan<int[]?> MoreKeys => _moreKeys.AsSpan(0, Keyed ? Count : 0);

    /// <summary>Columns that hold link key ids, changed a post at a time (<see cref="Insert"/>, <see cref="RemoveAt"/>).</summary>
    public static TimelineColumns WithKeys() => new() { Keyed = true };

    /// <summary>This thread's columns, taken until <see cref="Return"/>; new ones when they are already out.</summary>
    public static TimelineColumns Take()
    {
        var columns = t_spare ?? new TimelineColumns();
        t_spare = null;
        return columns;
    }

    public static void Return(TimelineColumns columns)
    {
        columns.Count = 0;
        if (columns._ticks.Length <= MaxKept)
        {
            t_spare = columns;
        }
    }

    /// <summary>
    /// Fills the columns from <paramref name="entries"/> if they are oldest first and hold no version of
    /// <paramref name="draftId"/>; false (and the columns half filled) otherwise.
    /// </summary>
    public bool TryFillSortedWithout(TimelineEntry[] entries, string? draftId)
    {
        Reserve(entries.Length);

        // NOTE: the columns hold at least as many slots as there are entries (Reserve), so they are written without
        // a bounds check each.
        ref var ticks = ref MemoryMarshal.GetArrayDataReference(_ticks);
        ref var marks = ref MemoryMarshal.GetArrayDataReference(_marks);
        ref var channels = ref MemoryMarshal.GetArrayDataReference(_channels);
        ref var fingerprints = ref MemoryMarshal.GetArrayDataReference(_fingerprints);
        var previous = long.MinValue;
        for (var k = 0; k < entries.Length; k++)
        {
            var entry = entries[k];
            var at = entry.ScheduledAt.UtcTicks;
            if (at < previous || (draftId is not null && string.Equals(entry.DraftId, draftId, StringComparison.Ordinal)))
            {
                return false;
            }

            previous = at;
            Unsafe.Add(ref ticks, k) = at;
            Unsafe.Add(ref marks, k) = MarksOf(entry);
            Unsafe.Add(ref channels, k) = entry.Channel;
            Unsafe.Add(ref fingerprints, k) = entry.Fingerprint;
        }

        Count = entries.Length;
        return true;
    }

    /// <summary>
    /// The index of the first post in [<paramref name="low"/>, <paramref name="high"/>) at or after
    /// <paramref name="at"/> (<paramref name="inclusive"/>), or after it; <paramref name="high"/> when there is none.
    /// </summary>
    public int FirstAtOrAfter(int low, int high, long at, bool inclusive)
    {
        var ticks = Ticks;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (inclusive ? ticks[middle] < at : ticks[middle] <= at)
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

    /// <summary>How many posts in [<paramref name="low"/>, <paramref name="high"/>) carry any bit of <paramref name="mark"/>.</summary>
    public int CountMarked(int low, int high, byte mark)
    {
        var marks = _marks.AsSpan(low, high - low);
        var count = 0;
        var i = 0;
        ref var start = ref MemoryMarshal.GetReference(marks);
        if (Vector512.IsHardwareAccelerated && marks.Length >= Vector512<byte>.Count)
        {
            // NOTE: sixty-four posts a compare: a lane with any bit of the mark is not equal to zero.
            var wanted = Vector512.Create(mark);
            for (; i <= marks.Length - Vector512<byte>.Count; i += Vector512<byte>.Count)
            {
                var hit = ~Vector512.Equals(Vector512.LoadUnsafe(ref start, (nuint)i) & wanted, Vector512<byte>.Zero);
                count += BitOperations.PopCount(hit.ExtractMostSignificantBits());
            }
        }

        if (Vector128.IsHardwareAccelerated && marks.Length - i >= Vector128<byte>.Count)
        {
            // NOTE: sixteen posts a compare, as above.
            var wanted = Vector128.Create(mark);
            for (; i <= marks.Length - Vector128<byte>.Count; i += Vector128<byte>.Count)
            {
                var hit = ~Vector128.Equals(Vector128.LoadUnsafe(ref start, (nuint)i) & wanted, Vector128<byte>.Zero);
                count += BitOperations.PopCount(hit.ExtractMostSignificantBits());
            }
        }

        for (; i < marks.Length; i++)
        {
            count += (marks[i] & mark) != 0 ? 1 : 0;
        }

        return count;
    }

    /// <summary>How many posts in [<paramref name="low"/>, <paramref name="high"/>) had the link key <paramref name="id"/> (keyed columns only).</summary>
    public int CountKey(int id, int low, int high)
    {
        var first = _firstKeys.AsSpan(low, high - low);
        var count = 0;
        var i = 0;
        ref var start = ref MemoryMarshal.GetReference(first);
        if (Vector512.IsHardwareAccelerated && first.Length >= Vector512<int>.Count)
        {
            var wanted = Vector512.Create(id);
            for (; i <= first.Length - Vector512<int>.Count; i += Vector512<int>.Count)
            {
                count += BitOperations.PopCount(Vector512.Equals(Vector512.LoadUnsafe(ref start, (nuint)i), wanted).ExtractMostSignificantBits());
            }
        }

        if (Vector256.IsHardwareAccelerated && first.Length - i >= Vector256<int>.Count)
        {
            var wanted = Vector256.Create(id);
            for (; i <= first.Length - Vector256<int>.Count; i += Vector256<int>.Count)
            {
                count += BitOperations.PopCount(Vector256.Equals(Vector256.LoadUnsafe(ref start, (nuint)i), wanted).ExtractMostSignificantBits());
            }
        }

        for (; i < first.Length; i++)
        {
            count += first[i] == id ? 1 : 0;
        }

        // NOTE: a post's ids are distinct, so a post whose first id is another may still hold this one once.
        if (CountMarked(low, high, SeveralKeys) > 0)
        {
            for (var k = low; k < high; k++)
            {
                if (_moreKeys[k] is { } more && _firstKeys[k] != id && Array.IndexOf(more, id) >= 0)
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Puts a post at <paramref name="index"/>, moving later ones up; the caller keeps the order (keyed columns only).</summary>
    public void Insert(int index, TimelineEntry entry, int firstKey, int[]? moreKeys)
    {
        Debug.Assert(Keyed, "Only keyed columns change a post at a time.");
        Reserve(Count + 1);
        var after = Count - index;
        Array.Copy(_ticks, index, _ticks, index + 1, after);
        Array.Copy(_marks, index, _marks, index + 1, after);
        Array.Copy(_channels, index, _channels, index + 1, after);
        Array.Copy(_fingerprints, index, _fingerprints, index + 1, after);
        Array.Copy(_firstKeys, index, _firstKeys, index + 1, after);
        Array.Copy(_moreKeys, index, _moreKeys, index + 1, after);
        _ticks[index] = entry.ScheduledAt.UtcTicks;
        _marks[index] = MarksOf(entry);
        _channels[index] = entry.Channel;
        _fingerprints[index] = entry.Fingerprint;
        SetKeys(index, firstKey, moreKeys);
        Count++;
    }

    /// <summary>Takes the post at <paramref name="index"/> out, moving later ones down (keyed columns only).</summary>
    public void RemoveAt(int index)
    {
        Debug.Assert(Keyed, "Only keyed columns change a post at a time.");
        var after = Count - index - 1;
        Array.Copy(_ticks, index + 1, _ticks, index, after);
        Array.Copy(_marks, index + 1, _marks, index, after);
        Array.Copy(_channels, index + 1, _channels, index, after);
        Array.Copy(_fingerprints, index + 1, _fingerprints, index, after);
        Array.Copy(_firstKeys, index + 1, _firstKeys, index, after);
        Array.Copy(_moreKeys, index + 1, _moreKeys, index, after);
        Count--;
        _moreKeys[Count] = null;
    }

    /// <summary>Gives the post at <paramref name="index"/> new link key ids (keyed columns only).</summary>
    public void SetKeys(int index, int firstKey, int[]? moreKeys)
    {
        _firstKeys[index] = firstKey;
        _moreKeys[index] = moreKeys;
        _marks[index] = (byte)((_marks[index] & ~SeveralKeys) | (moreKeys is null ? 0 : SeveralKeys));
    }

    public void Clear()
    {
        Array.Clear(_moreKeys, 0, Count);
        Count = 0;
    }

    /// <summary>The entry's marks, worked out without a branch: timelines mix kinds, promotions and links at random.</summary>
    private static byte MarksOf(TimelineEntry entry) =>
        (byte)((entry.Kind == PostKind.Reply ? Reply : 0)
            | (Unsafe.BitCast<bool, byte>(entry.Promotional) << 1)
            | (int)((ulong)(-(long)entry.LinkCount) >> 63 << 2));

    /// <summary>Room for <paramref name="count"/> posts; keyed columns keep what they hold, the others are filled afresh.</summary>
    private void Reserve(int count)
    {
        if (_ticks.Length < count)
        {
            var size = Math.Max(Math.Max(count, 2 * _ticks.Length), 16);
            _ticks = Grown(_ticks, size);
            _marks = Grown(_marks, size);
            _channels = Grown(_channels, size);
            _fingerprints = Grown(_fingerprints, size);
            if (Keyed)
            {
                _firstKeys = Grown(_firstKeys, size);
                _moreKeys = Grown(_moreKeys, size);
            }
        }
    }

    private T[] Grown<T>(T[] column, int size)
    {
        var grown = new T[size];
        if (Keyed)
        {
            Array.Copy(column, grown, Count);
        }

        return grown;
    }
}
