using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PostGate.Rules.Text;

/// <summary>
/// The words of a text, found once for whatever reads them (the phrase matcher, the fingerprint): where each starts,
/// and its hash. A word is a run of letters and digits (<see cref="char.IsLetterOrDigit(char)"/>).
/// </summary>
/// <remarks>
/// A word's hash: its UTF-16 units taken eight at a time, four to a 64-bit lane (the first unit lowest), the last
/// eight padded with zeros; each eight folded into the hash by one 128-bit multiply (the high half XOR the low half)
/// of the two lanes, each XORed with a constant and the first also with the hash so far. Equal words hash alike in any
/// text, so a word can be looked up by its hash. <see cref="SimHash.Version"/> names this definition.
/// Each thread fills one instance, which holds the words of the text it was last filled for: read it before the
/// thread asks for another text's words.
/// </remarks>
internal sealed class TextWords
{
    // NOTE: each of the two lane constants holds a surrogate in one lane, which no letter or digit is, so no eight
    // units XOR one of them to zero.
    private const ulong FirstLane = 0xD8F1_3C6E_A54F_F53AUL;
    private const ulong SecondLane = 0xDB07_51E0_9B05_688CUL;

    /// <summary>The longest text whose buffers a thread keeps (64K characters); a longer one gets buffers of its own.</summary>
    private const int KeptLength = 1 << 16;

    [ThreadStatic]
    private static TextWords? t_words;

    private ulong[] _map = new ulong[64];

    /// <summary>The normalized text whose words these are, when filled by <see cref="For"/>.</summary>
    private NormalizedText? _owner;

    private TextWords()
    {
    }

    /// <summary>How many words the text has.</summary>
    public int Count { get; private set; }

    /// <summary>The length of the text, in UTF-16 units.</summary>
    public int TextLength { get; private set; }

    /// <summary>Where each word starts, for the first <see cref="Count"/>.</summary>
    public int[] Starts { get; private set; } = new int[128];

    /// <summary>Each word's hash.</summary>
    public ulong[] Hashes { get; private set; } = new ulong[128];

    /// <summary>The words of <paramref name="text"/>, in this thread's instance (or a new one for a very long text).</summary>
    public static TextWords Of(ReadOnlySpan<char> text)
    {
        var words = text.Length > KeptLength ? new TextWords() : t_words ??= new TextWords();
        words._owner = null;
        words.Fill(text);
        return words;
    }

    /// <summary>The words of <paramref name="text"/>: found once, then read again while this thread asks for no other text's.</summary>
    public static TextWords For(NormalizedText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Kept(text) is { } kept)
        {
            return kept;
        }

