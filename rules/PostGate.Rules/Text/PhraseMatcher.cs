using System.Buffers;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PostGate.Rules.Text;

/// <summary>A phrase found in a normalized text.</summary>
public readonly record struct PhraseHit(int PhraseIndex, int Start, int Length);

/// <summary>
/// Finds every phrase of a lexicon in one pass over normalized text, whole words only.
/// Phrases are folded with <see cref="Normalizer"/>, so "B U Y  N-O-W" meets "buy now".
/// </summary>
public sealed class PhraseMatcher
{
    private readonly Dictionary<char, List<(string Form, int Phrase)>> _byFirstChar = [];

    /// <summary>The length of the longest form.</summary>
    private readonly int _longest;

    /// <summary>The forms by their first character for ASCII, longest first, as <see cref="_byFirstChar"/> holds them.</summary>
    private readonly (string Form, int Phrase)[]?[] _byAsciiFirstChar = new (string Form, int Phrase)[]?[128];

    /// <summary>The forms of two characters or more by their first two characters, both ASCII, longest first.</summary>
    private readonly (string Form, int Phrase)[]?[]?[] _byAsciiPair = new (string Form, int Phrase)[]?[]?[128];

    /// <summary>The phrase of the one-character form of each ASCII character, or -1.</summary>
    private readonly int[] _asciiSingle = new int[128];

    /// <summary>Whether a form starts with each ASCII character.</summary>
    private readonly bool[] _asciiStarts = new bool[128];

    /// <summary>A bit for each pair of ASCII characters (the first times 128 plus the second) that a form starts with.</summary>
    private readonly ulong[] _asciiPairBits = new ulong[128 * 128 / 64];

    /// <summary>A bit for each pair of ASCII characters that is a whole form.</summary>
    private readonly ulong[] _asciiShortPairBits = new ulong[128 * 128 / 64];

    /// <summary>A bit for the hash (<see cref="TripleBit"/>) of the first three characters, all ASCII, of each form.</summary>
    private readonly ulong[] _asciiTripleBits = new ulong[TripleBits / 64];

    /// <summary>The ASCII characters that are no letter or digit that forms start with ("% off", "#1").</summary>
    private readonly char[] _symbolStarts = [];

    private const int TripleBits = 1 << 14;

    /// <summary>
    /// A bit for the top bits (<see cref="FirstWordBit"/>) of the <see cref="TextWords"/> hash of each form's first
    /// word, for forms that start with a letter or digit.
    /// </summary>
    private readonly ulong[] _firstWordBits = new ulong[FirstWordBits / 64];

    /// <summary>The characters that are no letter or digit that forms start with, any of them; null when there are none.</summary>
    private readonly SearchValues<char>? _otherStarts;

    /// <summary>How many top bits of a word's hash pick its bit in <see cref="_firstWordBits"/>.</summary>
    private const int FirstWordHashBits = 12;

    private const int FirstWordBits = 1 << FirstWordHashBits;

    /// <summary>Where a word's <see cref="TextWords"/> hash falls in <see cref="_firstWordBits"/>: its top bits.</summary>
    private static int FirstWordBit(ulong hash) => (int)(hash >> (64 - FirstWordHashBits));

    public PhraseMatcher(IReadOnlyList<string> phrases)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        var forms = new HashSet<string>(StringComparer.Ordinal);
        for (var p = 0; p < phrases.Count; p++)
        {
            var form = Normalizer.NormalizePhrase(phrases[p]);
            if (form.Length == 0)
            {
                continue;
            }

            Add(form, p, forms);
            var squeezed = Squeeze(form);
            if (squeezed is not null)
            {
                Add(squeezed, p, forms);
            }
        }

        foreach (var form in forms)
        {
            _longest = Math.Max(_longest, form.Length);
        }

        var otherStarts = new HashSet<char>();
        foreach (var form in forms)
        {
            if (char.IsLetterOrDigit(form[0]))
            {
                var firstWord = FirstWordBit(TextWords.Hash(form.AsSpan(0, WordLength(form))));
                _firstWordBits[firstWord / 64] |= 1UL << (firstWord % 64);
            }
            else
            {
                otherStarts.Add(form[0]);
            }
        }

        _otherStarts = otherStarts.Count == 0 ? null : SearchValues.Create([.. otherStarts]);

