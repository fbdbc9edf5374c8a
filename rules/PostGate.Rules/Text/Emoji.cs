namespace PostGate.Rules.Text;

/// <summary>
/// Emoji sequences as X counts them (one emoji weighs 2 however many code points it takes): keycaps, flags, tag
/// sequences, skin tones, presentation selectors and zero-width-joiner sequences (UTS #51).
/// </summary>
// NOTE: twitter-text 3 finds emoji with twemoji-parser's regular expression, a list frozen at one Unicode version. This
// follows the UTS #51 grammar over Extended_Pictographic instead, so emoji newer than that list ("❤️‍🔥", "🫠") count
// as one, as X counts them today. twemoji's rules for the variation selectors stay: U+FE0F belongs to the emoji before
// it only where Unicode defines that variation ("©" and "®" are emoji only with it), and U+FE0E makes text.
internal static class Emoji
{
    private const char Zwj = '\u200D', Vs16 = '\uFE0F', Vs15 = '\uFE0E', Keycap = '\u20E3';
    private const int MaxZwjElements = 4;

    // Extended_Pictographic (emoji-data.txt, Unicode 15), as inclusive ranges.
    private static readonly int[] Pictographic =
    [
        0x00A9, 0x00A9, 0x00AE, 0x00AE, 0x203C, 0x203C, 0x2049, 0x2049, 0x2122, 0x2122, 0x2139, 0x2139,
        0x2194, 0x2199, 0x21A9, 0x21AA, 0x231A, 0x231B, 0x2328, 0x2328, 0x2388, 0x2388, 0x23CF, 0x23CF,
        0x23E9, 0x23F3, 0x23F8, 0x23FA, 0x24C2, 0x24C2, 0x25AA, 0x25AB, 0x25B6, 0x25B6, 0x25C0, 0x25C0,
        0x25FB, 0x25FE, 0x2600, 0x2605, 0x2607, 0x2612, 0x2614, 0x2685, 0x2690, 0x2705, 0x2708, 0x2712,
        0x2714, 0x2714, 0x2716, 0x2716, 0x271D, 0x271D, 0x2721, 0x2721, 0x2728, 0x2728, 0x2733, 0x2734,
        0x2744, 0x2744, 0x2747, 0x2747, 0x274C, 0x274C, 0x274E, 0x274E, 0x2753, 0x2755, 0x2757, 0x2757,
        0x2763, 0x2767, 0x2795, 0x2797, 0x27A1, 0x27A1, 0x27B0, 0x27B0, 0x27BF, 0x27BF, 0x2934, 0x2935,
        0x2B05, 0x2B07, 0x2B1B, 0x2B1C, 0x2B50, 0x2B50, 0x2B55, 0x2B55, 0x3030, 0x3030, 0x303D, 0x303D,
        0x3297, 0x3297, 0x3299, 0x3299,
        0x1F000, 0x1F0FF, 0x1F10D, 0x1F10F, 0x1F12F, 0x1F12F, 0x1F16C, 0x1F171, 0x1F17E, 0x1F17F,
        0x1F18E, 0x1F18E, 0x1F191, 0x1F19A, 0x1F1AD, 0x1F1E5, 0x1F201, 0x1F20F, 0x1F21A, 0x1F21A,
        0x1F22F, 0x1F22F, 0x1F232, 0x1F23A, 0x1F23C, 0x1F23F, 0x1F249, 0x1F3FA, 0x1F400, 0x1F53D,
        0x1F546, 0x1F64F, 0x1F680, 0x1F6FF, 0x1F774, 0x1F77F, 0x1F7D5, 0x1F7FF, 0x1F80C, 0x1F80F,
        0x1F848, 0x1F84F, 0x1F85A, 0x1F85F, 0x1F888, 0x1F88F, 0x1F8AE, 0x1F8FF, 0x1F90C, 0x1F93A,
        0x1F93C, 0x1F945, 0x1F947, 0x1FAFF, 0x1FC00, 0x1FFFD,
    ];

