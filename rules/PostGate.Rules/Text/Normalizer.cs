using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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

    /// <summary>The characters <see cref="SwapFor"/> turns into letters; a text without any has no swaps to undo.</summary>
    private static readonly SearchValues<char> SwapChars = SearchValues.Create("013457@$");

    public static NormalizedText Normalize(string original) => Normalize(original, pooled: false, asciiRuns: true);

    /// <summary>
    /// Folds <paramref name="original"/>. A <paramref name="pooled"/> result lives in rented buffers and must be
    /// released (<see cref="NormalizedText.Release"/>); <paramref name="asciiRuns"/> folds runs of ASCII in bulk
    /// instead of one character at a time (the same result, tested against each other).
    /// </summary>
    internal static NormalizedText Normalize(string original, bool pooled, bool asciiRuns)
    {
        ArgumentNullException.ThrowIfNull(original);

        // NOTE: one fold can emit at most two UTF-16 units per input unit, so twice the length always suffices;
        // the work buffers are pooled, and so is the result when the caller gives it back.
        var folded = new Buffer(original.Length * 2 + 2);
        var output = new Output(original.Length + 2);
        try
        {
            FoldRunes(original, ref folded, asciiRuns);
            UndoDigitSwaps(folded.Chars);
            Compact(ref folded, ref output);
            return pooled ? output.Detach(original) : output.ToNormalizedText(original);
        }
        finally
        {
            folded.Return();
            output.Return();
        }
    }

    /// <summary>Folds a phrase from a policy the same way a post is folded.</summary>
    public static string NormalizePhrase(string phrase) => Normalize(phrase).Text.Trim();

    private static void FoldRunes(string original, ref Buffer chars, bool asciiRuns)
    {
        Span<char> buffer = stackalloc char[2];
        var i = 0;
        while (i < original.Length)
        {
            var c = original[i];
            if (c < 0x80 && asciiRuns)
            {
                // NOTE: most posts are mostly ASCII; a run of it only needs its capitals lowered, which Ascii.ToLower
                // does a vector at a time. The first non-ASCII character goes the long way below.
                var run = original.AsSpan(i).IndexOfAnyExceptInRange('\0', '\u007F');
                if (run < 0)
                {
                    run = original.Length - i;
                }

                chars.AddAscii(original.AsSpan(i, run), i);
                i += run;
                continue;
            }

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
        // NOTE: a word without a swap character has nothing to undo, so only the words that hold one are looked at:
        // a vectorized search finds the next swap character, and its word is read from its start to its end.
        var from = 0;
        while (from < chars.Length)
        {
            var found = chars[from..].IndexOfAny(SwapChars);
            if (found < 0)
            {
                return;
            }

            var start = from + found;
            while (start > from && IsTokenChar(chars[start - 1]))
            {
                start--;
            }

            from = UndoSwapsInWord(chars, start);
        }
    }

    /// <summary>
    /// Undoes the swaps of the word that starts at <paramref name="start"/> and returns where it ends (every swap
    /// character is a word character, so the word is never empty).
    /// </summary>
    private static int UndoSwapsInWord(Span<char> chars, int start)
    {
        var i = start;
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
            return i;
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

        return i;
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
        var map = new OffsetMap.Cursor(folded.Map.Pieces, folded.Map.PieceCount);
        var n = chars.Length;

        // NOTE: a local copy of the output lets the JIT keep its count and run in registers; it is written back below.
        var o = output;
        var i = 0;
        while (i < n)
        {
            var c = chars[i];

            // NOTE: the usual case first: a stretch of ASCII that the steps below would copy as it is (words, single
            // spaces, punctuation) goes to the output in one copy, and its offsets as one piece. A letter that carries
            // on the output's last run goes the long way, as does whatever ends a stretch (see PlainEnd).
            if (c is > ' ' and < (char)0x80 and not '-' and not '_' && c != o.RunChar)
            {
                var end = map.LinearEnd(i, PlainEnd(chars, i));
                if (end > i)
                {
                    o.AppendRun(chars[i..end], map.Start(i));
                    i = end;
                    continue;
                }
            }

            if (c == ' ')
            {
                if (o.Length > 0 && !o.EndsWithSpace && (i + 1 == n || !IsSpace(chars[i + 1])))
                {
                    // NOTE: a single space between words stays as it is.
                    o.AppendOther(' ', map.Start(i), map.End(i));
                    i++;
                    continue;
                }
            }
            else if (c < 128 && !IsSpace(c) && !char.IsAsciiLetterOrDigit(c))
            {
                // NOTE: ASCII punctuation and symbols are neither words, nor spaced-out letters, nor separators to
                // collapse: they go to the output as they are.
                o.AppendOther(c, map.Start(i), map.End(i));
                i++;
                continue;
            }

            // NOTE: inside a word (a letter or digit after another) no spaced-out letters and no separator can start,
            // so most characters go straight to the output.
            if (i > 0 && char.IsLetterOrDigit(c) && char.IsLetterOrDigit(chars[i - 1]))
            {
                do
                {
                    o.Append(chars[i], map.Start(i), map.End(i));
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
                    o.Append(chars[at], map.Start(at), map.End(at));
                }

                i += (2 * group) - 1;
                continue;
            }

            if (IsSpace(c))
            {
                var runStart = i;
                while (i < n && IsSpace(chars[i]))
                {
                    i++;
                }

                if (o.Length > 0 && !o.EndsWithSpace)
                {
                    var start = map.Start(runStart);
                    o.Append(' ', start, map.End(i - 1));
                }

                continue;
            }

            o.Append(c, map.Start(i), map.End(i));
            i++;
        }

        output = o;
    }

    /// <summary>
    /// The end of the stretch from <paramref name="i"/> (an ASCII character that is neither a space nor a control
    /// character, '-' or '_') that compacts to itself: no position in it <see cref="IsStopAt"/>, and a space at its
    /// end only when what follows is no space. <paramref name="i"/> itself when it is such a position.
    /// </summary>
    private static int PlainEnd(ReadOnlySpan<char> chars, int i)
    {
        var end = FirstStop(chars, i);
        if (end > i && chars[end - 1] == ' ' && end < chars.Length && IsSpace(chars[end]))
        {
            // NOTE: a space before a space is a stop, so a stretch ends with one space at most; one followed by '-',
            // '_' or other whitespace collapses with it and goes the long way.
            end--;
        }

        return end;
    }

    /// <summary>The first position from <paramref name="i"/> on where <see cref="IsStopAt"/> holds, or the length.</summary>
    internal static int FirstStop(ReadOnlySpan<char> chars, int i)
    {
        var n = chars.Length;
        var k = i;
        if (k == 0 && n > 0)
        {
            if (IsStopAt(chars, 0))
            {
                return 0;
            }

            k = 1;
        }

        // NOTE: each position is checked against the one before it and the three after it, so vectors run while all
        // of those lie inside the text, thirty-two positions at a time where 512-bit vectors run well (the last such
        // vector overlapping the one before), else sixteen and eight; the last few positions are checked one at a time.
        if (Vector128.IsHardwareAccelerated)
        {
            ref var at = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(chars));
            if (Vector512.IsHardwareAccelerated)
            {
                for (; k + 3 + Vector512<ushort>.Count <= n; k += Vector512<ushort>.Count)
                {
                    var stops32 = StopsAt32(ref at, k).ExtractMostSignificantBits();
                    if (stops32 != 0)
                    {
                        return k + BitOperations.TrailingZeroCount(stops32);
                    }
                }

                // NOTE: the positions left before the last three are checked by one more vector that ends there; the
                // positions it checks again are dropped from its bits.
                var last = n - 3 - Vector512<ushort>.Count;
                if (last >= 1 && k < n - 3)
                {
                    var rest = StopsAt32(ref at, last).ExtractMostSignificantBits() >> (k - last);
                    if (rest != 0)
                    {
                        return k + BitOperations.TrailingZeroCount(rest);
                    }

                    k = n - 3;
                }
            }

            for (; k + 3 + (2 * Vector128<ushort>.Count) <= n; k += 2 * Vector128<ushort>.Count)
            {
                var stops16 = StopsAt16(ref at, k);
                if (stops16 != 0)
                {
                    return k + BitOperations.TrailingZeroCount(stops16);
                }
            }

            for (; k + 3 + Vector128<ushort>.Count <= n; k += Vector128<ushort>.Count)
            {
                var stops = StopsAt(ref at, k);
                if (stops != Vector128<ushort>.Zero)
                {
                    return k + BitOperations.TrailingZeroCount(stops.ExtractMostSignificantBits());
                }
            }
        }

        for (; k < n; k++)
        {
            if (IsStopAt(chars, k))
            {
                return k;
            }
        }

        return n;
    }

    /// <summary><see cref="IsStopAt"/> for the positions <paramref name="k"/> to <paramref name="k"/> + 7 at once (all bits of a lane set where it holds).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ushort> StopsAt(ref ushort at, int k)
    {
        var before = Vector128.LoadUnsafe(ref at, (nuint)(k - 1));
        var here = Vector128.LoadUnsafe(ref at, (nuint)k);
        var next = Vector128.LoadUnsafe(ref at, (nuint)(k + 1));
        var second = Vector128.LoadUnsafe(ref at, (nuint)(k + 2));
        var third = Vector128.LoadUnsafe(ref at, (nuint)(k + 3));
        var space = Vector128.Create((ushort)' ');
        var letter = AsciiVector.IsLetter(here);

        // NOTE: below ' ' or beyond ASCII in one unsigned compare; then '-' and '_', two spaces, a letter three times.
        var stops = Vector128.GreaterThanOrEqual(here - space, Vector128.Create((ushort)0x60))
            | Vector128.Equals(here, Vector128.Create((ushort)'-'))
            | Vector128.Equals(here, Vector128.Create((ushort)'_'))
            | (Vector128.Equals(here, space) & Vector128.Equals(next, space))
            | (letter & Vector128.Equals(here, next) & Vector128.Equals(next, second));

        // NOTE: a letter alone, a separator, and a letter alone again: where spaced-out letters could start.
        var beyond = Vector128.Create((ushort)0x7F);
        var separator = Vector128.Equals(next, space)
            | Vector128.Equals(next, Vector128.Create((ushort)'.'))
            | Vector128.Equals(next, Vector128.Create((ushort)'-'))
            | Vector128.Equals(next, Vector128.Create((ushort)'_'))
            | Vector128.Equals(next, Vector128.Create((ushort)'*'))
            | Vector128.GreaterThan(next, beyond);
        var spaced = letter
            & ~AsciiVector.IsLetterOrDigit(before)
            & separator
            & (AsciiVector.IsLetter(second) | Vector128.GreaterThan(second, beyond))
            & ~AsciiVector.IsLetterOrDigit(third);
        return stops | spaced;
    }

    /// <summary><see cref="IsStopAt"/> for the positions <paramref name="k"/> to <paramref name="k"/> + 31 at once, as <see cref="StopsAt(ref ushort, int)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ushort> StopsAt32(ref ushort at, int k)
    {
        var before = Vector512.LoadUnsafe(ref at, (nuint)(k - 1));
        var here = Vector512.LoadUnsafe(ref at, (nuint)k);
        var next = Vector512.LoadUnsafe(ref at, (nuint)(k + 1));
        var second = Vector512.LoadUnsafe(ref at, (nuint)(k + 2));
        var third = Vector512.LoadUnsafe(ref at, (nuint)(k + 3));
        var space = Vector512.Create((ushort)' ');
        var letter = AsciiVector.IsLetter(here);
        var stops = Vector512.GreaterThanOrEqual(here - space, Vector512.Create((ushort)0x60))
            | Vector512.Equals(here, Vector512.Create((ushort)'-'))
            | Vector512.Equals(here, Vector512.Create((ushort)'_'))
            | (Vector512.Equals(here, space) & Vector512.Equals(next, space))
            | (letter & Vector512.Equals(here, next) & Vector512.Equals(next, second));
        var beyond = Vector512.Create((ushort)0x7F);
        var separator = Vector512.Equals(next, space)
            | Vector512.Equals(next, Vector512.Create((ushort)'.'))
            | Vector512.Equals(next, Vector512.Create((ushort)'-'))
            | Vector512.Equals(next, Vector512.Create((ushort)'_'))
            | Vector512.Equals(next, Vector512.Create((ushort)'*'))
            | Vector512.GreaterThan(next, beyond);
        var spaced = letter
            & ~AsciiVector.IsLetterOrDigit(before)
            & separator
            & (AsciiVector.IsLetter(second) | Vector512.GreaterThan(second, beyond))
            & ~AsciiVector.IsLetterOrDigit(third);
        return stops | spaced;
    }

    /// <summary>
    /// <see cref="IsStopAt"/> for the positions <paramref name="k"/> to <paramref name="k"/> + 15 at once, a bit each:
    /// when they and their neighbours are ASCII, with the compares of <see cref="StopsAt"/> on bytes, sixteen a vector.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint StopsAt16(ref ushort at, int k)
    {
        var beforeLow = Vector128.LoadUnsafe(ref at, (nuint)(k - 1));
        var hereLow = Vector128.LoadUnsafe(ref at, (nuint)k);
        var hereHigh = Vector128.LoadUnsafe(ref at, (nuint)(k + 8));
        var thirdHigh = Vector128.LoadUnsafe(ref at, (nuint)(k + 11));
        // NOTE: these four loads cover k - 1 to k + 18, every character the sixteen positions are checked against.
        if (Vector128.GreaterThanAny(beforeLow | hereLow | hereHigh | thirdHigh, Vector128.Create((ushort)0x7F)))
        {
            return StopsAt(ref at, k).ExtractMostSignificantBits() | (StopsAt(ref at, k + 8).ExtractMostSignificantBits() << 8);
        }

        var before = Vector128.Narrow(beforeLow, Vector128.LoadUnsafe(ref at, (nuint)(k + 7)));
        var here = Vector128.Narrow(hereLow, hereHigh);
        var next = Vector128.Narrow(Vector128.LoadUnsafe(ref at, (nuint)(k + 1)), Vector128.LoadUnsafe(ref at, (nuint)(k + 9)));
        var second = Vector128.Narrow(Vector128.LoadUnsafe(ref at, (nuint)(k + 2)), Vector128.LoadUnsafe(ref at, (nuint)(k + 10)));
        var third = Vector128.Narrow(Vector128.LoadUnsafe(ref at, (nuint)(k + 3)), thirdHigh);
        var space = Vector128.Create((byte)' ');
        var letter = AsciiVector.IsLetter(here);
        var stops = Vector128.GreaterThanOrEqual(here - space, Vector128.Create((byte)0x60))
            | Vector128.Equals(here, Vector128.Create((byte)'-'))
            | Vector128.Equals(here, Vector128.Create((byte)'_'))
            | (Vector128.Equals(here, space) & Vector128.Equals(next, space))
            | (letter & Vector128.Equals(here, next) & Vector128.Equals(next, second));
        var separator = Vector128.Equals(next, space)
            | Vector128.Equals(next, Vector128.Create((byte)'.'))
            | Vector128.Equals(next, Vector128.Create((byte)'-'))
            | Vector128.Equals(next, Vector128.Create((byte)'_'))
            | Vector128.Equals(next, Vector128.Create((byte)'*'));
        // NOTE: no character here is beyond ASCII, so none counts as a separator or a letter for being so.
        var spaced = letter
            & ~AsciiVector.IsLetterOrDigit(before)
            & separator
            & AsciiVector.IsLetter(second)
            & ~AsciiVector.IsLetterOrDigit(third);
        return (stops | spaced).ExtractMostSignificantBits();
    }

    /// <summary>
    /// Whether compaction could change the character at <paramref name="k"/> or a run that starts there, as far as
    /// ASCII tells: a character below ' ' or beyond ASCII, '-' or '_', a space before a space, a letter three times
    /// in a row, or a letter alone followed by a separator and another letter alone, where spaced-out letters could
    /// start (a character beyond ASCII counts as a separator and as a letter there).
    /// </summary>
    internal static bool IsStopAt(ReadOnlySpan<char> chars, int k)
    {
        var n = chars.Length;
        var c = chars[k];
        if (c is < ' ' or >= (char)0x80 or '-' or '_')
        {
            return true;
        }

        var next = k + 1 < n ? chars[k + 1] : '\0';
        var second = k + 2 < n ? chars[k + 2] : '\0';
        if (c == ' ')
        {
            return next == ' ';
        }

        if (!char.IsAsciiLetter(c))
        {
            return false;
        }

        if (next == c && second == c)
        {
            return true;
        }

        return (k == 0 || !char.IsAsciiLetterOrDigit(chars[k - 1]))
            && (next is ' ' or '.' or '-' or '_' or '*' || next >= 0x80)
            && (char.IsAsciiLetter(second) || second >= 0x80)
            && (k + 3 >= n || !char.IsAsciiLetterOrDigit(chars[k + 3]));
    }

    /// <summary>What a run of which collapses to one space: whitespace, '-' and '_'.</summary>
    private static bool IsSpace(char c) => c is ' ' or '-' or '_' || char.IsWhiteSpace(c);

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

    /// <summary>Folded characters with their original offsets, in pooled arrays.</summary>
    private struct Buffer(int capacity)
    {
        private char[] _chars = ArrayPool<char>.Shared.Rent(capacity);
        private OffsetMap _map = new();
        private int _count;

        public readonly Span<char> Chars => _chars.AsSpan(0, _count);

        public readonly OffsetMap Map => _map;

        public void Add(char c, int start, int end)
        {
            _chars[_count] = c;
            _map.Add(_count, start, end);
            _count++;
        }

        /// <summary>Adds a run of ASCII that starts at <paramref name="start"/> in the original, capitals lowered.</summary>
        public void AddAscii(ReadOnlySpan<char> run, int start)
        {
            System.Text.Ascii.ToLower(run, _chars.AsSpan(_count, run.Length), out _);
            _map.AddRun(_count, start);
            _count += run.Length;
        }

        public void Return()
        {
            if (_chars.Length > 0)
            {
                ArrayPool<char>.Shared.Return(_chars);
                _chars = [];
            }

            _map.Return();
        }
    }

    /// <summary>Collects the result; a run of three or more of one letter ("nowwww") becomes one.</summary>
    private struct Output(int capacity)
    {
        private char[] _chars = ArrayPool<char>.Shared.Rent(capacity);
        private OffsetMap _map = new();
        private int _count;
        private char _runChar;
        private int _runCount;

        public readonly int Length => _count;

        public readonly bool EndsWithSpace => _count > 0 && _chars[_count - 1] == ' ';

        /// <summary>The letter the output ends with a run of, or '\0'.</summary>
        public readonly char RunChar => _runChar;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
                // NOTE: the second letter of the run is folded into the first. Phrases are matched in
                // their own form and with doubled letters squeezed, so "nowwww" meets "now" and "freeee" meets "free".
                _count--;
                _map.Truncate(_count);
                _map.SetLastEnd(_count - 1, end);
                return;
            }

            if (_runCount > 3)
            {
                _map.SetLastEnd(_count - 1, end);
                return;
            }

            if (_count == _chars.Length)
            {
                Grow(1);
            }

            _chars[_count] = c;
            _map.Add(_count, start, end);
            _count++;
        }

        /// <summary>Appends a character that is no letter, so it ends any run of letters.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void AppendOther(char c, int start, int end)
        {
            _runChar = '\0';
            _runCount = 1;
            if (_count == _chars.Length)
            {
                Grow(1);
            }

            _chars[_count] = c;
            _map.Add(_count, start, end);
            _count++;
        }

        /// <summary>
        /// Appends ASCII letters, digits and single spaces whose offsets run one to one from <paramref name="start"/>:
        /// no letter in them three times in a row, and the first not the letter of the output's last run.
        /// </summary>
        public void AppendRun(ReadOnlySpan<char> run, int start)
        {
            if (_count + run.Length > _chars.Length)
            {
                Grow(run.Length);
            }

            run.CopyTo(_chars.AsSpan(_count));
            _map.AddRun(_count, start);
            _count += run.Length;
            var last = run[^1];
            if (char.IsAsciiLetter(last))
            {
                _runChar = last;
                _runCount = run.Length > 1 && run[^2] == last ? 2 : 1;
            }
            else
            {
                _runChar = '\0';
                _runCount = 1;
            }
        }

        public readonly NormalizedText ToNormalizedText(string original) =>
            new(original, _chars.AsSpan(0, _count).ToArray(), _count, _map.Pieces.AsSpan(0, 3 * _map.PieceCount).ToArray(), _map.PieceCount, pooled: false);

        /// <summary>Hands the rented buffers to the result; nothing is left to return.</summary>
        public NormalizedText Detach(string original)
        {
            var result = new NormalizedText(original, _chars, _count, _map.Pieces, _map.PieceCount, pooled: true);
            _chars = [];
            _map.Detach();
            return result;
        }

        public void Return()
        {
            if (_chars.Length > 0)
            {
                ArrayPool<char>.Shared.Return(_chars);
                _chars = [];
            }

            _map.Return();
        }

        private void Grow(int needed)
        {
            var chars = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, _count + needed));
            _chars.AsSpan(0, _count).CopyTo(chars);
            ArrayPool<char>.Shared.Return(_chars);
            _chars = chars;
        }
    }
}
