using System.Numerics;

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
                var pair = Mix(previous * 31 + hash);
                for (var bit = 0; bit < 64; bit++)
                {
                    votes[bit] += ((pair >> bit) & 1) != 0 ? 1 : -1;
                }
            }

            previous = hash;
            words++;
        }

        if (words < MinWords)
        {
            return 0;
        }

        ulong result = 0;
        for (var bit = 0; bit < 64; bit++)
        {
            if (votes[bit] > 0)
            {
                result |= 1UL << bit;
            }
        }

        return result == 0 ? 1 : result;
    }

    public static int Distance(ulong a, ulong b) => BitOperations.PopCount(a ^ b);

    /// <summary>SplitMix64 finalizer: spreads the bits of a combined hash.</summary>
    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
