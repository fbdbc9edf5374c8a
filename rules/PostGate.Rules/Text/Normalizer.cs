using System.Globalization;
using System.Text;

namespace PostGate.Rules.Text;

/// <summary>
/// Folds a post into a form where evasions look like the plain words: NFKC, case folding,
/// format characters dropped, look-alike letters mapped to Latin, digit-for-letter swaps undone,
/// spaced-out letters rejoined ("B U Y  N-O-W"), stretched letters squeezed ("nowwww").
/// </summary>
public static class Normalizer
{
    private const string Separators = " .-_*·•";

    public static NormalizedText Normalize(string original)
    {
        ArgumentNullException.ThrowIfNull(original);
        var chars = new List<char>(original.Length);
        var starts = new List<int>(original.Length);
        var ends = new List<int>(original.Length);
        FoldRunes(original, chars, starts, ends);
        UndoDigitSwaps(chars);
        return Compact(original, chars, starts, ends);
    }

    /// <summary>Folds a phrase from a policy the same way a post is folded.</summary>
    public static string NormalizePhrase(string phrase) => Normalize(phrase).Text.Trim();

    private static void FoldRunes(string original, List<char> chars, List<int> starts, List<int> ends)
    {
        Span<char> buffer = stackalloc char[2];
        var i = 0;
        while (i < original.Length)
        {
            var c = original[i];
            if (c < 0x80)
            {
                Emit(chars, starts, ends, char.ToLowerInvariant(c), i, i + 1);
                i++;
                continue;
            }

            if (Rune.DecodeFromUtf16(original.AsSpan(i), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                // NOTE: a lone surrogate is kept as a neutral symbol so offsets stay honest.
                Emit(chars, starts, ends, '\uFFFD', i, i + 1);
                i++;
                continue;
            }

            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Control)
            {
                i += consumed;
                continue;
            }

            var ascii = Compatibility.ToAscii(rune);
            if (ascii != '\0')
            {
                Emit(chars, starts, ends, char.ToLowerInvariant(ascii), i, i + consumed);
                i += consumed;
                continue;
            }

            var written = rune.EncodeToUtf16(buffer);
            var folded = new string(buffer[..written]).Normalize(NormalizationForm.FormKC);
            foreach (var f in folded)
            {
                var lower = char.ToLowerInvariant(Homoglyphs.CapitalToLatin(f));
                var mapped = Homoglyphs.ToLatin(StripMark(lower));
                if (mapped == '\0')
                {
                    continue;
                }

                Emit(chars, starts, ends, char.IsWhiteSpace(mapped) ? ' ' : mapped, i, i + consumed);
            }

            i += consumed;
        }
    }

    private static char StripMark(char c)
    {
        // NOTE: half a surrogate pair is not a string Normalize accepts; with ICU data it would throw.
        if (c < 0xC0 || char.IsSurrogate(c))
        {
            return c;
        }

        var plain = Compatibility.WithoutMark(c);
        if (plain != c)
        {
            return plain;
        }

        var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
        return decomposed.Length > 0 ? decomposed[0] : c;
    }

    /// <summary>"fr3e", "0rder", "$ale": digits and symbols inside a word that has letters become letters.</summary>
    private static void UndoDigitSwaps(List<char> chars)
    {
        var i = 0;
        while (i < chars.Count)
        {
            if (!IsTokenChar(chars[i]))
            {
                i++;
                continue;
            }

            var start = i;
            var letters = 0;
            var swaps = 0;
            while (i < chars.Count && IsTokenChar(chars[i]))
            {
                if (char.IsLetter(chars[i]))
                {
                    letters++;
                }
                else if (SwapFor(chars[i]) != '\0')
                {
                    swaps++;
                }

                i++;
            }

            // NOTE: only words that mix letters with swaps change, so "50", "2026" and "$20" stay numbers,
            // and a leading '@' stays a mention.
            if (letters == 0 || swaps == 0 || letters < swaps)
            {
                continue;
            }

            for (var j = start; j < i; j++)
            {
                if (chars[j] == '@' && j == start)
                {
                    continue;
                }

                var swap = SwapFor(chars[j]);
                if (swap != '\0')
                {
                    chars[j] = swap;
                }
            }
        }
    }

