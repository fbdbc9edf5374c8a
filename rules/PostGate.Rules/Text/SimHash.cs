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
/// A word is a run of letters and digits (<see cref="char.IsLetterOrDigit(char)"/>). Its UTF-16 units are taken eight
/// at a time, four to a 64-bit lane (the first unit lowest), the last eight padded with zeros; each eight is folded
/// into the word's hash by one 128-bit multiply (the high half XOR the low half) of the two lanes, each XORed with a
/// constant and the first also with the hash so far. Each pair of neighbouring words votes with the multiply of their
/// two hashes, again XORed with constants; a bit of the fingerprint is set when more than half the pairs set it.
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

    // NOTE: each of the two word constants holds a surrogate in one lane, which no letter or digit is, so no eight
    // units XOR one of them to zero.
    private const ulong FirstLane = 0xD8F1_3C6E_A54F_F53AUL;
    private const ulong SecondLane = 0xDB07_51E0_9B05_688CUL;
    private const ulong PairFirst = 0xE703_7ED1_A0B4_28DBUL;
    private const ulong PairSecond = 0x8EBC_6AF0_9C88_C6E3UL;

    public static ulong Of(string normalizedText)
    {
        ArgumentNullException.ThrowIfNull(normalizedText);
        return Of(normalizedText.AsSpan());
    }

    public static ulong Of(ReadOnlySpan<char> normalizedText)
    {
        // NOTE: the words are found from a bitmap of letters and digits, built sixteen characters at a time: a bit
        // that differs from the one before it starts or ends a word, so the words come out of the bitmap's set bits
        // without a branch per character. The ones each bit gets are counted bit-sliced, 64 bits at once: pairs wait
        // in blocks of eight, which carry-save adders fold into ones, twos and fours; each block's eights ripple into
        // counters of weight 8, enough of them for every pair the text can hold (at most one per two characters).
        // NOTE: the buffers are inline arrays or kept per thread, not stackalloc: a method that allocates on the stack
        // is compiled once, without the profile-guided recompilation the word loop gains from.
        var blocks = (normalizedText.Length >> 6) + 1;
        var map = t_map is { } kept && kept.Length >= blocks ? kept
            : blocks > KeptBlocks ? new ulong[blocks]
            : (t_map = new ulong[Math.Max(blocks, 64)]);
        var bits = map.AsSpan(0, blocks);
        bits.Clear();
        MarkWordCharacters(normalizedText, bits);
        return Vote(normalizedText, bits);
    }

    /// <summary>The longest bitmap a thread keeps (texts of 64K characters); a longer text gets one of its own.</summary>
    private const int KeptBlocks = 1024;

    /// <summary>This thread's letter-and-digit bitmap, kept for the next text.</summary>
    [ThreadStatic]
    private static ulong[]? t_map;

    /// <summary>Sets bit i of <paramref name="map"/> (64 to a block) where character i is a letter or digit; the map starts clear.</summary>
    internal static void MarkWordCharacters(ReadOnlySpan<char> text, Span<ulong> map)
    {
        ref var units = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
        var k = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var ascii = Vector128.Create((ushort)0x7F);
            for (; k + 16 <= text.Length; k += 16)
            {
                var low = Vector128.LoadUnsafe(ref units, (nuint)k);
                var high = Vector128.LoadUnsafe(ref units, (nuint)(k + 8));

                // NOTE: narrowed to bytes, a unit beyond ASCII may pass for a letter; those positions are looked up.
                var bits = AsciiVector.IsLetterOrDigit(Vector128.Narrow(low, high)).ExtractMostSignificantBits();
                var beyond = Vector128.Narrow(Vector128.GreaterThan(low, ascii), Vector128.GreaterThan(high, ascii)).ExtractMostSignificantBits();
                if (beyond != 0)
                {
                    bits &= ~beyond;
                    while (beyond != 0)
                    {
                        var j = BitOperations.TrailingZeroCount(beyond);
                        beyond &= beyond - 1;
                        bits |= char.IsLetterOrDigit(text[k + j]) ? 1u << j : 0;
                    }
                }

                map[k >> 6] |= (ulong)bits << (k & 63);
            }
        }

        for (; k < text.Length; k++)
        {
            map[k >> 6] |= char.IsLetterOrDigit(text[k]) ? 1UL << (k & 63) : 0;
        }
    }

    /// <summary>The fingerprint of <paramref name="text"/>, whose letters and digits <paramref name="map"/> marks, with a clear block past its end.</summary>
    private static ulong Vote(ReadOnlySpan<char> text, ReadOnlySpan<ulong> map)
    {
        var tally = new Tally(text.Length);
        var pending = default(Block);
        ref var block = ref Unsafe.As<Block, ulong>(ref pending);
        var held = 0;
        var words = 0;
        ulong previous = 0;
        ulong before = 0;
        var start = -1;
        for (var b = 0; b < map.Length; b++)
        {
            // NOTE: the edges alternate: a word starts at one, ends at the next (the clear block past the text ends the last).
            var bits = map[b];
            var edges = bits ^ ((bits << 1) | before);
            before = bits >> 63;
            while (edges != 0)
            {
                var at = (b << 6) + BitOperations.TrailingZeroCount(edges);
                edges &= edges - 1;
                if (start < 0)
                {
                    start = at;
                    continue;
                }

                var hash = WordHash(text, start, at - start);
                start = -1;
                if (words > 0)
                {
                    Unsafe.Add(ref block, held++) = Multiply(previous ^ PairFirst, hash ^ PairSecond);
                    if (held == Block.Length)
                    {
                        tally.Add(ref block);
                        held = 0;
                    }
                }

                previous = hash;
                words++;
            }
        }

        if (words < MinWords)
        {
            return 0;
        }

        if (held > 0)
        {
            ((Span<ulong>)pending)[held..].Clear();
            tally.Add(ref block);
        }

        // NOTE: a bit is set when more than half the pairs had it.
        var result = tally.MoreThan((words - 1) / 2);
        return result == 0 ? 1 : result;
    }

    /// <summary>The hash of the word of <paramref name="length"/> units at <paramref name="start"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong WordHash(ReadOnlySpan<char> text, int start, int length)
    {
        // NOTE: a word of up to eight units with eight units of text from its start is read as two lanes at once and
        // masked to its length; any other word is packed unit by unit.
        if (length <= 8 && start + 8 <= text.Length)
        {
            ref var at = ref Unsafe.As<char, byte>(ref Unsafe.Add(ref MemoryMarshal.GetReference(text), start));
            ref var mask = ref Unsafe.Add(ref MemoryMarshal.GetReference(LaneMasks), 2 * length);
            return Multiply((Unsafe.ReadUnaligned<ulong>(ref at) & mask) ^ FirstLane, (Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref at, 8)) & Unsafe.Add(ref mask, 1)) ^ SecondLane);
        }

        return PackedWordHash(text.Slice(start, length));
    }

    /// <summary>The word hash of <paramref name="word"/>, packed unit by unit: for long words and those at the end of the text.</summary>
    private static ulong PackedWordHash(ReadOnlySpan<char> word)
    {
        ulong hash = 0;
        var i = 0;
        for (; word.Length - i > 8; i += 8)
        {
            hash = Multiply(Lane(word.Slice(i, 4)) ^ FirstLane ^ hash, Lane(word.Slice(i + 4, 4)) ^ SecondLane);
        }

        var rest = word[i..];
        return Multiply(Lane(rest[..Math.Min(4, rest.Length)]) ^ FirstLane ^ hash, Lane(rest[Math.Min(4, rest.Length)..]) ^ SecondLane);

        static ulong Lane(ReadOnlySpan<char> units)
        {
            ulong lane = 0;
            for (var j = 0; j < units.Length; j++)
            {
                lane |= (ulong)units[j] << (16 * j);
            }

            return lane;
        }
    }

    /// <summary>For each word length 0–8, the masks of its units in the two lanes read.</summary>
    private static ReadOnlySpan<ulong> LaneMasks =>
    [
        0, 0, 0xFFFF, 0, 0xFFFF_FFFF, 0, 0xFFFF_FFFF_FFFF, 0, ulong.MaxValue, 0,
        ulong.MaxValue, 0xFFFF, ulong.MaxValue, 0xFFFF_FFFF, ulong.MaxValue, 0xFFFF_FFFF_FFFF, ulong.MaxValue, ulong.MaxValue,
    ];

    /// <summary>The high half XOR the low half of the 128-bit product: every bit of either factor reaches most bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Multiply(ulong a, ulong b)
    {
        var high = Math.BigMul(a, b, out var low);
        return high ^ low;
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
