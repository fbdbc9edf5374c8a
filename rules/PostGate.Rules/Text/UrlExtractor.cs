using System.Buffers;
using System.Collections.Frozen;
using System.Runtime.CompilerServices;

namespace PostGate.Rules.Text;

/// <summary>A URL <see cref="UrlExtractor"/> found: the link and its host, as UTF-16 offsets into the text.</summary>
internal readonly record struct UrlSpan(int Start, int End, int HostStart, int HostEnd, bool HasScheme)
{
    /// <summary>
    /// The length of the URL twitter-text reports, which parseTweet skips when it counts the link; shorter than the
    /// span where twitter-text's indices run past its URL (see <see cref="UrlExtractor"/>).
    /// </summary>
    public int Length { get; init; } = End - Start;
}

/// <summary>Receives the URLs of a text in order.</summary>
internal interface IUrlSink
{
    void Add(UrlSpan url);
}

/// <summary>
/// twitter-text's URL extraction (<c>extractUrlsWithIndices</c> of twitter-text 3.1, the version whose conformance
/// suite ships in <c>extract.yml</c>), written as a scanner instead of its one large regular expression.
/// </summary>
// NOTE: twitter-text runs one regex, /(preceding char)((https?://)?(domain)(:port)?(/path)?(?query)?)/gi, from left to
// right. Every part after the domain is optional, so the first match at a position is decided by the domain alone:
// labels of "domain characters" (anything but ASCII punctuation, spaces, U+FFFE/U+FEFF/U+FFFF and directional marks),
// greedy subdomains, then a name label and a known TLD. This scanner visits each '.' once, tries the same start
// positions in the same order, and remembers what the labels after a dot allow, so a post costs one pass even where
// the regex would backtrack (long runs of CJK text before a dot).
// twitter-text 2 also dropped a bare country-code domain without a path ("foo.jp", but not "t.co" or "twitch.tv"); 3.x
// and its extract.yml take them ("foo.jp", "it.so"), and so does this.
internal static class UrlExtractor
{
    public const int MaxUrlLength = 4096;
    public const int MaxTcoSlugLength = 40;
    public const int MaxLabelLength = 63;

    // Bits of the ASCII table.
    private const byte Alnum = 1, NotDomain = 2, PathChar = 4, PathEnd = 8, QueryChar = 16, QueryEnd = 32, AsciiLabel = 64;

    private static readonly byte[] Ascii = BuildAscii();

