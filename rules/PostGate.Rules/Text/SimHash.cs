using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PostGate.Rules.Text;

/// <summary>
/// A 64-bit SimHash over word pairs of normalized text: texts that differ in a few words differ in a few bits,
/// so "nearly the same post again" is a small Hamming distance.
/// </summary>
/// <remarks>
/// The words and their hashes are those of <see cref="TextWords"/>. Each pair of neighbouring words votes with the
/// 128-bit multiply (the high half XOR the low half) of their two hashes, each XORed with a constant; a bit of the
/// fingerprint is set when more than half the pairs set it.
/// </remarks>
public static class SimHash
{
    /// <summary>Posts with fewer words get no fingerprint (0): too short to call a repeat.</summary>
    public const int MinWords = 5;

    /// <summary>
    /// The version of the fingerprint's definition. Fingerprints of another version are not comparable with these:
    /// whatever stores fingerprints keeps the version beside them.
    /// </summary>
    public const int Version = 2;

    private const ulong PairFirst = 0xE703_7ED1_A0B4_28DBUL;
    private const ulong PairSecond = 0x8EBC_6AF0_9C88_C6E3UL;

    public static ulong Of(string normalizedText)
    {
        ArgumentNullException.ThrowIfNull(normalizedText);
        return Of(normalizedText.AsSpan());
    }

    public static ulong Of(ReadOnlySpan<char> normalizedText) => OfWords(TextWords.Of(normalizedText));

    /// <summary>The fingerprint of the text whose words <paramref name="words"/> holds.</summary>
    internal static ulong OfWords(TextWords words)
    {
        // NOTE: the ones each bit gets are counted bit-sliced, 64 bits at once: pairs wait in blocks of eight, which
        // carry-save adders fold into ones, twos and fours; each block's eights ripple into counters of weight 8,
        // enough of them for every pair the text can hold (at most one per two characters).
        var count = words.Count;
        if (count < MinWords)
        {
            return 0;
        }

        var tally = new Tally(words.TextLength);
        var pending = default(Block);
        ref var block = ref Unsafe.As<Block, ulong>(ref pending);
        ref var hashes = ref MemoryMarshal.GetArrayDataReference(words.Hashes);
        var held = 0;
        for (var w = 1; w < count; w++)
        {
            Unsafe.Add(ref block, held++) = TextWords.Multiply(Unsafe.Add(ref hashes, w - 1) ^ PairFirst, Unsafe.Add(ref hashes, w) ^ PairSecond);
            if (held == Block.Length)
            {
                tally.Add(ref block);
                held = 0;
            }
        }

        if (held > 0)
        {
            ((Span<ulong>)pending)[held..].Clear();
            tally.Add(ref block);
        }

        // NOTE: a bit is set when more than half the pairs had it.
        var result = tally.MoreThan((count - 1) / 2);
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

    /// <summary>How many fingerprints <see cref="NextCloser"/> screens at once: eight with AVX-512, else four.</summary>
    internal static int Screened => CanScreenEight ? 8 : 4;

    /// <summary>Whether <see cref="NextCloser"/> can run here (it counts bits with AVX2 byte shuffles).</summary>
    internal static bool CanScreen => Avx2.IsSupported;

    /// <summary>Whether <see cref="NextCloserOfEight"/> can run here (AVX-512 byte shuffles).</summary>
    internal static bool CanScreenEight => Avx512BW.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>
    /// From <paramref name="from"/>, in steps of <see cref="Screened"/>, the first index whose block of that many
    /// fingerprints holds one fewer than <paramref name="limit"/> bits from <paramref name="fingerprint"/>, or the
    /// first from which fewer than a block remain; needs <see cref="CanScreen"/>.
    /// </summary>
    internal static int NextCloser(ulong fingerprint, ReadOnlySpan<ulong> fingerprints, int from, int limit) =>
        CanScreenEight ? NextCloserOfEight(fingerprint, fingerprints, from, limit) : NextCloserOfFour(fingerprint, fingerprints, from, limit);

    /// <summary><see cref="NextCloser"/> four fingerprints at a time.</summary>
    internal static int NextCloserOfFour(ulong fingerprint, ReadOnlySpan<ulong> fingerprints, int from, int limit)
    {
        // NOTE: bits counted a nibble at a time by table, the byte counts summed per fingerprint (as fast popcounts do
        // without a vector popcount instruction).
        Debug.Assert(CanScreen, "A machine with AVX2.");
        ref var at = ref MemoryMarshal.GetReference(fingerprints);
        var print = Vector256.Create(fingerprint);
        var nibble = Vector256.Create((byte)0x0F);
        var bits = Vector256.Create(Vector128.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4));
        var fewer = Vector256.Create((long)limit);
        var i = from;
        for (; i + 4 <= fingerprints.Length; i += 4)
        {
            var differ = (Vector256.LoadUnsafe(ref at, (nuint)i) ^ print).AsByte();
            var counts = Avx2.Shuffle(bits, differ & nibble) + Avx2.Shuffle(bits, Vector256.ShiftRightLogical(differ.AsUInt16(), 4).AsByte() & nibble);
            if (Vector256.LessThanAny(Avx2.SumAbsoluteDifferences(counts, Vector256<byte>.Zero).AsInt64(), fewer))
            {
                break;
            }
        }

        return i;
    }

    /// <summary><see cref="NextCloser"/> eight fingerprints at a time.</summary>
    internal static int NextCloserOfEight(ulong fingerprint, ReadOnlySpan<ulong> fingerprints, int from, int limit)
    {
        Debug.Assert(CanScreenEight, "A machine with AVX-512.");
        ref var at = ref MemoryMarshal.GetReference(fingerprints);
        var print = Vector512.Create(fingerprint);
        var nibble = Vector512.Create((byte)0x0F);
        var bits = Vector512.Create(Vector128.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4));
        var fewer = Vector512.Create((long)limit);
        var i = from;
        for (; i + 8 <= fingerprints.Length; i += 8)
        {
            var differ = (Vector512.LoadUnsafe(ref at, (nuint)i) ^ print).AsByte();
            var counts = Avx512BW.Shuffle(bits, differ & nibble) + Avx512BW.Shuffle(bits, Vector512.ShiftRightLogical(differ.AsUInt16(), 4).AsByte() & nibble);
            if (Vector512.LessThanAny(Avx512BW.SumAbsoluteDifferences(counts, Vector512<byte>.Zero).AsInt64(), fewer))
            {
                break;
            }
        }

        return i;
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
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(ref ulong pairs)
        {
            var twosA = Save(ref _ones, pairs, Unsafe.Add(ref pairs, 1));
            var twosB = Save(ref _ones, Unsafe.Add(ref pairs, 2), Unsafe.Add(ref pairs, 3));
            var foursA = Save(ref _twos, twosA, twosB);
            twosA = Save(ref _ones, Unsafe.Add(ref pairs, 4), Unsafe.Add(ref pairs, 5));
            twosB = Save(ref _ones, Unsafe.Add(ref pairs, 6), Unsafe.Add(ref pairs, 7));
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
    [InlineArray(Length)]
    private struct Block
    {
        public const int Length = 8;

        private ulong _pair;
    }

    /// <summary>Counters of eights: enough for any text a string can hold.</summary>
    [InlineArray(28)]
    private struct Eights
    {
        private ulong _level;
    }
}
