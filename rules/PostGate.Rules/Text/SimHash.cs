using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PostGate.Rules.Text;

/// <summary>
/// A 64-bit SimHash over word pairs of normalized text: texts that differ in a few words differ in a few bits,
/// so "nearly the same post again" is a small Hamming distance.
/// </summary>
public static class SimHash
{
    /// <summary>Posts with fewer words get no fingerprint (0): too short to call a repeat.</summary>
    public const int MinWords = 5;

    public static ulong Of(string normalizedText)
    {
        ArgumentNullException.ThrowIfNull(normalizedText);
        return Of(normalizedText.AsSpan());
    }

    public static ulong Of(ReadOnlySpan<char> normalizedText)
    {
        // NOTE: the ones each bit gets are counted bit-sliced, 64 bits at once: pairs wait in blocks of eight, which
        // carry-save adders fold into ones, twos and fours; each block's eights ripple into counters of weight 8,
        // enough of them for every pair the text can hold (at most one per two characters).
        // NOTE: the buffers are inline arrays, not stackalloc: a method that allocates on the stack is compiled once,
        // without the profile-guided recompilation the word loop gains from.
        var tally = new Tally(normalizedText.Length);
        var pending = default(Block);
        Span<ulong> block = pending;
        var held = 0;
        var words = 0;
        ulong previous = 0;
        var i = 0;
        while (i < normalizedText.Length)
        {
            if (!char.IsLetterOrDigit(normalizedText[i]))
            {
                i++;
                continue;
            }

            var hash = 14695981039346656037UL;
            while (i < normalizedText.Length && char.IsLetterOrDigit(normalizedText[i]))
            {
                hash = (hash ^ normalizedText[i]) * 1099511628211UL;
                i++;
            }

            if (words > 0)
            {
                block[held++] = Mix((previous * 31) + hash);
                if (held == block.Length)
                {
                    tally.Add(block);
                    held = 0;
                }
            }

            previous = hash;
            words++;
        }

        if (words < MinWords)
        {
            return 0;
        }

        if (held > 0)
        {
            block[held..].Clear();
            tally.Add(block);
        }

        // NOTE: a bit is set when more than half the pairs had it.
        var result = tally.MoreThan((words - 1) / 2);
        return result == 0 ? 1 : result;
    }

    /// <summary>The fingerprint of a post: SimHash of its text as <see cref="Normalizer"/> folds it.</summary>
    internal static ulong OfPost(string text)
    {
        var normalized = Normalizer.Normalize(text, pooled: true, asciiRuns: true);
        try
        {
            return Of(normalized.Chars);
        }
        finally
        {
            normalized.Release();
        }
    }

    public static int Distance(ulong a, ulong b) => BitOperations.PopCount(a ^ b);

    /// <summary>How many fingerprints <see cref="AnyCloser"/> takes at once.</summary>
    internal const int Screened = 4;

    /// <summary>Whether <see cref="AnyCloser"/> can run here (it counts bits with AVX2 byte shuffles).</summary>
    internal static bool CanScreen => Avx2.IsSupported;

    /// <summary>Whether any of four fingerprints is fewer than <paramref name="limit"/> bits from <paramref name="fingerprint"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool AnyCloser(ulong fingerprint, ReadOnlySpan<ulong> four, int limit)
    {
        // NOTE: bits counted a nibble at a time by table, the byte counts summed per fingerprint (as fast popcounts do
        // without a vector popcount instruction).
        Debug.Assert(CanScreen && four.Length == Screened, "Four fingerprints, on a machine with AVX2.");
        var differ = (Vector256.Create(four) ^ Vector256.Create(fingerprint)).AsByte();
        var nibble = Vector256.Create((byte)0x0F);
        var bits = Vector256.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
        var counts = Avx2.Shuffle(bits, differ & nibble) + Avx2.Shuffle(bits, Vector256.ShiftRightLogical(differ.AsUInt16(), 4).AsByte() & nibble);
        var distances = Avx2.SumAbsoluteDifferences(counts, Vector256<byte>.Zero).AsInt64();
        return Vector256.LessThanAny(distances, Vector256.Create((long)limit));
    }

    /// <summary>
    /// How many of the pairs added had each of the 64 bits, bit-sliced: bit b of level j is bit j of bit b's count.
    /// Levels 0–2 are ones, twos and fours; the rest count eights.
    /// </summary>
    private struct Tally(int length)
    {
        private readonly int _levels = LevelsFor(length);
        private Eights _eights;
        private ulong _ones;
        private ulong _twos;
        private ulong _fours;

        /// <summary>Counters of eights for a text of <paramref name="length"/> characters: it holds at most length / 16 blocks of eight pairs.</summary>
        public static int LevelsFor(int length) => 1 + BitOperations.Log2((uint)(length / 16) + 1);

        /// <summary>Adds eight pairs (Harley–Seal: seven carry-save adders, then the eights rippled up).</summary>
        public void Add(ReadOnlySpan<ulong> pairs)
        {
            var twosA = Save(ref _ones, pairs[0], pairs[1]);
            var twosB = Save(ref _ones, pairs[2], pairs[3]);
            var foursA = Save(ref _twos, twosA, twosB);
            twosA = Save(ref _ones, pairs[4], pairs[5]);
            twosB = Save(ref _ones, pairs[6], pairs[7]);
            var foursB = Save(ref _twos, twosA, twosB);
            var carry = Save(ref _fours, foursA, foursB);
            Span<ulong> eights = _eights;
            for (var j = 0; j < _levels; j++)
            {
                var next = eights[j] & carry;
                eights[j] ^= carry;
                carry = next;
            }
        }

        /// <summary>The bits whose count is above <paramref name="limit"/>, compared from the highest level down.</summary>
        public readonly ulong MoreThan(int limit)
        {
            ReadOnlySpan<ulong> eights = _eights;
            ulong above = 0, same = ~0UL;
            for (var j = _levels + 2; j >= 0; j--)
            {
                var level = j switch { 0 => _ones, 1 => _twos, 2 => _fours, _ => eights[j - 3] };
                var wanted = 0UL - (ulong)((limit >> j) & 1);
                above |= same & level & ~wanted;
                same &= ~(level ^ wanted);
            }

            return above;
        }

        /// <summary>A carry-save adder: <paramref name="low"/> + <paramref name="b"/> + <paramref name="c"/> per bit, the sum's low bit left in <paramref name="low"/>, its carry returned.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ulong Save(ref ulong low, ulong b, ulong c)
        {
            var either = low ^ b;
            var carry = (low & b) | (either & c);
            low = either ^ c;
            return carry;
        }
    }

    /// <summary>Eight pairs waiting to be counted.</summary>
    [InlineArray(8)]
    private struct Block
    {
        private ulong _pair;
    }

    /// <summary>Counters of eights: enough for any text a string can hold.</summary>
    [InlineArray(28)]
    private struct Eights
    {
        private ulong _level;
    }

    /// <summary>SplitMix64 finalizer: spreads the bits of a combined hash.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