    private static bool IsTokenChar(char c) => char.IsLetterOrDigit(c) || c is '@' or '$';

    private static char SwapFor(char c) => c switch
    {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        '@' => 'a',
        '$' => 's',
        _ => '\0',
    };

    private static NormalizedText Compact(string original, List<char> chars, List<int> starts, List<int> ends)
    {
        var output = new Output(chars.Count);
        var n = chars.Count;
        var i = 0;
        while (i < n)
        {
            var c = chars[i];
            var group = SpacedLetters(chars, i);
            if (group > 0)
            {
                for (var k = 0; k < group; k++)
                {
                    var at = i + (2 * k);
                    output.Append(chars[at], starts[at], ends[at]);
                }

                i += (2 * group) - 1;
                continue;
            }

            if (char.IsWhiteSpace(c) || c is '-' or '_')
            {
                var runStart = i;
                while (i < n && (char.IsWhiteSpace(chars[i]) || chars[i] is '-' or '_'))
                {
                    i++;
                }

                if (output.Length > 0 && !output.EndsWithSpace)
                {
                    output.Append(' ', starts[runStart], ends[i - 1]);
                }

                continue;
            }

            output.Append(c, starts[i], ends[i]);
            i++;
        }

        return output.ToNormalizedText(original);
    }

    /// <summary>Counts single letters joined by one repeated separator ("b u y", "n-o-w"), three or more; else 0.</summary>
    private static int SpacedLetters(List<char> chars, int i)
    {
        if (!IsSingleLetterAt(chars, i))
        {
            return 0;
        }

        if (i + 2 >= chars.Count || !Separators.Contains(chars[i + 1], StringComparison.Ordinal))
        {
            return 0;
        }

        var separator = chars[i + 1];
        var count = 1;
        var at = i;
        while (at + 2 < chars.Count && chars[at + 1] == separator && IsSingleLetterAt(chars, at + 2))
        {
            count++;
            at += 2;
        }

        return count >= 3 ? count : 0;
    }

    private static bool IsSingleLetterAt(List<char> chars, int i) =>
        char.IsLetter(chars[i])
        && (i == 0 || !char.IsLetterOrDigit(chars[i - 1]))
        && (i + 1 == chars.Count || !char.IsLetterOrDigit(chars[i + 1]));

    /// <summary>Collects folded characters; a run of three or more of one letter ("nowwww") becomes one.</summary>
    private sealed class Output(int capacity)
    {
        private readonly StringBuilder _chars = new(capacity);
        private readonly List<int> _starts = new(capacity);
        private readonly List<int> _ends = new(capacity);
        private char _runChar;
        private int _runCount;

        public int Length => _chars.Length;

        public bool EndsWithSpace => _chars.Length > 0 && _chars[^1] == ' ';

        public void Append(char c, int start, int end)
        {
            if (char.IsLetter(c) && c == _runChar)
            {
                _runCount++;
            }
            else
            {
                _runChar = char.IsLetter(c) ? c : '\0';
                _runCount = 1;
            }

            if (_runCount == 3)
            {
                // NOTE: the second letter of the run is folded into the first. Phrases are matched in
                // their own form and with doubled letters squeezed, so "nowwww" meets "now" and "freeee" meets "free".
                _chars.Length--;
                _starts.RemoveAt(_starts.Count - 1);
                _ends.RemoveAt(_ends.Count - 1);
                _ends[^1] = end;
                return;
            }

            if (_runCount > 3)
            {
                _ends[^1] = end;
                return;
            }

            _chars.Append(c);
            _starts.Add(start);
            _ends.Add(end);
        }

        public NormalizedText ToNormalizedText(string original) =>
            new(original, _chars.ToString(), [.. _starts], [.. _ends]);
    }

    private static void Emit(List<char> chars, List<int> starts, List<int> ends, char c, int start, int end)
    {
        chars.Add(c);
        starts.Add(start);
        ends.Add(end);
    }
}