    /// <summary>Every TLD in twitter-text's <c>tld_lib.yml</c> (generic and country code), compared ignoring case.</summary>
    private static readonly FrozenSet<string> Tlds = LinkScanner.ReadResource("PostGate.Rules.tlds.txt", StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> TldLookup = Tlds.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly int MaxTldLength = Tlds.Max(t => t.Length);

    /// <summary>
    /// Reports each URL of <paramref name="text"/> to <paramref name="sink"/>, left to right. <paramref name="withoutProtocol"/>
    /// says whether links without "http(s)://" count (twitter-text's <c>extractUrlsWithoutProtocol</c>).
    /// </summary>
    public static void Find<TSink>(ReadOnlySpan<char> text, bool withoutProtocol, ref TSink sink)
        where TSink : struct, IUrlSink
    {
        var dot = text.IndexOf('.');
        if (dot < 0)
        {
            return;
        }

        var scan = new Scanner(text, stackalloc int[64]);
        try
        {
            scan.Run(dot, withoutProtocol, ref sink);
        }
        finally
        {
            scan.Dispose();
        }
    }

    /// <summary>
    /// The end of a URL path that starts after its '/': the run of path characters and balanced parentheses up to its
    /// last path-ending character, then any balanced parentheses right after that character.
    /// </summary>
    // NOTE: twitter-text splices validUrlPathEndingChars, "[…]|(?:parens)", into the path pattern unparenthesized, so a
    // path piece either ends in an ending character or is a parenthesized group on its own: "/ab(.)" keeps "(.)",
    // "/ab:(.)" stops after "b".
    public static int PathEndFrom(ReadOnlySpan<char> s, int i)
    {
        var lastEnd = i;
        var j = i;
        while (j < s.Length)
        {
            var c = s[j];
            if (IsPathChar(c))
            {
                j++;
                if (IsPathEnd(c))
                {
                    lastEnd = j;
                }
            }
            else if (c == '(' && BalancedParens(s, j) is var close and > 0)
            {
                j = close;
            }
            else
            {
                break;
            }
        }

        while (lastEnd < s.Length && s[lastEnd] == '(' && BalancedParens(s, lastEnd) is var groupEnd and > 0)
        {
            lastEnd = groupEnd;
        }

        return lastEnd;
    }

    /// <summary>The end of a query that starts after its '?', or -1 when no query character can end it.</summary>
    public static int QueryEndFrom(ReadOnlySpan<char> s, int i, int limit)
    {
        var last = -1;
        for (var j = i; j < limit && IsAscii(s[j], QueryChar); j++)
        {
            if (IsAscii(s[j], QueryEnd))
            {
                last = j + 1;
            }
        }

        return last;
    }

    /// <summary>Whether <paramref name="label"/> is a known TLD, ignoring case.</summary>
    public static bool IsTld(ReadOnlySpan<char> label) => TldLookup.Contains(label);

    /// <summary>The end of the TLD that starts at <paramref name="t"/> (a known TLD not followed by [0-9A-Za-z@+-], or "xn--…"), or -1.</summary>
    public static int TldEnd(ReadOnlySpan<char> s, int t, int limit)
    {
        if (t >= limit)
        {
            return -1;
        }

        var run = 0;
        while (t + run < limit && IsAscii(s[t + run], Alnum))
        {
            run++;
        }

        var afterRun = t + run;
        if (run == 0 && s[t] < 0x80)
        {
            return -1;
        }

        if (run > 0 && (afterRun == limit || s[afterRun] < 0x80))
        {
            if (!BlocksTld(s, afterRun, limit) && TldLookup.Contains(s.Slice(t, run)))
            {
                return afterRun;
            }
        }
        else
        {
            // Non-ASCII TLDs (中国, みんな, vermögensberater) may be followed by more letters: the longest one wins, as in
            // twitter-text's alternation, which lists longer TLDs before their prefixes.
            for (var length = Math.Min(MaxTldLength, limit - t); length >= Math.Max(run, 1); length--)
            {
                if (!BlocksTld(s, t + length, limit) && TldLookup.Contains(s.Slice(t, length)))
                {
                    return t + length;
                }
            }
        }

        if (limit - t > 4 && s.Slice(t, 4).Equals("xn--", StringComparison.OrdinalIgnoreCase) && IsPunycodeChar(s[t + 4]))
        {
            var end = t + 5;
            while (end < limit && IsPunycodeChar(s[end]))
            {
                end++;
            }

            return end;
        }

        return -1;
    }

    // NOTE: the ASCII test is small enough to be inlined into the scanning loops; the rest is a call.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsDomainChar(char c) => c < 0x80 ? (Ascii[c] & NotDomain) == 0 : IsDomainCharBeyondAscii(c);

    private static bool IsDomainCharBeyondAscii(char c)
    {
        return c switch
        {
            '\u0085' or '\u00A0' or '\u1680' or '\u180E' or '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000' => false,
            >= '\u2000' and <= '\u200A' => false,
            '\uFFFE' or '\uFEFF' or '\uFFFF' => false,
            '\u061C' or '\u200E' or '\u200F' => false,
            >= '\u202A' and <= '\u202E' => false,
            >= '\u2066' and <= '\u2069' => false,
            _ => true,
        };
    }

    /// <summary>A character a subdomain label may hold: a domain character, '_' or '-'.</summary>
    public static bool IsLabelChar(char c) => c is '_' or '-' || IsDomainChar(c);

    /// <summary>twitter-text's <c>validUrlPrecedingChars</c>: not a letter or digit of ASCII, not @ $ # (or their fullwidth forms).</summary>
    public static bool IsValidPreceding(char c) =>
        c < 0x80 ? (Ascii[c] & Alnum) == 0 && c is not ('@' or '$' or '#') : c is not ('\uFF20' or '\uFF03' or '\uFFFE' or '\uFEFF' or '\uFFFF');

    public static bool IsPathChar(char c) => c < 0x80 ? (Ascii[c] & PathChar) != 0 : c == '\u2013' || IsCyrillic(c) || IsLatinAccent(c);

    public static bool IsPathEnd(char c) => c < 0x80 ? (Ascii[c] & PathEnd) != 0 : IsCyrillic(c) || IsLatinAccent(c);

    private static bool IsAsciiLabelChar(char c) => c < 0x80 ? (Ascii[c] & AsciiLabel) != 0 : IsLatinAccent(c);

    private static bool IsAscii(char c, byte bit) => c < 0x80 && (Ascii[c] & bit) != 0;

    private static bool IsPunycodeChar(char c) => c == '-' || IsAscii(c, Alnum);

    private static bool IsCyrillic(char c) => c is >= '\u0400' and <= '\u04FF';

    private static bool IsLatinAccent(char c) => c switch
    {
        >= '\u00C0' and <= '\u00D6' or >= '\u00D8' and <= '\u00F6' or >= '\u00F8' and <= '\u024F' => true,
        '\u0253' or '\u0254' or '\u0256' or '\u0257' or '\u0259' or '\u025B' or '\u0263' or '\u0268' or '\u026F' or '\u0272' or '\u0289' or '\u028B' or '\u02BB' => true,
        >= '\u0300' and <= '\u036F' or >= '\u1E00' and <= '\u1EFF' => true,
        _ => false,
    };

    /// <summary>The lookahead after a TLD, (?=[^0-9a-zA-Z@+-]|$), fails.</summary>
    private static bool BlocksTld(ReadOnlySpan<char> s, int i, int limit) =>
        i < limit && (IsAscii(s[i], Alnum) || s[i] is '@' or '+' or '-');

    /// <summary>Balanced parentheses in a path, one level nested at most: "(film)", "(Album_(Edited))". The end, or -1.</summary>
    private static int BalancedParens(ReadOnlySpan<char> s, int open)
    {
        var k = open + 1;
        while (k < s.Length && IsPathChar(s[k]))
        {
            k++;
        }

        if (k < s.Length && s[k] == ')' && k > open + 1)
        {
            return k + 1;
        }

        if (k >= s.Length || s[k] != '(')
        {
            return -1;
        }

        var inner = k + 1;
        while (inner < s.Length && IsPathChar(s[inner]))
        {
            inner++;
        }

        if (inner == k + 1 || inner >= s.Length || s[inner] != ')')
        {
            return -1;
        }

        var after = inner + 1;
        while (after < s.Length && IsPathChar(s[after]))
        {
            after++;
        }

        return after < s.Length && s[after] == ')' ? after + 1 : -1;
    }

    /// <summary>
    /// The length punycode.js's <c>toASCII</c> gives a label: unchanged when ASCII, else "xn--" and the RFC 3492
    /// encoding, with U+3002, U+FF0E and U+FF61 splitting it like '.'. Stops counting past <see cref="MaxLabelLength"/>.
    /// </summary>
    internal static int PunycodeLength(ReadOnlySpan<char> label)
    {
        var total = 0;
        var start = 0;
        for (var i = 0; i <= label.Length; i++)
        {
            if (i < label.Length && label[i] is not ('\u3002' or '\uFF0E' or '\uFF61'))
            {
                continue;
            }

            var part = label[start..i];
            total += part.ContainsAnyExceptInRange('\0', '\u007E') ? 4 + EncodedLength(part) : part.Length;
            if (i < label.Length)
            {
                total++;
            }

            if (total > MaxLabelLength)
            {
                return total;
            }

            start = i + 1;
        }

        return total;
    }

    private static int EncodedLength(ReadOnlySpan<char> input)
    {
        const int Base = 36, TMin = 1, TMax = 26, MaxInt = int.MaxValue;
        var basic = 0;
        foreach (var c in input)
        {
            if (c < 0x80)
            {
                basic++;
            }
        }

        var codePoints = CodePointCount(input);
        var output = basic + (basic > 0 ? 1 : 0);
        var handled = basic;
        long n = 0x80, delta = 0;
        var bias = 72;
        while (handled < codePoints)
        {
            long m = long.MaxValue;
            foreach (var cp in CodePoints(input))
            {
                if (cp >= n && cp < m)
                {
                    m = cp;
                }
            }

            delta += (m - n) * (handled + 1);
            if (delta > MaxInt)
            {
                return MaxInt / 2;
            }

            n = m;
            foreach (var cp in CodePoints(input))
            {
                if (cp < n && ++delta > MaxInt)
                {
                    return MaxInt / 2;
                }

                if (cp != n)
                {
                    continue;
                }

                var q = delta;
                for (var k = Base; ; k += Base)
                {
                    var t = k <= bias ? TMin : k >= bias + TMax ? TMax : k - bias;
                    if (q < t)
                    {
                        break;
                    }

                    output++;
                    q = (q - t) / (Base - t);
                }

                output++;
                bias = Adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled++;
                if (output > MaxLabelLength)
                {
                    return output;
                }
            }

            delta++;
            n++;
        }

        return output;

        static int Adapt(long delta, int points, bool first)
        {
            delta = first ? delta / 700 : delta >> 1;
            delta += delta / points;
            var k = 0;
            while (delta > ((Base - TMin) * TMax) >> 1)
            {
                delta /= Base - TMin;
                k += Base;
            }

            return (int)(k + ((Base - TMin + 1) * delta / (delta + 38)));
        }
    }

    private static int CodePointCount(ReadOnlySpan<char> input)
    {
        var count = 0;
        foreach (var _ in CodePoints(input))
        {
            count++;
        }

        return count;
    }

    /// <summary>Code points as punycode.js's ucs2decode reads them: a lone surrogate stands for itself.</summary>
    private static CodePointEnumerator CodePoints(ReadOnlySpan<char> input) => new(input);

    private ref struct CodePointEnumerator(ReadOnlySpan<char> input)
    {
        private readonly ReadOnlySpan<char> _input = input;
        private int _next;

        public int Current { get; private set; }

        public readonly CodePointEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_next >= _input.Length)
            {
                return false;
            }

            var c = _input[_next++];
            if (char.IsHighSurrogate(c) && _next < _input.Length && char.IsLowSurrogate(_input[_next]))
            {
                Current = char.ConvertToUtf32(c, _input[_next++]);
            }
            else
            {
                Current = c;
            }

            return true;
        }
    }

    private static byte[] BuildAscii()
    {
        var table = new byte[128];
        for (var c = 0; c < 128; c++)
        {
            var ch = (char)c;
            byte bits = 0;
            if (char.IsAsciiLetterOrDigit(ch))
            {
                bits |= Alnum | PathChar | PathEnd | QueryChar | QueryEnd | AsciiLabel;
            }

            // twitter-text's punct (it lists ' twice and leaves out " and `) and ASCII spaces; anything else, controls
            // included, is a domain character.
            if (@"!'#%&()*+,\-./:;<=>?@[]^_{|}~$".Contains(ch, StringComparison.Ordinal) || ch is ' ' or (>= '\t' and <= '\r'))
            {
                bits |= NotDomain;
            }

            if (@"!*';:=+,.$/%#[]-_~@|&".Contains(ch, StringComparison.Ordinal))
            {
                bits |= PathChar;
            }

            if ("+-=_#/".Contains(ch, StringComparison.Ordinal))
            {
                bits |= PathEnd;
            }

            if (@"!?*'@();:&=+$/%#[]-_.,~|".Contains(ch, StringComparison.Ordinal))
            {
                bits |= QueryChar;
            }

            if ("-_&=#/".Contains(ch, StringComparison.Ordinal))
            {
                bits |= QueryEnd;
            }

            if (ch == '-')
            {
                bits |= AsciiLabel;
            }

            table[c] = bits;
        }

        return table;
    }

    /// <summary>One pass over one text; remembers, per '.', what the labels after it allow.</summary>
    private ref struct Scanner
    {
        private readonly ReadOnlySpan<char> _s;
        private Span<int> _chain;
        private int[]? _rented;
        private int _chainCount;
        private int _chainIndex;

        public Scanner(ReadOnlySpan<char> text, Span<int> buffer)
        {
            _s = text;
            _chain = buffer;
        }

        public void Dispose()
        {
            if (_rented is not null)
            {
                ArrayPool<int>.Shared.Return(_rented);
                _rented = null;
            }
        }

        public void Run<TSink>(int dot, bool withoutProtocol, ref TSink sink)
            where TSink : struct, IUrlSink
        {
            var s = _s;
            var lastIndex = 0;
            while (dot >= 0)
            {
                // NOTE: a dot that no label character follows (the end of a sentence) has neither a TLD nor another
                // label after it, so no domain holds it: every start before it would fail.
                if (dot + 1 >= s.Length || !IsLabelChar(s[dot + 1]))
                {
                    dot = NextDot(dot + 1);
                    continue;
                }

                var minU = lastIndex == 0 ? 0 : lastIndex + 1;
                var run = dot;
                var lastUnderscore = -1;
                while (run > minU && IsLabelChar(s[run - 1]))
                {
                    run--;
                    if (s[run] == '_' && lastUnderscore < 0)
                    {
                        lastUnderscore = run;
                    }
                }

                if (run == dot)
                {
                    dot = NextDot(dot + 1);
                    continue;
                }

                var tldAfterDot = -2;
                int start = -1, hostStart = -1, hostEnd = -1;
                var protocol = ProtocolStart(run);
                if (protocol >= minU && (protocol == 0 || IsValidPreceding(s[protocol - 1])))
                {
                    hostEnd = DomainAt(run, dot, lastUnderscore, ref tldAfterDot);
                    if (hostEnd >= 0)
                    {
                        (start, hostStart) = (protocol, run);
                    }
                }

                if (start < 0)
                {
                    // NOTE: at position 0 the regex first takes the first character as the preceding one and tries
                    // position 1, and only then position 0 itself (its "^" alternative comes last): 1, 0, 2, 3, …
                    var quirk = run == 0 && dot > 1 && IsValidPreceding(s[0]);
                    for (var i = 0; ; i++)
                    {
                        var u = quirk ? (i == 0 ? 1 : i == 1 ? 0 : i) : run + i;
                        if (u >= dot)
                        {
                            break;
                        }

                        if (u > 0 && !IsValidPreceding(s[u - 1]))
                        {
                            continue;
                        }

                        hostEnd = DomainAt(u, dot, lastUnderscore, ref tldAfterDot);
                        if (hostEnd >= 0)
                        {
                            (start, hostStart) = (u, u);
                            break;
                        }
                    }
                }

                if (start < 0)
                {
                    dot = NextDot(dot + 1);
                    continue;
                }

                var hasProtocol = hostStart != start;
                var end = hostEnd;
                if (end + 1 < s.Length && s[end] == ':' && char.IsAsciiDigit(s[end + 1]))
                {
                    end += 2;
                    while (end < s.Length && char.IsAsciiDigit(s[end]))
                    {
                        end++;
                    }
                }

                var hasPath = end < s.Length && s[end] == '/';
                if (hasPath)
                {
                    end = PathEndFrom(s, end + 1);
                }

                if (end < s.Length && s[end] == '?' && QueryEndFrom(s, end + 1, s.Length) is var queryEnd and > 0)
                {
                    end = queryEnd;
                }

                Accept(start, hostStart, hostEnd, end, hasProtocol, hasPath, withoutProtocol, ref sink);
                lastIndex = end;
                dot = NextDot(end);
            }
        }

        /// <summary>What twitter-text does with one regex match: validate it, then keep, trim or split it.</summary>
        private readonly void Accept<TSink>(int start, int hostStart, int hostEnd, int end, bool hasProtocol, bool hasPath, bool withoutProtocol, ref TSink sink)
            where TSink : struct, IUrlSink
        {
            var s = _s;
            if (!IsValidUrl(s, start, hostStart, hostEnd, end, hasProtocol))
            {
                return;
            }

            if (!hasProtocol)
            {
                if (!withoutProtocol || (start > 0 && s[start - 1] is '-' or '_' or '.' or '/'))
                {
                    return;
                }

                // Only the ASCII domains inside the matched domain are links; the last one takes the path with it.
                // NOTE: twitter-text places each one with domain.indexOf(asciiDomain, end of the previous one), which
                // can find the same letters earlier ("t.coexample t.co" places "t.co" at the first "t.co"); so does this,
                // to report the same indices.
                var pending = default(UrlSpan);
                var any = false;
                var from = hostStart;
                var placedEnd = hostStart;
                while (NextAsciiDomain(s, from, hostEnd, out var domainStart, out var domainEnd))
                {
                    if (any)
                    {
                        sink.Add(pending);
                    }

                    var length = domainEnd - domainStart;
                    var placed = placedEnd + s[placedEnd..hostEnd].IndexOf(s[domainStart..domainEnd], StringComparison.Ordinal);
                    placedEnd = placed + length;
                    pending = new UrlSpan(placed, placedEnd, placed, placedEnd, false);
                    any = true;
                    from = domainEnd;
                }

                if (any)
                {
                    sink.Add(hasPath ? pending with { End = end, Length = pending.Length + (end - hostEnd) } : pending);
                }

                return;
            }

            // A t.co link is the slug and an optional query; characters after it are not part of it.
            if (hostEnd - hostStart == 4 && hostEnd < end && s[hostEnd] == '/' && s.Slice(hostStart, 4).Equals("t.co", StringComparison.OrdinalIgnoreCase))
            {
                var slugEnd = hostEnd + 1;
                while (slugEnd < end && IsAscii(s[slugEnd], Alnum))
                {
                    slugEnd++;
                }

                var slug = slugEnd - hostEnd - 1;
                if (slug > MaxTcoSlugLength)
                {
                    return;
                }

                if (slug > 0)
                {
                    end = slugEnd < end && s[slugEnd] == '?' && QueryEndFrom(s, slugEnd + 1, end) is var queryEnd and > 0 ? queryEnd : slugEnd;
                }
            }

            sink.Add(new UrlSpan(start, end, hostStart, hostEnd, true));
        }

        private readonly int NextDot(int from)
        {
            if (from >= _s.Length)
            {
                return -1;
            }

            var found = _s[from..].IndexOf('.');
            return found < 0 ? -1 : from + found;
        }

        /// <summary>Where "http://" or "https://" (any case) ends right before <paramref name="hostStart"/> begins, or -1.</summary>
        private readonly int ProtocolStart(int hostStart)
        {
            var s = _s;
            if (hostStart < 7 || s[hostStart - 1] != '/' || s[hostStart - 2] != '/' || s[hostStart - 3] != ':')
            {
                return -1;
            }

            if (s.Slice(hostStart - 7, 4).Equals("http", StringComparison.OrdinalIgnoreCase))
            {
                return hostStart - 7;
            }

            return hostStart >= 8 && s.Slice(hostStart - 8, 5).Equals("https", StringComparison.OrdinalIgnoreCase) ? hostStart - 8 : -1;
        }

        /// <summary>
        /// The end of twitter-text's <c>validDomain</c> starting at <paramref name="u"/>, whose first label ends at
        /// <paramref name="dot"/>, or -1. <paramref name="lastUnderscore"/> is the last '_' before the dot.
        /// </summary>
        private int DomainAt(int u, int dot, int lastUnderscore, ref int tldAfterDot)
        {
            var s = _s;
            if (s[u] is '_' or '-' || s[dot - 1] is '_' or '-')
            {
                return -1;
            }

            // Subdomains are greedy: the name label is the last label that still leaves a TLD after it.
            var later = RestBest(dot);
            if (later >= 0)
            {
                return later;
            }

            if (lastUnderscore >= u)
            {
                return -1;
            }

            if (tldAfterDot == -2)
            {
                tldAfterDot = TldEnd(s, dot + 1, s.Length);
            }

            return tldAfterDot;
        }

        /// <summary>
        /// The domain end when the name label is one of the labels after <paramref name="dot"/> (the label before it
        /// being a subdomain), or -1. Computed for a whole chain of dots at once and remembered.
        /// </summary>
        private int RestBest(int dot)
        {
            while (_chainIndex < _chainCount && _chain[_chainIndex * 2] < dot)
            {
                _chainIndex++;
            }

            if (_chainIndex < _chainCount && _chain[_chainIndex * 2] == dot)
            {
                return _chain[(_chainIndex * 2) + 1];
            }

            var s = _s;
            _chainCount = 0;
            _chainIndex = 0;
            var current = dot;
            while (true)
            {
                Push(current);
                var labelStart = current + 1;
                var labelEnd = labelStart;
                while (labelEnd < s.Length && IsLabelChar(s[labelEnd]))
                {
                    labelEnd++;
                }

                if (labelEnd >= s.Length || s[labelEnd] != '.' || labelEnd == labelStart
                    || s[labelStart] is '_' or '-' || s[labelEnd - 1] is '_' or '-')
                {
                    break;
                }

                current = labelEnd;
            }

            _chain[((_chainCount - 1) * 2) + 1] = -1;
            for (var i = _chainCount - 2; i >= 0; i--)
            {
                var next = _chain[(i + 1) * 2];
                var best = _chain[((i + 1) * 2) + 1];
                if (best < 0 && s[(_chain[i * 2] + 1)..next].IndexOf('_') < 0)
                {
                    best = TldEnd(s, next + 1, s.Length);
                }

                _chain[(i * 2) + 1] = best;
            }

            return _chain[1];
        }

        private void Push(int dot)
        {
            if ((_chainCount * 2) + 2 > _chain.Length)
            {
                var bigger = ArrayPool<int>.Shared.Rent(_chain.Length * 2);
                _chain[..(_chainCount * 2)].CopyTo(bigger);
                if (_rented is not null)
                {
                    ArrayPool<int>.Shared.Return(_rented);
                }

                _rented = bigger;
                _chain = bigger;
            }

            _chain[_chainCount * 2] = dot;
            _chainCount++;
        }

        private static bool IsValidUrl(ReadOnlySpan<char> s, int start, int hostStart, int hostEnd, int end, bool hasProtocol)
        {
            var domain = s[hostStart..hostEnd];
            if (domain.StartsWith("xn--", StringComparison.Ordinal) && !NextAsciiDomain(s, hostStart, hostEnd, out _, out _))
            {
                return false;
            }

            var labelStart = 0;
            for (var i = 0; i <= domain.Length; i++)
            {
                if (i < domain.Length && domain[i] != '.')
                {
                    continue;
                }

                var length = PunycodeLength(domain[labelStart..i]);
                if (length < 1 || length > MaxLabelLength)
                {
                    return false;
                }

                labelStart = i + 1;
            }

            // NOTE: twitter-text adds the punycode length minus the domain length here, but its idna.toAscii returns the
            // domain unchanged, so the check is on the URL as written ("https://" assumed when it has no protocol).
            var protocolLength = hasProtocol ? hostStart - start : "https://".Length;
            return protocolLength + (end - start) <= MaxUrlLength;
        }

        /// <summary>
        /// twitter-text's <c>validAsciiDomain</c> searched in [<paramref name="from"/>, <paramref name="limit"/>):
        /// labels of ASCII letters, digits, '-' and Latin letters with accents, then a TLD.
        /// </summary>
        private static bool NextAsciiDomain(ReadOnlySpan<char> s, int from, int limit, out int start, out int end)
        {
            var q = from;
            while (q < limit)
            {
                while (q < limit && !IsAsciiLabelChar(s[q]))
                {
                    q++;
                }

                var runStart = q;
                while (q < limit && IsAsciiLabelChar(s[q]))
                {
                    q++;
                }

                if (q >= limit || s[q] != '.' || q == runStart)
                {
                    continue;
                }

                // The labels after the first one are the same wherever in the run the match starts, so the leftmost
                // start wins or none does. Labels are greedy: try the TLD after the last one first.
                var lastDot = q;
                while (true)
                {
                    var next = lastDot + 1;
                    while (next < limit && IsAsciiLabelChar(s[next]))
                    {
                        next++;
                    }

                    if (next < limit && s[next] == '.' && next > lastDot + 1)
                    {
                        lastDot = next;
                    }
                    else
                    {
                        break;
                    }
                }

                for (var d = lastDot; d >= q;)
                {
                    var tld = TldEnd(s, d + 1, limit);
                    if (tld >= 0)
                    {
                        start = runStart;
                        end = tld;
                        return true;
                    }

                    if (d == q)
                    {
                        break;
                    }

                    d--;
                    while (s[d] != '.')
                    {
                        d--;
                    }
                }

                q++;
            }

            start = end = -1;
            return false;
        }
    }
}
