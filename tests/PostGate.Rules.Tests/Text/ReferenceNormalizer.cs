using System.Buffers;
using System.Globalization;
using System.Text;

using PostGate.Rules.Text;

namespace PostGate.Rules.Tests.Text;

/// <summary>
/// The normalizer as it was written first, three passes with an offset pair per character, kept as the reference the
/// faster one is checked against: the same text and, for every character, the same original start and end.
/// </summary>
internal static class ReferenceNormalizer
{
    private const string Separators = " .-_*·•";

    private static readonly SearchValues<char> SwapChars = SearchValues.Create("013457@$");

    public static (string Text, int[] Starts, int[] Ends) Normalize(string original)
    {
        var folded = new Buffer(original.Length * 2 + 2);
        var output = new Output(original.Length + 2);
        FoldRunes(original, ref folded);
        UndoDigitSwaps(folded.Chars);
        Compact(ref folded, ref output);
        return output.ToArrays();
    }
    private static void FoldRunes(string original, ref Buffer chars)
    {
        Span<char> buffer = stackalloc char[2];
        var i = 0;
        while (i < original.Length)
        {
            var c = original[i];
            if (c < 0x80)
            {
                chars.Add(c is >= 'A' and <= 'Z' ? (char)(c + 32) : c, i, i + 1);
                i++;
                continue;
            }

            if (Rune.DecodeFromUtf16(original.AsSpan(i), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                // NOTE: a lone surrogate is kept as a neutral symbol so offsets stay honest.
                chars.Add('\uFFFD', i, i + 1);
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
                chars.Add(char.ToLowerInvariant(ascii), i, i + consumed);
                i += consumed;
                continue;
            }

            // NOTE: with InvariantGlobalization string.Normalize is the identity, so the compatibility and mark
            // tables above and below do the folding; a rune they do not know passes through unchanged.
            var written = rune.EncodeToUtf16(buffer);
            for (var k = 0; k < written; k++)
            {
                var lower = char.ToLowerInvariant(Homoglyphs.CapitalToLatin(buffer[k]));
                var mapped = Homoglyphs.ToLatin(StripMark(lower));
                if (mapped == '\0')
                {
                    continue;
                }

                chars.Add(char.IsWhiteSpace(mapped) ? ' ' : mapped, i, i + consumed);
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

        return Compatibility.WithoutMark(c);
    }

    /// <summary>"fr3e", "0rder", "$ale": digits and symbols inside a word that has letters become letters.</summary>
    private static void UndoDigitSwaps(Span<char> chars)
    {
        var first = chars.IndexOfAny(SwapChars);
        if (first < 0)
        {
            return;
        }

        // NOTE: the words before the first swap character have nothing to undo; start at the word that holds it.
        var i = first;
        while (i > 0 && IsTokenChar(chars[i - 1]))
        {
            i--;
        }

        while (i < chars.Length)
        {
            if (!IsTokenChar(chars[i]))
            {
                i++;
                continue;
            }

            var start = i;
            var letters = 0;
            var swaps = 0;
            while (i < chars.Length && IsTokenChar(chars[i]))
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

    private static void Compact(ref Buffer folded, ref Output output)
    {
        ReadOnlySpan<char> chars = folded.Chars;
        var starts = folded.Starts;
        var ends = folded.Ends;
        var n = chars.Length;

        // NOTE: a local copy of the output lets the JIT keep its count and run in registers; it is written back below.
        var o = output;
        var i = 0;
        while (i < n)
        {
            var c = chars[i];

            // NOTE: inside a word (a letter or digit after another) no spaced-out letters and no separator can start,
            // so most characters go straight to the output.
            if (i > 0 && char.IsLetterOrDigit(c) && char.IsLetterOrDigit(chars[i - 1]))
            {
                do
                {
                    o.Append(chars[i], starts[i], ends[i]);
                    i++;
                }
                while (i < n && char.IsLetterOrDigit(chars[i]));

                continue;
            }

            var group = SpacedLetters(chars, i);
            if (group > 0)
            {
                for (var k = 0; k < group; k++)
                {
                    var at = i + (2 * k);
                    o.Append(chars[at], starts[at], ends[at]);
                }

                i += (2 * group) - 1;
                continue;
            }

            if (c is ' ' or '-' or '_' || char.IsWhiteSpace(c))
            {
                var runStart = i;
                while (i < n && (chars[i] is ' ' or '-' or '_' || char.IsWhiteSpace(chars[i])))
                {
                    i++;
                }

                if (o.Length > 0 && !o.EndsWithSpace)
                {
                    o.Append(' ', starts[runStart], ends[i - 1]);
                }

                continue;
            }

            o.Append(c, starts[i], ends[i]);
            i++;
        }

        output = o;
    }

    /// <summary>Counts single letters joined by one repeated separator ("b u y", "n-o-w"), three or more; else 0.</summary>
    private static int SpacedLetters(ReadOnlySpan<char> chars, int i)
    {
        if (!IsSingleLetterAt(chars, i))
        {
            return 0;
        }

        if (i + 2 >= chars.Length || !Separators.Contains(chars[i + 1], StringComparison.Ordinal))
        {
            return 0;
        }

        var separator = chars[i + 1];
        var count = 1;
        var at = i;
        while (at + 2 < chars.Length && chars[at + 1] == separator && IsSingleLetterAt(chars, at + 2))
        {
            count++;
            at += 2;
        }

        return count >= 3 ? count : 0;
    }

    private static bool IsSingleLetterAt(ReadOnlySpan<char> chars, int i) =>
        char.IsLetter(chars[i])
        && (i == 0 || !char.IsLetterOrDigit(chars[i - 1]))
        && (i + 1 == chars.Length || !char.IsLetterOrDigit(chars[i + 1]));

    /// <summary>Folded characters with their original offsets.</summary>
    private struct Buffer(int capacity)
    {
        private readonly char[] _chars = new char[capacity];
        private readonly int[] _starts = new int[capacity];
        private readonly int[] _ends = new int[capacity];
        private int _count;

        public readonly Span<char> Chars => _chars.AsSpan(0, _count);

        public readonly ReadOnlySpan<int> Starts => _starts.AsSpan(0, _count);

        public readonly ReadOnlySpan<int> Ends => _ends.AsSpan(0, _count);

        public void Add(char c, int start, int end)
        {
            _chars[_count] = c;
            _starts[_count] = start;
            _ends[_count] = end;
            _count++;
        }
    }

    /// <summary>Collects the result; a run of three or more of one letter ("nowwww") becomes one.</summary>
    private struct Output(int capacity)
    {
        private char[] _chars = new char[capacity];
        private int[] _starts = new int[capacity];
        private int[] _ends = new int[capacity];
        private int _count;
        private char _runChar;
        private int _runCount;

        public readonly int Length => _count;

        public readonly bool EndsWithSpace => _count > 0 && _chars[_count - 1] == ' ';

        public void Append(char c, int start, int end)
        {
            var letter = char.IsLetter(c);
            if (letter && c == _runChar)
            {
                _runCount++;
            }
            else
            {
                _runChar = letter ? c : '\0';
                _runCount = 1;
            }

            if (_runCount == 3)
            {
                _count--;
                _ends[_count - 1] = end;
                return;
            }

            if (_runCount > 3)
            {
                _ends[_count - 1] = end;
                return;
            }

            if (_count == _chars.Length)
            {
                Array.Resize(ref _chars, _count * 2);
                Array.Resize(ref _starts, _count * 2);
                Array.Resize(ref _ends, _count * 2);
            }

            _chars[_count] = c;
            _starts[_count] = start;
            _ends[_count] = end;
            _count++;
        }

        public readonly (string Text, int[] Starts, int[] Ends) ToArrays() =>
            (new string(_chars, 0, _count), _starts.AsSpan(0, _count).ToArray(), _ends.AsSpan(0, _count).ToArray());
    }
}