        Array.Fill(_asciiSingle, -1);
        foreach (var (first, list) in _byFirstChar)
        {
            list.Sort((a, b) => b.Form.Length.CompareTo(a.Form.Length));
            if (first >= 128)
            {
                continue;
            }

            _byAsciiFirstChar[first] = [.. list];
            _asciiStarts[first] = true;
            if (!char.IsAsciiLetterOrDigit(first))
            {
                _symbolStarts = [.. _symbolStarts, first];
            }

            foreach (var (form, phrase) in list)
            {
                if (form.Length == 1)
                {
                    // NOTE: a one-character form can stand before any character, so every pair it starts counts.
                    _asciiSingle[first] = phrase;
                    for (var second = 0; second < 128; second++)
                    {
                        var pair = (first * 128) + second;
                        _asciiPairBits[pair / 64] |= 1UL << (pair % 64);
                        _asciiShortPairBits[pair / 64] |= 1UL << (pair % 64);
                    }
                }
                else if (form[1] < 128)
                {
                    var pairs = _byAsciiPair[first] ??= new (string Form, int Phrase)[]?[128];
                    pairs[form[1]] = [.. pairs[form[1]] ?? [], (form, phrase)];
                    var pair = (first * 128) + form[1];
                    _asciiPairBits[pair / 64] |= 1UL << (pair % 64);
                    if (form.Length == 2)
                    {
                        _asciiShortPairBits[pair / 64] |= 1UL << (pair % 64);
                    }
                    else if (form[2] < 128)
                    {
                        var triple = TripleBit(first, form[1], form[2]);
                        _asciiTripleBits[triple / 64] |= 1UL << (triple % 64);
                    }
                }
            }
        }
    }

    /// <summary>All whole-word hits, leftmost first; at one position the longest phrase wins and hits do not overlap.</summary>
    public List<PhraseHit> FindAll(ReadOnlySpan<char> text)
    {
        var hits = new List<PhraseHit>();
        FindAll(text, hits);
        return hits;
    }

    /// <summary>Adds the hits of <see cref="FindAll(ReadOnlySpan{char})"/> to <paramref name="hits"/>.</summary>
    // NOTE: a hit needs one of the forms to start at its position, so trying the forms at each position where one
    // could start finds what a search for the leftmost form would find. A form that starts with a letter or digit
    // only counts at the start of a word, and a post has far fewer word starts than characters.
    internal void FindAll(ReadOnlySpan<char> text, List<PhraseHit> hits)
    {
        // NOTE: the end of a hit is the end of a word or follows a character that is no letter or digit, so the next
        // candidate is looked for from there on.
        var at = 0;
        while ((at = NextCandidate(text, at, text.Length)) < text.Length)
        {
            var matched = MatchAt(text, at);
            if (matched.Length > 0)
            {
                hits.Add(matched);
                at += matched.Length;
            }
            else
            {
                at++;
            }
        }
    }

    /// <summary>
    /// <see cref="FindAll(ReadOnlySpan{char}, List{PhraseHit})"/> from the words of <paramref name="text"/> as
    /// <paramref name="words"/> holds them.
    /// </summary>
    // NOTE: a form that starts with a letter or digit can only match where a word starts, and only where that word is
    // the form's first word (the form's next character, or its end, ends the word of the text too), so the words whose
    // hashes are no form's first word are passed over; a form that starts with any other character can only match at
    // that character, found by a vectorized search. The rest is as the search of every candidate position.
    internal void FindAll(ReadOnlySpan<char> text, TextWords words, List<PhraseHit> hits)
    {
        Debug.Assert(words.TextLength == text.Length, "The words are those of this text.");
        var count = words.Count;
        ref var starts = ref MemoryMarshal.GetArrayDataReference(words.Starts);
        ref var hashes = ref MemoryMarshal.GetArrayDataReference(words.Hashes);
        ref var firstWords = ref MemoryMarshal.GetArrayDataReference(_firstWordBits);
        var w = 0;
        var other = NextOtherStart(text, 0);
        var at = 0;
        while (true)
        {
            // NOTE: the bits are looked up by hash first: most words are no form's first word.
            for (; w < count; w++)
            {
                var bit = FirstWordBit(Unsafe.Add(ref hashes, w));
                if ((Unsafe.Add(ref firstWords, bit >> 6) & (1UL << bit)) != 0 && Unsafe.Add(ref starts, w) >= at)
                {
                    break;
                }
            }

            var candidate = Math.Min(w < count ? Unsafe.Add(ref starts, w) : text.Length, other);
            if (candidate >= text.Length)
            {
                return;
            }

            var matched = MatchAt(text, candidate);
            if (matched.Length > 0)
            {
                hits.Add(matched);
                at = candidate + matched.Length;
            }
            else
            {
                at = candidate + 1;
            }

            if (other < at)
            {
                other = NextOtherStart(text, at);
            }
        }
    }

    /// <summary>The length of the run of letters and digits that <paramref name="form"/> starts with.</summary>
    private static int WordLength(string form)
    {
        var length = 0;
        while (length < form.Length && char.IsLetterOrDigit(form[length]))
        {
            length++;
        }

        return length;
    }

    /// <summary>The first position from <paramref name="from"/> on of a character no letter or digit that a form starts with, or the text's length.</summary>
    private int NextOtherStart(ReadOnlySpan<char> text, int from)
    {
        if (_otherStarts is null || from >= text.Length)
        {
            return text.Length;
        }

        var found = text[from..].IndexOfAny(_otherStarts);
        return found < 0 ? text.Length : from + found;
    }

    /// <summary>
    /// The first position from <paramref name="from"/> on, and before <paramref name="to"/>, where
    /// <see cref="IsCandidate"/> holds; else <paramref name="to"/>.
    /// </summary>
    internal int NextCandidate(ReadOnlySpan<char> text, int from, int to)
    {
        var k = from;
        if (k == 0 && to > 0)
        {
            if (IsCandidate(text, 0))
            {
                return 0;
            }

            k = 1;
        }

        // NOTE: eight positions at a time are checked for where a word starts (a letter or digit after a character
        // that is none) or, when a form starts with a symbol, for any character that is no letter or digit; only those
        // are looked up. Eight positions with a character beyond ASCII, here or just before, are checked one by one.
        if (Vector128.IsHardwareAccelerated)
        {
            ref var chars = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
            var beyond = Vector128.Create((ushort)0x7F);

            // NOTE: up to four symbols that start forms are compared for (the rest of the four compare with a character
            // beyond ASCII, which these eight positions do not hold); with more, every character that is no letter or
            // digit is looked up.
            var symbols = _symbolStarts;
            var anySymbol = symbols.Length > 4;
            var symbol0 = Vector128.Create((ushort)(symbols.Length > 0 ? symbols[0] : '\uFFFF'));
            var symbol1 = Vector128.Create((ushort)(symbols.Length > 1 ? symbols[1] : '\uFFFF'));
            var symbol2 = Vector128.Create((ushort)(symbols.Length > 2 ? symbols[2] : '\uFFFF'));
            var symbol3 = Vector128.Create((ushort)(symbols.Length > 3 ? symbols[3] : '\uFFFF'));
            // NOTE: sixteen positions at a time, narrowed to bytes when they and the character before them are ASCII:
            // one compare gives a bit for each letter or digit, and a word starts at a bit whose neighbour before it
            // (the previous bit, or for the first the character before the sixteen) is clear. The last positions
            // are checked eight at a time below.
            var symbolBytes0 = Vector128.Create((byte)(symbols.Length > 0 ? symbols[0] : 0xFF));
            var symbolBytes1 = Vector128.Create((byte)(symbols.Length > 1 ? symbols[1] : 0xFF));
            var symbolBytes2 = Vector128.Create((byte)(symbols.Length > 2 ? symbols[2] : 0xFF));
            var symbolBytes3 = Vector128.Create((byte)(symbols.Length > 3 ? symbols[3] : 0xFF));
            for (; k + (2 * Vector128<ushort>.Count) <= to; k += 2 * Vector128<ushort>.Count)
            {
                var low = Vector128.LoadUnsafe(ref chars, (nuint)k);
                var high = Vector128.LoadUnsafe(ref chars, (nuint)(k + Vector128<ushort>.Count));
                var previous = text[k - 1];
                if (previous >= 128 || Vector128.GreaterThanAny(low | high, beyond))
                {
                    for (var at = k; at < k + (2 * Vector128<ushort>.Count); at++)
                    {
                        if (IsCandidate(text, at))
                        {
                            return at;
                        }
                    }

                    continue;
                }

                var bytes = Vector128.Narrow(low, high);
                var words = AsciiVector.IsLetterOrDigit(bytes).ExtractMostSignificantBits();
                var wordsBefore = (words << 1) | (char.IsAsciiLetterOrDigit(previous) ? 1u : 0u);
                var positions = anySymbol
                    ? (~words | ~wordsBefore) & 0xFFFF
                    : (words & ~wordsBefore)
                        | (Vector128.Equals(bytes, symbolBytes0) | Vector128.Equals(bytes, symbolBytes1)
                            | Vector128.Equals(bytes, symbolBytes2) | Vector128.Equals(bytes, symbolBytes3)).ExtractMostSignificantBits();
                while (positions != 0)
                {
                    var candidate = k + BitOperations.TrailingZeroCount(positions);
                    if (MayStartAscii(text, candidate))
                    {
                        return candidate;
                    }

                    positions &= positions - 1;
                }
            }

            for (; k + Vector128<ushort>.Count <= to; k += Vector128<ushort>.Count)
            {
                var before = Vector128.LoadUnsafe(ref chars, (nuint)(k - 1));
                var here = Vector128.LoadUnsafe(ref chars, (nuint)k);
                if (Vector128.GreaterThanAny(before | here, beyond))
                {
                    for (var at = k; at < k + Vector128<ushort>.Count; at++)
                    {
                        if (IsCandidate(text, at))
                        {
                            return at;
                        }
                    }

                    continue;
                }

                var word = AsciiVector.IsLetterOrDigit(here);
                var mask = anySymbol
                    ? ~word | ~AsciiVector.IsLetterOrDigit(before)
                    : (word & ~AsciiVector.IsLetterOrDigit(before))
                        | Vector128.Equals(here, symbol0) | Vector128.Equals(here, symbol1)
                        | Vector128.Equals(here, symbol2) | Vector128.Equals(here, symbol3);
                var positions = mask.ExtractMostSignificantBits();

                while (positions != 0)
                {
                    var candidate = k + BitOperations.TrailingZeroCount(positions);
                    if (MayStartAscii(text, candidate))
                    {
                        return candidate;
                    }

                    positions &= positions - 1;
                }
            }
        }

        for (; k < to; k++)
        {
            if (IsCandidate(text, k))
            {
                return k;
            }
        }

        return to;
    }

    /// <summary>
    /// Whether a form could start at <paramref name="at"/>: a whole-word form can start there (see CanStartAt), and
    /// for ASCII, its character is a form, or a form of two is its character and the next, or a longer form starts
    /// with its first three characters as far as a hash of them tells.
    /// </summary>
    internal bool IsCandidate(ReadOnlySpan<char> text, int at)
    {
        if (!CanStartAt(text, at))
        {
            return false;
        }

        return text[at] >= 128 || MayStartAscii(text, at);
    }

    /// <summary>Whether a form could start at <paramref name="at"/>, an ASCII character (see <see cref="IsCandidate"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool MayStartAscii(ReadOnlySpan<char> text, int at)
    {
        var c = text[at];
        var second = at + 1 < text.Length ? text[at + 1] : '\0';
        if (second >= 128)
        {
            return _asciiStarts[c];
        }

        var pair = (c * 128) + second;
        var bit = 1UL << (pair % 64);
        if ((_asciiPairBits[pair / 64] & bit) == 0)
        {
            return false;
        }

        var third = at + 2 < text.Length ? text[at + 2] : '\0';
        if (third >= 128 || (_asciiShortPairBits[pair / 64] & bit) != 0)
        {
            return true;
        }

        var triple = TripleBit(c, second, third);
        return (_asciiTripleBits[triple / 64] & (1UL << (triple % 64))) != 0;
    }

    /// <summary>Where three ASCII characters fall in <see cref="_asciiTripleBits"/>.</summary>
    private static int TripleBit(char first, char second, char third) =>
        (int)((uint)(first | (second << 7) | (third << 14)) * 0x9E3779B1u >> (32 - 14));

    /// <summary>Every whole-word hit at every position, overlapping ones included.</summary>
    public List<PhraseHit> FindAllOverlapping(ReadOnlySpan<char> text)
    {
        var hits = new List<PhraseHit>();
        for (var at = 0; at < text.Length; at++)
        {
            var matched = CanStartAt(text, at) ? MatchAt(text, at) : default;
            if (matched.Length > 0)
            {
                hits.Add(matched);
            }
        }

        return hits;
    }

    /// <summary>
    /// Whether a hit of <see cref="FindAllOverlapping"/> covers the stretch [<paramref name="start"/>,
    /// <paramref name="start"/> + <paramref name="length"/>) of <paramref name="text"/>; only the positions where
    /// such a hit could start are tried.
    /// </summary>
    internal bool Covers(ReadOnlySpan<char> text, int start, int length)
    {
        var end = start + length;
        for (var at = NextCandidate(text, Math.Max(0, end - _longest), start + 1); at <= start; at = NextCandidate(text, at + 1, start + 1))
        {
            var matched = MatchAt(text, at);
            if (matched.Length > 0 && at + matched.Length >= end)
            {
                return true;
            }
        }

        return false;
    }

    private static bool CanStartAt(ReadOnlySpan<char> text, int at) =>
        at == 0 || !char.IsLetterOrDigit(text[at - 1]) || !char.IsLetterOrDigit(text[at]);

    private PhraseHit MatchAt(ReadOnlySpan<char> text, int at)
    {
        var c = text[at];
        var second = at + 1 < text.Length ? text[at + 1] : '\0';
        if (c < 128 && second < 128)
        {
            // NOTE: the first two characters pick the candidates; a one-character form, the shortest, comes last.
            if (_byAsciiPair[c]?[second] is { } pairs)
            {
                var rest = text.Length - at;
                var third = rest > 2 ? text[at + 2] : '\0';
                foreach (var (form, phrase) in pairs)
                {
                    // NOTE: the first two characters are known to match; the third turns most candidates away.
                    if (form.Length <= rest && (form.Length == 2 || form[2] == third)
                        && text.Slice(at, form.Length).SequenceEqual(form) && IsWholeWord(text, at, form))
                    {
                        return new PhraseHit(phrase, at, form.Length);
                    }
                }
            }

            var single = _asciiSingle[c];
            if (single >= 0 && IsWholeWord(text, at, c))
            {
                return new PhraseHit(single, at, 1);
            }

            return default;
        }

        if (c < 128)
        {
            if (_byAsciiFirstChar[c] is { } ascii)
            {
                // NOTE: the second character turns most candidates away before a whole comparison.
                foreach (var (form, phrase) in ascii)
                {
                    if ((form.Length == 1 || form[1] == second)
                        && text[at..].StartsWith(form, StringComparison.Ordinal) && IsWholeWord(text, at, form))
                    {
                        return new PhraseHit(phrase, at, form.Length);
                    }
                }
            }

            return default;
        }

        if (!_byFirstChar.TryGetValue(c, out var candidates))
        {
            return default;
        }

        foreach (var (form, phrase) in candidates)
        {
            if (text[at..].StartsWith(form, StringComparison.Ordinal) && IsWholeWord(text, at, form))
            {
                return new PhraseHit(phrase, at, form.Length);
            }
        }

        return default;
    }

    /// <summary>Whether a one-character form <paramref name="c"/> at <paramref name="at"/> stands as a whole word.</summary>
    private static bool IsWholeWord(ReadOnlySpan<char> text, int at, char c) =>
        !char.IsLetterOrDigit(c) || ((at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (at + 1 == text.Length || !char.IsLetterOrDigit(text[at + 1])));

    private static bool IsWholeWord(ReadOnlySpan<char> text, int at, string form)
    {
        var end = at + form.Length;
        var startOk = !char.IsLetterOrDigit(form[0]) || at == 0 || !char.IsLetterOrDigit(text[at - 1]);
        var endOk = !char.IsLetterOrDigit(form[^1]) || end == text.Length || !char.IsLetterOrDigit(text[end]);
        return startOk && endOk;
    }

    private void Add(string form, int phrase, HashSet<string> forms)
    {
        if (!forms.Add(form))
        {
            return;
        }

        if (!_byFirstChar.TryGetValue(form[0], out var list))
        {
            list = [];
            _byFirstChar[form[0]] = list;
        }

        list.Add((form, phrase));
    }

    /// <summary>"free" → "fre", the form a stretched "freeeee" folds to; null when nothing changes or a word would shrink to two letters.</summary>
    internal static string? Squeeze(string form)
    {
        var chars = new List<char>(form.Length);
        foreach (var c in form)
        {
            if (chars.Count > 0 && chars[^1] == c && char.IsLetter(c))
            {
                continue;
            }

            chars.Add(c);
        }

        if (chars.Count == form.Length)
        {
            return null;
        }

        var squeezed = new string([.. chars]);
        foreach (var word in squeezed.Split(' '))
        {
            if (word.Length <= 2 && !form.Split(' ').Contains(word, StringComparer.Ordinal))
            {
                // NOTE: "off" must not become "of", nor "too" become "to": those are everyday words.
                return null;
            }
        }

        return squeezed;
    }
}