        var words = Of(text.Chars);
        words._owner = text.Length > KeptLength ? null : text;
        return words;
    }

    /// <summary>
    /// The words of <paramref name="text"/> if this thread found them last and has found no other text's since; they
    /// stay readable after the text's own buffers are given back.
    /// </summary>
    public static TextWords? Kept(NormalizedText text) => t_words is { } kept && ReferenceEquals(kept._owner, text) ? kept : null;

    /// <summary>The hash of <paramref name="word"/>, as <see cref="Hashes"/> holds it for a word of a text.</summary>
    public static ulong Hash(ReadOnlySpan<char> word)
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

    /// <summary>The high half XOR the low half of the 128-bit product: every bit of either factor reaches most bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Multiply(ulong a, ulong b)
    {
        var high = Math.BigMul(a, b, out var low);
        return high ^ low;
    }

    private void Fill(ReadOnlySpan<char> text)
    {
        // NOTE: the words are found from a bitmap of letters and digits, built a vector at a time: a bit that
        // differs from the one before it starts or ends a word, so the words come out of the bitmap's set bits without
        // a branch per character. A text of n units has at most n / 2 + 1 words.
        var blocks = (text.Length >> 6) + 1;
        if (_map.Length < blocks)
        {
            _map = new ulong[blocks];
        }

        var most = (text.Length / 2) + 1;
        if (Starts.Length < most)
        {
            Starts = new int[most];
            Hashes = new ulong[most];
        }

        var map = _map.AsSpan(0, blocks);
        map.Clear();
        MarkLettersAndDigits(text, map);
        TextLength = text.Length;
        Count = Split(text, map, Starts, Hashes);
    }

    /// <summary>Sets bit i of <paramref name="map"/> (64 to a block) where character i is a letter or digit; the map starts clear.</summary>
    private static void MarkLettersAndDigits(ReadOnlySpan<char> text, Span<ulong> map)
    {
        var k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; k + 64 <= text.Length; k += 64)
            {
                map[k >> 6] = ThirtyTwo(text, k) | ((ulong)ThirtyTwo(text, k + 32) << 32);
            }

            for (; k + 32 <= text.Length; k += 32)
            {
                map[k >> 6] |= (ulong)ThirtyTwo(text, k) << (k & 63);
            }

            // NOTE: the characters left are read by one more vector that ends with the text; the bits it sets again
            // are set alike.
            if (k < text.Length && text.Length >= 32)
            {
                var last = text.Length - 32;
                var bits = (ulong)ThirtyTwo(text, last);
                map[last >> 6] |= bits << (last & 63);
                if ((last & 63) > 32)
                {
                    map[(last >> 6) + 1] |= bits >> (64 - (last & 63));
                }

                k = text.Length;
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            // NOTE: a block of the map is put together in a register and stored once.
            for (; k + 64 <= text.Length; k += 64)
            {
                map[k >> 6] = Sixteen(text, k) | ((ulong)Sixteen(text, k + 16) << 16) | ((ulong)Sixteen(text, k + 32) << 32) | ((ulong)Sixteen(text, k + 48) << 48);
            }

            for (; k + 16 <= text.Length; k += 16)
            {
                map[k >> 6] |= (ulong)Sixteen(text, k) << (k & 63);
            }
        }

        for (; k < text.Length; k++)
        {
            map[k >> 6] |= char.IsLetterOrDigit(text[k]) ? 1UL << (k & 63) : 0;
        }
    }

    /// <summary>
    /// A bit for each of the thirty-two characters from <paramref name="k"/> that is a letter or digit
    /// (<see cref="char.IsLetterOrDigit(char)"/>); needs 512-bit vectors.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint ThirtyTwo(ReadOnlySpan<char> text, int k)
    {
        var units = Vector512.LoadUnsafe(ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text)), (nuint)k);
        var bits = (uint)AsciiVector.IsLetterOrDigit(units).ExtractMostSignificantBits();
        var beyond = (uint)Vector512.GreaterThan(units, Vector512.Create((ushort)0x7F)).ExtractMostSignificantBits();
        return beyond == 0 ? bits : LookUp(text, k, bits, beyond);
    }

    /// <summary>A bit for each of the sixteen characters from <paramref name="k"/> that is a letter or digit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Sixteen(ReadOnlySpan<char> text, int k)
    {
        ref var units = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
        var low = Vector128.LoadUnsafe(ref units, (nuint)k);
        var high = Vector128.LoadUnsafe(ref units, (nuint)(k + 8));

        // NOTE: narrowed to bytes, a unit beyond ASCII may pass for a letter; those positions are looked up.
        var bits = AsciiVector.IsLetterOrDigit(Vector128.Narrow(low, high)).ExtractMostSignificantBits();
        var ascii = Vector128.Create((ushort)0x7F);
        var beyond = Vector128.Narrow(Vector128.GreaterThan(low, ascii), Vector128.GreaterThan(high, ascii)).ExtractMostSignificantBits();
        return beyond == 0 ? bits : LookUp(text, k, bits, beyond);
    }

    /// <summary>
    /// <paramref name="bits"/> with the positions in <paramref name="beyond"/> (units beyond ASCII, which a vector may
    /// take for letters or not) set by looking each up.
    /// </summary>
    private static uint LookUp(ReadOnlySpan<char> text, int k, uint bits, uint beyond)
    {
        bits &= ~beyond;
        while (beyond != 0)
        {
            var j = BitOperations.TrailingZeroCount(beyond);
            beyond &= beyond - 1;
            bits |= char.IsLetterOrDigit(text[k + j]) ? 1u << j : 0;
        }

        return bits;
    }

    /// <summary>Writes each word's start and hash; <paramref name="map"/> ends with a clear block past the text.</summary>
    private static int Split(ReadOnlySpan<char> text, ReadOnlySpan<ulong> map, int[] starts, ulong[] hashes)
    {
        ref var startAt = ref MemoryMarshal.GetArrayDataReference(starts);
        ref var hashAt = ref MemoryMarshal.GetArrayDataReference(hashes);
        var count = 0;
        ulong before = 0;
        var start = -1;
        for (var b = 0; b < map.Length; b++)
        {
            // NOTE: the edges alternate: a word starts at one and ends at the next (the clear block past the text ends
            // the last), so they are taken two at a time; a word that runs on into the next block waits for its end.
            var bits = map[b];
            var edges = bits ^ ((bits << 1) | before);
            before = bits >> 63;
            var from = b << 6;
            if (start >= 0 && edges != 0)
            {
                var end = from + BitOperations.TrailingZeroCount(edges);
                edges &= edges - 1;
                Unsafe.Add(ref startAt, count) = start;
                Unsafe.Add(ref hashAt, count) = HashAt(text, start, end - start);
                count++;
                start = -1;
            }

            while (edges != 0)
            {
                var first = from + BitOperations.TrailingZeroCount(edges);
                edges &= edges - 1;
                if (edges == 0)
                {
                    start = first;
                    break;
                }

                var end = from + BitOperations.TrailingZeroCount(edges);
                edges &= edges - 1;
                Unsafe.Add(ref startAt, count) = first;
                Unsafe.Add(ref hashAt, count) = HashAt(text, first, end - first);
                count++;
            }
        }

        return count;
    }

    /// <summary>The hash of the word of <paramref name="length"/> units at <paramref name="start"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong HashAt(ReadOnlySpan<char> text, int start, int length)
    {
        // NOTE: a word of up to eight units with eight units of text from its start is read as two lanes at once and
        // masked to its length; any other word is packed unit by unit.
        if (length <= 8 && start + 8 <= text.Length)
        {
            ref var at = ref Unsafe.As<char, byte>(ref Unsafe.Add(ref MemoryMarshal.GetReference(text), start));
            ref var mask = ref Unsafe.Add(ref MemoryMarshal.GetReference(LaneMasks), 2 * length);
            return Multiply((Unsafe.ReadUnaligned<ulong>(ref at) & mask) ^ FirstLane, (Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref at, 8)) & Unsafe.Add(ref mask, 1)) ^ SecondLane);
        }

        return Hash(text.Slice(start, length));
    }

    /// <summary>For each word length 0–8, the masks of its units in the two lanes read.</summary>
    private static ReadOnlySpan<ulong> LaneMasks =>
    [
        0, 0, 0xFFFF, 0, 0xFFFF_FFFF, 0, 0xFFFF_FFFF_FFFF, 0, ulong.MaxValue, 0,
        ulong.MaxValue, 0xFFFF, ulong.MaxValue, 0xFFFF_FFFF, ulong.MaxValue, 0xFFFF_FFFF_FFFF, ulong.MaxValue, ulong.MaxValue,
    ];
}