    // Emoji_Modifier_Base (emoji-data.txt, Unicode 15): the emoji a skin tone attaches to.
    private static readonly int[] ModifierBase =
    [
        0x261D, 0x261D, 0x26F9, 0x26F9, 0x270A, 0x270D, 0x1F385, 0x1F385, 0x1F3C2, 0x1F3C4, 0x1F3C7, 0x1F3C7,
        0x1F3CA, 0x1F3CC, 0x1F442, 0x1F443, 0x1F446, 0x1F450, 0x1F466, 0x1F478, 0x1F47C, 0x1F47C,
        0x1F481, 0x1F483, 0x1F485, 0x1F487, 0x1F48F, 0x1F48F, 0x1F491, 0x1F491, 0x1F4AA, 0x1F4AA,
        0x1F574, 0x1F575, 0x1F57A, 0x1F57A, 0x1F590, 0x1F590, 0x1F595, 0x1F596, 0x1F645, 0x1F647,
        0x1F64B, 0x1F64F, 0x1F6A3, 0x1F6A3, 0x1F6B4, 0x1F6B6, 0x1F6C0, 0x1F6C0, 0x1F6CC, 0x1F6CC,
        0x1F90C, 0x1F90C, 0x1F90F, 0x1F90F, 0x1F918, 0x1F91F, 0x1F926, 0x1F926, 0x1F930, 0x1F939,
        0x1F93C, 0x1F93E, 0x1F977, 0x1F977, 0x1F9B5, 0x1F9B6, 0x1F9B8, 0x1F9B9, 0x1F9BB, 0x1F9BB,
        0x1F9CD, 0x1F9CF, 0x1F9D1, 0x1F9DD, 0x1FAC3, 0x1FAC5, 0x1FAF0, 0x1FAF8,
    ];

    // Characters U+FE0F attaches to (twemoji-parser's list, which follows emoji-variation-sequences.txt). After other
    // emoji a U+FE0F is an emoji of its own, as twitter-text counts it ("😀" + U+FE0F weighs 4).
    private static readonly int[] VariationBase =
    [
        0x00A9, 0x00A9, 0x00AE, 0x00AE, 0x203C, 0x203C, 0x2049, 0x2049, 0x2122, 0x2122, 0x2139, 0x2139,
        0x2194, 0x2199, 0x21A9, 0x21AA, 0x231A, 0x231B, 0x2328, 0x2328, 0x23CF, 0x23CF, 0x23ED, 0x23EF,
        0x23F1, 0x23F2, 0x23F8, 0x23FA, 0x24C2, 0x24C2, 0x25AA, 0x25AB, 0x25B6, 0x25B6, 0x25C0, 0x25C0,
        0x25FB, 0x25FE, 0x2600, 0x2604, 0x260E, 0x260E, 0x2611, 0x2611, 0x2614, 0x2615, 0x2618, 0x2618,
        0x261D, 0x261D, 0x2620, 0x2620, 0x2622, 0x2623, 0x2626, 0x2626, 0x262A, 0x262A, 0x262E, 0x262F,
        0x2638, 0x263A, 0x2640, 0x2640, 0x2642, 0x2642, 0x2648, 0x2653, 0x265F, 0x2660, 0x2663, 0x2663,
        0x2665, 0x2666, 0x2668, 0x2668, 0x267B, 0x267B, 0x267F, 0x267F, 0x2692, 0x2697, 0x2699, 0x2699,
        0x269B, 0x269C, 0x26A0, 0x26A1, 0x26AA, 0x26AB, 0x26B0, 0x26B1, 0x26BD, 0x26BE, 0x26C4, 0x26C5,
        0x26C8, 0x26C8, 0x26CF, 0x26CF, 0x26D1, 0x26D1, 0x26D3, 0x26D4, 0x26E9, 0x26EA, 0x26F0, 0x26F5,
        0x26F7, 0x26FA, 0x26FD, 0x26FD, 0x2702, 0x2702, 0x2708, 0x2709, 0x270C, 0x270D, 0x270F, 0x270F,
        0x2712, 0x2712, 0x2714, 0x2714, 0x2716, 0x2716, 0x271D, 0x271D, 0x2721, 0x2721, 0x2733, 0x2734,
        0x2744, 0x2744, 0x2747, 0x2747, 0x2757, 0x2757, 0x2763, 0x2764, 0x27A1, 0x27A1, 0x2934, 0x2935,
        0x2B05, 0x2B07, 0x2B1B, 0x2B1C, 0x2B50, 0x2B50, 0x2B55, 0x2B55, 0x3030, 0x3030, 0x303D, 0x303D,
        0x3297, 0x3297, 0x3299, 0x3299,
        0x1F004, 0x1F004, 0x1F170, 0x1F171, 0x1F17E, 0x1F17F, 0x1F202, 0x1F202, 0x1F21A, 0x1F21A,
        0x1F22F, 0x1F22F, 0x1F237, 0x1F237, 0x1F321, 0x1F321, 0x1F324, 0x1F32C, 0x1F336, 0x1F336,
        0x1F37D, 0x1F37D, 0x1F396, 0x1F397, 0x1F399, 0x1F39B, 0x1F39E, 0x1F39F, 0x1F3CB, 0x1F3CE,
        0x1F3D4, 0x1F3DF, 0x1F3F3, 0x1F3F3, 0x1F3F5, 0x1F3F5, 0x1F3F7, 0x1F3F7, 0x1F43F, 0x1F43F,
        0x1F441, 0x1F441, 0x1F4FD, 0x1F4FD, 0x1F549, 0x1F54A, 0x1F56F, 0x1F570, 0x1F573, 0x1F579,
        0x1F587, 0x1F587, 0x1F58A, 0x1F58D, 0x1F590, 0x1F590, 0x1F5A5, 0x1F5A5, 0x1F5A8, 0x1F5A8,
        0x1F5B1, 0x1F5B2, 0x1F5BC, 0x1F5BC, 0x1F5C2, 0x1F5C4, 0x1F5D1, 0x1F5D3, 0x1F5DC, 0x1F5DE,
        0x1F5E1, 0x1F5E1, 0x1F5E3, 0x1F5E3, 0x1F5E8, 0x1F5E8, 0x1F5EF, 0x1F5EF, 0x1F5F3, 0x1F5F3,
        0x1F5FA, 0x1F5FA, 0x1F6CB, 0x1F6CB, 0x1F6CD, 0x1F6CF, 0x1F6E0, 0x1F6E5, 0x1F6E9, 0x1F6E9,
        0x1F6F0, 0x1F6F0, 0x1F6F3, 0x1F6F3,
    ];

