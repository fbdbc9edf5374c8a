using System.Numerics;
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
        Span<int> votes = stackalloc int[64];
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
                Vote(votes, Mix((previous * 31) + hash));
            }

            previous = hash;
            words++;
        }

        if (words < MinWords)
        {
            return 0;
        }

        // NOTE: votes count the ones per bit; a bit is set when more than half the pairs had it.
        var pairs = words - 1;
        ulong result = 0;
        for (var bit = 0; bit < 64; bit++)
        {
            if (2 * votes[bit] > pairs)
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

    /// <summary>Adds one pair's bits to the per-bit counts, eight bits at a time from a table of lane vectors.</summary>
    private static void Vote(Span<int> votes, ulong pair)
    {
        for (var b = 0; b < 8; b++)
        {
            var lanes = Vector256.Create<int>(votes.Slice(b * 8, 8));
            (lanes + ByteLanes[(int)((pair >> (b * 8)) & 0xFF)]).CopyTo(votes.Slice(b * 8, 8));
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
