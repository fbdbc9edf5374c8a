using System.Buffers;
using System.Globalization;
using PostGate.Rules.Engine;

namespace PostGate.Rules.Text;

/// <summary>What X's own counter (twitter-text's <c>parseTweet</c>) says about a post.</summary>
/// <param name="Weighted">The weighted length: most characters count 1, CJK and emoji 2, every link 23.</param>
/// <param name="Valid">Whether X would accept it: 1 to 280 weighted, and no U+FFFE, U+FEFF or U+FFFF.</param>
/// <param name="Permillage">The weighted length in thousandths of 280.</param>
/// <param name="ValidRangeEnd">The index (UTF-16, inclusive) of the last character that still fits.</param>
/// <param name="DisplayRangeEnd">The index of the last character.</param>
public sealed record XLength(int Weighted, bool Valid, int Permillage, int ValidRangeEnd, int DisplayRangeEnd);

/// <summary>
/// How long a post is in its channel's own measure: X's weighted length (twitter-text configuration v3), Bluesky's
/// graphemes, Mastodon's count, and characters elsewhere.
/// </summary>
public static class WeightedLength
{
    public const string Weighted = "weighted";
    public const string Characters = "characters";
    public const string Graphemes = "graphemes";

    /// <summary>X's limit, in weighted characters.</summary>
    public const int XLimit = 280;

    /// <summary>What one link counts on X (every t.co link has 23 characters) and on Mastodon.</summary>
    public const int LinkLength = 23;

    // twitter-text configuration v3: weights in hundredths; characters in these ranges weigh 1, others 2.
    private const int Scale = 100, DefaultWeight = 200, LightWeight = 100;

    private static readonly SearchValues<char> AllAscii = SearchValues.Create(Enumerable.Range(0, 0x80).Select(c => (char)c).ToArray());

    // ASCII that cannot start an emoji: all but the keycap bases '#', '*' and '0'..'9'.
    private static readonly SearchValues<char> PlainAscii =
        SearchValues.Create(Enumerable.Range(0, 0x80).Select(c => (char)c).Where(c => c is not ('#' or '*' or (>= '0' and <= '9'))).ToArray());

    /// <summary>The limit each network sets; <see cref="Channel.Other"/> has none (0).</summary>
    public static int DefaultLimit(Channel channel) => channel switch
    {
        Channel.X => XLimit,
        Channel.LinkedIn => 3_000,
        Channel.Facebook => 63_206,
        Channel.Instagram => 2_200,
        Channel.Threads => 500,
        Channel.Bluesky => 300,
        Channel.Mastodon => 500,
        _ => 0,
    };

    /// <summary>The unit a channel counts in: "weighted" (X), "graphemes" (Bluesky) or "characters".</summary>
    public static string UnitOf(Channel channel) => channel switch
    {
        Channel.X => Weighted,
        Channel.Bluesky => Graphemes,
        _ => Characters,
    };

    /// <summary>The post's length in its channel's measure and the channel's limit; null for a channel without one.</summary>
    public static ChannelLength? Measure(string text, Channel channel)
    {
        var limit = DefaultLimit(channel);
        return limit > 0 ? Measure(text, channel, limit) : null;
    }

    /// <summary>The post's length in its channel's measure, against <paramref name="limit"/>.</summary>
    public static ChannelLength Measure(string text, Channel channel, int limit) => Measure(text, channel, limit, out _);

    /// <summary>X's weighted length of the text (configuration v3: emoji sequences count 2, links 23, after NFC).</summary>
    public static int Of(string text) => ParseX(text).Weighted;

    /// <summary>Everything X's counter reports for a text (twitter-text's <c>parseTweet</c> with configuration v3).</summary>
    public static XLength ParseX(string text) => ParseX(text, emojiParsing: true);

    /// <summary>User-perceived characters (extended grapheme clusters), as Bluesky counts them.</summary>
    public static int GraphemeCount(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = 0;
        for (var i = 0; i < text.Length; i += GraphemeLength(text, i))
        {
            count++;
        }

        return count;
    }