    /// <summary>The length in UTF-16 units of the emoji that starts at <paramref name="i"/>, or 0 when none does.</summary>
    public static int LengthAt(ReadOnlySpan<char> s, int i)
    {
        var c = s[i];
        if (c < 0xA9)
        {
            if (c is '#' or '*' or (>= '0' and <= '9'))
            {
                var j = i + 1;
                if (j < s.Length && s[j] == Vs16)
                {
                    j++;
                }

                return j < s.Length && s[j] == Keycap ? j + 1 - i : 0;
            }

            return 0;
        }

        if (c == Vs16)
        {
            return 1;
        }

        var cp = CodePointAt(s, i, out var width);
        if (cp is >= 0x1F1E6 and <= 0x1F1FF)
        {
            // A pair of regional indicators is a flag; a single one is an emoji of its own.
            return i + width + 1 < s.Length && CodePointAt(s, i + width, out var secondWidth) is >= 0x1F1E6 and <= 0x1F1FF
                ? width + secondWidth
                : width;
        }

        if (cp is >= 0x1F3FB and <= 0x1F3FF)
        {
            return width;
        }

        if (!IsPictographic(cp))
        {
            return 0;
        }

        var end = Element(s, i, cp, width);
        if (end < 0)
        {
            return 0;
        }

        // NOTE: no recommended ZWJ sequence joins more than four emoji (a family of four, a kiss); a longer chain is
        // several emoji to X, and counting it as one would let a post through that X refuses.
        for (var elements = 1; elements < MaxZwjElements && end + 1 < s.Length && s[end] == Zwj; elements++)
        {
            var next = CodePointAt(s, end + 1, out var nextWidth);
            if (!IsPictographic(next))
            {
                break;
            }

            var after = Element(s, end + 1, next, nextWidth);
            if (after < 0)
            {
                break;
            }

            end = after;
        }

        return end - i;
    }

    /// <summary>One emoji with what attaches to it (U+FE0F, a skin tone, tags); its end, or -1 when it is text.</summary>
    private static int Element(ReadOnlySpan<char> s, int i, int cp, int width)
    {
        var j = i + width;
        if (j < s.Length && s[j] == Vs15)
        {
            return -1;
        }

        if (j < s.Length && s[j] == Vs16 && IsIn(VariationBase, cp))
        {
            j++;
        }
        else if (cp is 0xA9 or 0xAE)
        {
            return -1;
        }

        if (j + 1 < s.Length && IsIn(ModifierBase, cp) && CodePointAt(s, j, out var toneWidth) is >= 0x1F3FB and <= 0x1F3FF)
        {
            return j + toneWidth;
        }

        if (cp == 0x1F3F4)
        {
            // A subdivision flag: tag characters U+E0020..U+E007E, then CANCEL TAG U+E007F.
            var k = j;
            while (k + 1 < s.Length && CodePointAt(s, k, out var tagWidth) is >= 0xE0020 and <= 0xE007E)
            {
                k += tagWidth;
            }

            if (k > j && k + 1 < s.Length && CodePointAt(s, k, out var cancelWidth) == 0xE007F)
            {
                return k + cancelWidth;
            }
        }

        return j;
    }

    private static int CodePointAt(ReadOnlySpan<char> s, int i, out int width)
    {
        var c = s[i];
        if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            width = 2;
            return char.ConvertToUtf32(c, s[i + 1]);
        }

        width = 1;
        return c;
    }

    private static bool IsPictographic(int cp) => cp >= 0xA9 && IsIn(Pictographic, cp);

    private static bool IsIn(int[] ranges, int cp)
    {
        // Binary search over [start, end] pairs.
        int low = 0, high = (ranges.Length / 2) - 1;
        while (low <= high)
        {
            var mid = (low + high) >> 1;
            if (cp < ranges[mid * 2])
            {
                high = mid - 1;
            }
            else if (cp > ranges[(mid * 2) + 1])
            {
                low = mid + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }
}
