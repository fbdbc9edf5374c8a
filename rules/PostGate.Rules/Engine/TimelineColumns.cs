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
/// Made once per evaluation from the timeline's entries, in the pass that checks their order. The arrays are kept
/// per thread between evaluations and are valid until <see cref="PostContext"/> gives them back.
/// </remarks>
internal sealed class TimelineColumns
{
    /// <summary>The post was a reply to someone (<see cref="PostKind.Reply"/>).</summary>
    public const byte Reply = 1;

    /// <summary>The post was a promotion.</summary>
    public const byte Promotional = 2;

    /// <summary>The post had at least one link.</summary>
    public const byte Linked = 4;

    /// <summary>Columns longer than this are not kept for the thread's next evaluation.</summary>
    private const int MaxKept = 4096;

    private long[] _ticks = [];
    private byte[] _marks = [];
    private Channel[] _channels = [];
    private ulong[] _fingerprints = [];

    [ThreadStatic]
    private static TimelineColumns? t_spare;

    public int Count { get; private set; }

    /// <summary>Each post's scheduled time as UTC ticks, oldest first.</summary>
    public ReadOnlySpan<long> Ticks => _ticks.AsSpan(0, Count);

    public ReadOnlySpan<byte> Marks => _marks.AsSpan(0, Count);

    public ReadOnlySpan<Channel> Channels => _channels.AsSpan(0, Count);

    public ReadOnlySpan<ulong> Fingerprints => _fingerprints.AsSpan(0, Count);

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

    /// <summary>The index of the first post from <paramref name="low"/> on at or after <paramref name="at"/> (<paramref name="inclusive"/>), or after it.</summary>
    public int FirstAtOrAfter(int low, long at, bool inclusive)
    {
        var ticks = Ticks;
        var high = ticks.Length;
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
        if (Vector128.IsHardwareAccelerated && marks.Length >= Vector128<byte>.Count)
        {
            // NOTE: sixteen posts a compare: a lane with any bit of the mark is not equal to zero.
            ref var start = ref MemoryMarshal.GetReference(marks);
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

    /// <summary>The entry's marks, worked out without a branch: timelines mix kinds, promotions and links at random.</summary>
    private static byte MarksOf(TimelineEntry entry) =>
        (byte)((entry.Kind == PostKind.Reply ? Reply : 0)
            | (Unsafe.BitCast<bool, byte>(entry.Promotional) << 1)
            | (int)((ulong)(-(long)entry.LinkCount) >> 63 << 2));

    private void Reserve(int count)
    {
        if (_ticks.Length < count)
        {
            var size = Math.Max(count, 2 * _ticks.Length);
            _ticks = new long[size];
            _marks = new byte[size];
            _channels = new Channel[size];
            _fingerprints = new ulong[size];
        }
    }
}