    /// <summary>twitter-text's <c>parseTweet</c>; <paramref name="emojiParsing"/> false is configuration v2.</summary>
    internal static XLength ParseX(string text, bool emojiParsing)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = Nfc.Normalize(text);
        var walk = new XWalk(normalized, emojiParsing, XLimit);
        UrlExtractor.Find(normalized, withoutProtocol: true, ref walk);
        walk.Finish();
        var weighted = (int)(walk.Total / Scale);
        return new XLength(
            weighted,
            walk.Valid && weighted > 0 && weighted <= XLimit,
            weighted * 1000 / XLimit,
            walk.ValidDisplayIndex + (text.Length - normalized.Length),
            text.Length > 0 ? text.Length - 1 : 0);
    }

    /// <summary>
    /// The length in the channel's measure, and in <paramref name="overflowAt"/> where (UTF-16 index of the text) the
    /// first unit past the limit starts, or -1 when the post fits.
    /// </summary>
    internal static ChannelLength Measure(string text, Channel channel, int limit, out int overflowAt)
    {
        ArgumentNullException.ThrowIfNull(text);
        int length;
        switch (channel)
        {
            case Channel.X:
                var normalized = Nfc.Normalize(text);
                var walk = new XWalk(normalized, emojiParsing: true, limit);
                UrlExtractor.Find(normalized, withoutProtocol: true, ref walk);
                walk.Finish();
                length = (int)(walk.Total / Scale);
                overflowAt = walk.OverflowAt;
                if (overflowAt >= 0 && !ReferenceEquals(normalized, text))
                {
                    // NOTE: NFC changed the text, so offsets into it are not offsets into the draft. Where the draft
                    // itself crosses the limit is close enough for a span; X's count still comes from the NFC text.
                    var original = new XWalk(text, emojiParsing: true, limit);
                    UrlExtractor.Find(text, withoutProtocol: true, ref original);
                    original.Finish();
                    overflowAt = original.OverflowAt >= 0 ? original.OverflowAt : StartOfLastChar(text);
                }

                break;
            case Channel.Bluesky:
                length = CountGraphemes(text, limit, out overflowAt);
                break;
            case Channel.Mastodon:
                length = MastodonLength(text, limit, out overflowAt);
                break;
            default:
                // NOTE: "characters" are UTF-16 code units, as the networks' web composers count them (an emoji may
                // count 2). That errs towards flagging a post the network would still take, never the reverse.
                length = text.Length;
                overflowAt = length > limit ? StartOfChar(text, limit) : -1;
                break;
        }

        return new ChannelLength(length, limit, UnitOf(channel));
    }

    /// <summary>The length of the grapheme cluster at <paramref name="i"/>, a boundary.</summary>
    // NOTE: StringInfo costs about 15 ns a character; two ASCII characters other than CR LF always have a boundary
    // between them (UAX #29), which covers most of most posts.
    private static int GraphemeLength(string text, int i)
    {
        var c = text[i];
        if (c < 0x80 && c != '\r' && (i + 1 == text.Length || text[i + 1] < 0x80))
        {
            return 1;
        }

        return StringInfo.GetNextTextElementLength(text.AsSpan(i));
    }

    private static int Weight(char c) =>
        c <= 4351 || c is (>= (char)8192 and <= (char)8205) or (>= (char)8208 and <= (char)8223) or (>= (char)8242 and <= (char)8247)
            ? LightWeight
            : DefaultWeight;

    private static bool IsInvalid(char c) => c is '\uFFFE' or '\uFEFF' or '\uFFFF';

    private static int StartOfChar(string text, int index) =>
        index > 0 && index < text.Length && char.IsLowSurrogate(text[index]) && char.IsHighSurrogate(text[index - 1]) ? index - 1 : index;

    private static int StartOfLastChar(string text) => text.Length == 0 ? 0 : StartOfChar(text, text.Length - 1);

    private static int CountGraphemes(string text, int limit, out int overflowAt)
    {
        overflowAt = -1;
        var count = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (++count > limit && overflowAt < 0)
            {
                overflowAt = i;
            }

            i += GraphemeLength(text, i);
        }

        return count;
    }

    /// <summary>
    /// Mastodon's count (StatusLengthValidator): graphemes, a link with a scheme counts 23, and a remote mention
    /// "@name@server" counts as "@name".
    /// </summary>
    private static int MastodonLength(string text, int limit, out int overflowAt)
    {
        var walk = new MastodonWalk(text, limit);
        UrlExtractor.Find(text, withoutProtocol: false, ref walk);
        walk.Finish();
        overflowAt = walk.OverflowAt;
        return walk.Count;
    }

    /// <summary>Walks a text as parseTweet does: links first, then emoji, then character weights.</summary>
    private struct XWalk(string text, bool emojiParsing, int limit) : IUrlSink
    {
        private readonly long _limit = (long)limit * Scale;
        private int _position;

        public long Total { get; private set; }

        public bool Valid { get; private set; } = true;

        public int ValidDisplayIndex { get; private set; }

        public int OverflowAt { get; private set; } = -1;

        public void Add(UrlSpan url)
        {
            Walk(url.Start);

            // NOTE: parseTweet looks links up by start index; one that starts inside an emoji it just counted is skipped.
            if (_position == url.Start)
            {
                Step(url.Start, url.Start + url.Length - 1, LinkLength * Scale);
                _position = url.Start + url.Length;
            }
        }

        public void Finish() => Walk(text.Length);

        private void Walk(int to)
        {
            var s = text.AsSpan();
            while (_position < to)
            {
                var i = _position;
                var c = s[i];
                if (c < 0x80 && !(emojiParsing && c is '#' or '*' or (>= '0' and <= '9')))
                {
                    // A run of ASCII that cannot start an emoji (no keycap bases) weighs 1 a character.
                    var run = s[i..to].IndexOfAnyExcept(emojiParsing ? PlainAscii : AllAscii);
                    var count = run < 0 ? to - i : run;
                    StepRun(i, count);
                    _position = i + count;
                }
                else if (emojiParsing && Emoji.LengthAt(s, i) is var emoji and > 0)
                {
                    Step(i, i + emoji - 1, DefaultWeight);
                    _position = i + emoji;
                }
                else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                {
                    Step(i, i + 1, DefaultWeight);
                    _position = i + 2;
                }
                else
                {
                    Step(i, i, Weight(c));
                    _position = i + 1;
                }
            }
        }

        /// <summary>Steps over <paramref name="count"/> characters of weight 1 at once.</summary>
        private void StepRun(int start, int count)
        {
            var before = Total;
            Total += (long)count * LightWeight;
            if (OverflowAt < 0 && Total > _limit)
            {
                OverflowAt = start + (int)Math.Max(0, (_limit - before) / LightWeight);
            }

            if (Valid && before + LightWeight <= XLimit * Scale)
            {
                ValidDisplayIndex = start + (int)Math.Min(count, ((XLimit * Scale) - before) / LightWeight) - 1;
            }
        }

        private void Step(int start, int last, int weight)
        {
            Total += weight;
            if (OverflowAt < 0 && Total > _limit)
            {
                OverflowAt = start;
            }

            if (Valid)
            {
                Valid = !IsInvalid(text[last]);
            }

            if (Valid && Total <= XLimit * Scale)
            {
                ValidDisplayIndex = last;
            }
        }
    }

    private struct MastodonWalk(string text, int limit) : IUrlSink
    {
        private int _position;

        public int Count { get; private set; }

        public int OverflowAt { get; private set; } = -1;

        public void Add(UrlSpan url)
        {
            Walk(url.Start);
            if (_position == url.Start)
            {
                Step(url.Start, LinkLength);
                _position = url.End;
            }
        }

        public void Finish() => Walk(text.Length);

        private void Walk(int to)
        {
            var s = text.AsSpan();
            while (_position < to)
            {
                var i = _position;
                if (s[i] == '@' && MentionAt(s, i, out var end, out var local))
                {
                    Step(i, local);
                    _position = end;
                    continue;
                }

                Step(i, 1);
                _position = i + GraphemeLength(text, i);
            }
        }

        private void Step(int start, int count)
        {
            Count += count;
            if (OverflowAt < 0 && Count > limit)
            {
                OverflowAt = start;
            }
        }

        /// <summary>"@name" or "@name@server" (Mastodon's MENTION_RE); <paramref name="counted"/> is the length of "@name".</summary>
        private static bool MentionAt(ReadOnlySpan<char> s, int at, out int end, out int counted)
        {
            end = counted = 0;
            if (at > 0 && (IsWordChar(s[at - 1]) || s[at - 1] is '=' or '/'))
            {
                return false;
            }

            var name = Dotted(s, at + 1, static c => char.IsAsciiLetterOrDigit(c) || c == '_');
            if (name == at + 1)
            {
                return false;
            }

            end = name;
            if (name + 1 < s.Length && s[name] == '@' && Dotted(s, name + 1, IsWordChar) is var server && server > name + 1)
            {
                end = server;
            }

            // twitter-text's end_mention_match: a mention is not followed by another '@' or by "://".
            if (end < s.Length && (s[end] is '@' or '\uFF20' || s[end..].StartsWith("://", StringComparison.Ordinal)))
            {
                return false;
            }

            counted = name - at;
            return true;
        }

        /// <summary>The end of word [.-]+ word … starting at <paramref name="i"/>; <paramref name="i"/> when there is none.</summary>
        private static int Dotted(ReadOnlySpan<char> s, int i, Func<char, bool> isWord)
        {
            var end = i;
            var j = i;
            while (j < s.Length)
            {
                var start = j;
                while (j < s.Length && isWord(s[j]))
                {
                    j++;
                }

                if (j == start)
                {
                    break;
                }

                end = j;
                while (j < s.Length && s[j] is '.' or '-')
                {
                    j++;
                }

                if (j == end)
                {
                    break;
                }
            }

            return end;
        }

        private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
    }
}
