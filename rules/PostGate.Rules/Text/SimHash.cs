using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
        // NOTE: the 64 per-bit counts live in eight vectors of eight lanes, kept in registers for the whole text.
        var votes = new Votes();
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
                votes.Add(Mix((previous * 31) + hash));
            }

            previous = hash;
            words++;
        }

        if (words < MinWords)
        {
            return 0;
        }

        // NOTE: votes count the ones per bit; a bit is set when more than half the pairs had it.
        Span<int> counts = stackalloc int[64];
        votes.CopyTo(counts);
        var pairs = words - 1;
        ulong result = 0;
        for (var bit = 0; bit < 64; bit++)
        {
            if (2 * counts[bit] > pairs)
            {
                result |= 1UL << bit;
            }
        }

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

    /// <summary>The per-bit counts, eight bits to a vector; a pair's bits are added a byte at a time from a table.</summary>
    private struct Votes
    {
        private Vector256<int> _b0, _b1, _b2, _b3, _b4, _b5, _b6, _b7;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(ulong pair)
        {
            var lanes = ByteLanes;
            _b0 += lanes[(int)(pair & 0xFF)];
            _b1 += lanes[(int)((pair >> 8) & 0xFF)];
            _b2 += lanes[(int)((pair >> 16) & 0xFF)];
            _b3 += lanes[(int)((pair >> 24) & 0xFF)];
            _b4 += lanes[(int)((pair >> 32) & 0xFF)];
            _b5 += lanes[(int)((pair >> 40) & 0xFF)];
            _b6 += lanes[(int)((pair >> 48) & 0xFF)];
            _b7 += lanes[(int)(pair >> 56)];
        }

        public readonly void CopyTo(Span<int> counts)
        {
            _b0.CopyTo(counts);
            _b1.CopyTo(counts[8..]);
            _b2.CopyTo(counts[16..]);
            _b3.CopyTo(counts[24..]);
            _b4.CopyTo(counts[32..]);
            _b5.CopyTo(counts[40..]);
            _b6.CopyTo(counts[48..]);
            _b7.CopyTo(counts[56..]);
        }
    }

    /// <summary>For each byte value, eight lanes holding its bits (lowest bit first).</summary>
    private static readonly Vector256<int>[] ByteLanes = BuildByteLanes();

    private static Vector256<int>[] BuildByteLanes()
    {
        var table = new Vector256<int>[256];
        Span<int> lanes = stackalloc int[8];
        for (var value = 0; value < 256; value++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                lanes[bit] = (value >> bit) & 1;
            }

            table[value] = Vector256.Create<int>(lanes);
        }

        return table;
    }

    /// <summary>SplitMix64 finalizer: spreads the bits of a combined hash.</summary>
    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
