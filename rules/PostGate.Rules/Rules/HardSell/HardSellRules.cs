using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using PostGate.Rules.Engine;
using PostGate.Rules.Policy;
using PostGate.Rules.Text;

namespace PostGate.Rules.Rules.HardSell;

/// <summary>PG201: flags sales pressure from the policy's lexicon.</summary>
public sealed class SalesPhrasesRule : Rule<SalesPhrasesOptions>
{
    public static RuleDescriptor Definition { get; } = RuleDescriptor.Create(
        id: "PG201",
        name: "hard-sell/phrases",
        title: "Hard-sell phrases",
        message: "{quoted} read as a sales pitch (score {score}).",
        coaching: "{quoted} pressure rather than persuade, and pitches are what people scroll past. {suggestions}",
        action: "Drop the sales pressure and say what changes for the customer",
        why: "Pushed messages carry almost no credibility; urgency and hype spend the trust a brand earns by helping.",
        defaultSeverity: Severity.Coach);

    private static readonly FindingFormat<(SpanTexts Quotes, int Score, Suggestions Suggested)> Format = new(
        Definition,
        evidence: null,
        ("quoted", static v => TemplateValue.Quotes(v.Quotes)),
        ("score", static v => v.Score),
        ("suggestions", static v => v.Suggested.Write(v.Quotes.Text)));

    public override RuleDescriptor Descriptor => Definition;

    protected override JsonTypeInfo<SalesPhrasesOptions> OptionsTypeInfo => PolicyJsonContext.Default.SalesPhrasesOptions;

    protected override void Evaluate(PostContext post, SalesPhrasesOptions options, FindingSink sink)
    {
        var text = post.Draft.Text;
        List<Hit>? hits = null;
        CollectPhrases(post, options, ref hits);
        CollectPatterns(text, options, ref hits);
        var parts = default(HardSellParts.Builder);
        var score = 0;
        var keys = options.Phrases.Count + options.Patterns.Count;
        Span<bool> counted = keys <= 512 ? stackalloc bool[keys] : new bool[keys];
        counted.Clear();
        Suggestions suggestions = default;
        if (hits is not null)
        {
            foreach (var hit in hits)
            {
                if (counted[hit.Key])
                {
                    continue;
                }

                counted[hit.Key] = true;
                score += hit.Weight;
                parts.Add(hit.Category, hit.Weight);
                if (hit.Suggest is not null)
                {
                    suggestions.Add(hit.Suggest, hit.Span);
                }
            }
        }

        var emoji = CollectEmoji(text, options);
        var emojiScore = Math.Max(0, (emoji?.Count ?? 0) - options.EmojiAllowance) * options.EmojiWeight;
        if (emojiScore > 0)
        {
            score += emojiScore;
            parts.Set("emoji", emojiScore);
            foreach (var span in emoji!)
            {
                (hits ??= Scratch()).Add(new Hit(span, 0, "emoji", null, -1));
            }
        }

        sink.SetHardSell(score, parts.IsEmpty ? null : parts.ToArray());
        if (score == 0)
        {
            return;
        }

        var severity = FindingSink.SeverityOf(Descriptor, options);
        if (severity != Severity.Off)
        {
            if (score >= options.BlockAtScore)
            {
                severity = Severity.Block;
            }
            else if (score >= options.ReviewAtScore && severity < Severity.Review)
            {
                severity = Severity.Review;
            }
        }

        var spans = new TextSpan[hits!.Count];
        for (var i = 0; i < spans.Length; i++)
        {
            spans[i] = hits[i].Span;
        }

        Array.Sort(spans, static (a, b) => a.Start.CompareTo(b.Start));
        var quotes = new SpanTexts(text, spans);
        sink.Report(Format, options, severity, spans, quotes, (quotes, score, suggestions));
    }

    private static void CollectPhrases(PostContext post, SalesPhrasesOptions options, ref List<Hit>? hits)
    {
        var found = t_found ??= [];
        found.Clear();
        var normalized = post.Normalized;
        options.Matcher.FindAll(normalized.Chars, TextWords.For(normalized), found);
        if (found.Count == 0)
        {
            return;
        }

        // NOTE: an exception ("gluten-free") silences the lexicon phrases that lie inside it ("free"); only the
        // stretch before each hit, where an exception covering it would start, is searched.
        var checkExceptions = options.Exceptions.Count > 0;
        foreach (var hit in found)
        {
            if (checkExceptions && options.ExceptionMatcher.Covers(normalized.Chars, hit.Start, hit.Length))
            {
                continue;
            }

            var phrase = options.Phrases[hit.PhraseIndex];
            (hits ??= Scratch()).Add(new Hit(normalized.ToOriginal(hit.Start, hit.Length), phrase.Weight, phrase.Category, phrase.Suggest, hit.PhraseIndex));
        }

        found.Clear();
    }

    private static void CollectPatterns(string text, SalesPhrasesOptions options, ref List<Hit>? hits)
    {
        if (options.CompiledPatterns.Count == 0)
        {
            return;
        }

        // NOTE: a post without digits needs no scan at all when every pattern needs one.
        var anyDigit = ContainsDigit(text);
        if (options.AllPatternsNeedDigit && !anyDigit)
        {
            return;
        }

        try
        {
            // NOTE: most posts match no pattern; one scan of the alternation saves a scan per pattern.
            if (options.AnyPattern is { } any && !any.IsMatch(text))
            {
                return;
            }
        }
        catch (RegexMatchTimeoutException)
        {
        }

        for (var i = 0; i < options.CompiledPatterns.Count; i++)
        {
            if (options.PatternNeedsDigit[i] && !anyDigit)
            {
                continue;
            }

            var pattern = options.Patterns[i];
            try
            {
                foreach (var match in options.CompiledPatterns[i].EnumerateMatches(text))
                {
                    if (match.Length > 0)
                    {
                        (hits ??= Scratch()).Add(new Hit(new TextSpan(match.Index, match.Length), pattern.Weight, pattern.Category, pattern.Suggest, options.Phrases.Count + i));
                    }
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // NOTE: a pattern that runs out of time on this post counts as no match; the lexicon still applies.
            }
        }
    }

    /// <summary>Whether the text holds a character <c>\d</c> matches (a Unicode decimal digit).</summary>
    internal static bool ContainsDigit(ReadOnlySpan<char> text)
    {
        if (text.IndexOfAnyInRange('0', '9') >= 0)
        {
            return true;
        }

        // NOTE: no ASCII character is a digit here, so only the characters beyond ASCII are looked at, found by a
        // vectorized search from one to the next.
        var at = 0;
        while (true)
        {
            var nonAscii = text[at..].IndexOfAnyExceptInRange('\0', '\u007F');
            if (nonAscii < 0)
            {
                return false;
            }

            at += nonAscii;
            if (char.IsDigit(text[at]))
            {
                return true;
            }

            at++;
        }
    }

    private static List<TextSpan>? CollectEmoji(string text, SalesPhrasesOptions options)
    {
        List<TextSpan>? spans = null;
        if (options.EmojiStarts is not { } starts)
        {
            return spans;
        }

        // NOTE: a scan for the emoji's first characters is vectorized, where one for the emoji themselves walks the
        // text a character at a time; each stop is then checked against the emoji.
        var emojiList = options.HypeEmoji;
        var at = 0;
        while (at < text.Length)
        {
            var found = text.AsSpan(at).IndexOfAny(starts);
            if (found < 0)
            {
                break;
            }

            at += found;
            var length = 0;
            for (var k = 0; k < emojiList.Count; k++)
            {
                var emoji = emojiList[k];
                if (emoji.Length > length && text.AsSpan(at).StartsWith(emoji, StringComparison.Ordinal))
                {
                    length = emoji.Length;
                }
            }

            if (length > 0)
            {
                (spans ??= []).Add(new TextSpan(at, length));
            }

            at += Math.Max(length, 1);
        }

        return spans;
    }

    [ThreadStatic]
    private static List<PhraseHit>? t_found;

    [ThreadStatic]
    private static List<Hit>? t_hits;

    /// <summary>The hit list of this thread, emptied: one evaluation at a time runs on a thread.</summary>
    private static List<Hit> Scratch()
    {
        var hits = t_hits ??= [];
        hits.Clear();
        return hits;
    }

    /// <summary>A phrase or pattern found in the post; <see cref="Key"/> tells phrases and patterns apart, -1 for emoji.</summary>
    private readonly record struct Hit(TextSpan Span, int Weight, string Category, string? Suggest, int Key);

    /// <summary>The first two gentler wordings, written out only when the coaching is read.</summary>
    private struct Suggestions
    {
        private (string Suggest, TextSpan Span) _first;
        private (string Suggest, TextSpan Span) _second;
        private int _count;

        public void Add(string suggest, TextSpan span)
        {
            if (_count == 0)
            {
                _first = (suggest, span);
            }
            else if (_count == 1)
            {
                _second = (suggest, span);
            }
            else
            {
                return;
            }

            _count++;
        }

        /// <summary>The sentence that offers them, the originals quoted from <paramref name="text"/>.</summary>
        public readonly string Write(string text)
        {
            if (_count == 0)
            {
                return "Say what changes for the customer instead, e.g. \"Here's what the update fixes for you.\"";
            }

            var one = Instead(text, _first);
            return _count == 1 ? $"Try {one}." : $"Try {one}, or {Instead(text, _second)}.";
        }

        private static string Instead(string text, (string Suggest, TextSpan Span) suggestion) =>
            $"\"{suggestion.Suggest}\" instead of \"{text.Substring(suggestion.Span.Start, suggestion.Span.Length)}\"";
    }
}

/// <summary>PG202: flags ALL-CAPS shouting.</summary>
public sealed class ShoutingRule : Rule<ShoutingOptions>
{
    public static RuleDescriptor Definition { get; } = RuleDescriptor.Create(
        id: "PG202",
        name: "hard-sell/shouting",
        title: "Shouting in capitals",
        message: "{count} words are in capitals: {quoted}.",
        coaching: "Capitals read as shouting: {quoted}. Normal case will be read more kindly.",
        action: "Write in normal case",
        why: "Capitals read as shouting, and people tune out whoever shouts in their feed.",
        defaultSeverity: Severity.Coach);

    private static readonly FindingFormat<(SpanTexts Quotes, int Count)> Format = new(
        Definition,
        evidence: null,
        ("quoted", static v => TemplateValue.Quotes(v.Quotes)),
        ("count", static v => v.Count));

    public override RuleDescriptor Descriptor => Definition;

    protected override JsonTypeInfo<ShoutingOptions> OptionsTypeInfo => PolicyJsonContext.Default.ShoutingOptions;

    protected override void Evaluate(PostContext post, ShoutingOptions options, FindingSink sink)
    {
        var text = post.Draft.Text;
        if (CapitalPairs(text, options.MinCapsWords) < options.MinCapsWords)
        {
            return;
        }

        var words = 0;
        List<TextSpan>? caps = null;
        var run = 0;
        var longestRun = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetter(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            var letters = 0;
            var upper = 0;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '\''))
            {
                if (char.IsLetter(text[i]))
                {
                    letters++;
                    if (char.IsUpper(text[i]))
                    {
                        upper++;
                    }
                }

                i++;
            }

            if (letters < 2 || IsInsideLink(post, start))
            {
                continue;
            }

            words++;
            if (upper == letters && !IsAcronym(options, text.AsSpan(start, i - start)))
            {
                (caps ??= []).Add(new TextSpan(start, i - start));
                run++;
                longestRun = Math.Max(longestRun, run);
            }
            else
            {
                run = 0;
            }
        }

        var capsCount = caps?.Count ?? 0;
        if (capsCount < options.MinCapsWords)
        {
            return;
        }

        if (longestRun < options.MinRun && capsCount < options.MaxCapsShare * words)
        {
            return;
        }

        caps ??= [];
        var quotes = new SpanTexts(text, caps);
        sink.Report(Format, options, FindingSink.SeverityOf(Descriptor, options), caps, quotes, (quotes, capsCount));
    }

    /// <summary>
    /// Counts capital letters followed, past any digits and apostrophes, by another capital, up to
    /// <paramref name="needed"/>. A word in capitals starts with such a pair, so with fewer pairs than
    /// <see cref="ShoutingOptions.MinCapsWords"/> no count of words can reach it.
    /// </summary>
    internal static int CapitalPairs(string text, int needed)
    {
        var count = 0;
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // NOTE: capitals are rare, so thirty-two characters at a time are screened for ASCII capitals and anything
            // beyond ASCII, and only those positions are looked at.
            ref var units = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text.AsSpan()));
            for (; i + Vector512<ushort>.Count <= text.Length && count < needed; i += Vector512<ushort>.Count)
            {
                var block = Vector512.LoadUnsafe(ref units, (nuint)i);
                var candidates = (Vector512.LessThanOrEqual(block - Vector512.Create((ushort)'A'), Vector512.Create((ushort)('Z' - 'A')))
                    | Vector512.GreaterThan(block, Vector512.Create((ushort)0x7F))).ExtractMostSignificantBits();
                while (candidates != 0 && count < needed)
                {
                    var at = i + BitOperations.TrailingZeroCount(candidates);
                    candidates &= candidates - 1;
                    count += PairAt(text, at) ? 1 : 0;
                }
            }
        }

        while (count < needed && i < text.Length)
        {
            var next = text.AsSpan(i).IndexOfAnyExcept(NotCapitals);
            if (next < 0)
            {
                break;
            }

            i += next;
            count += PairAt(text, i) ? 1 : 0;
            i++;
        }

        return count;
    }

    /// <summary>Whether a capital at <paramref name="i"/> is followed by another, digits and apostrophes between them.</summary>
    private static bool PairAt(string text, int i)
    {
        if (!char.IsUpper(text[i]))
        {
            return false;
        }

        var j = i + 1;
        while (j < text.Length && (char.IsDigit(text[j]) || text[j] == '\''))
        {
            j++;
        }

        return j < text.Length && char.IsUpper(text[j]);
    }

    /// <summary>ASCII other than capitals: what the search for capitals skips (anything beyond ASCII is looked at).</summary>
    private static readonly SearchValues<char> NotCapitals = SearchValues.Create(
        string.Concat(Enumerable.Range(0, 128).Where(c => c is < 'A' or > 'Z').Select(c => (char)c)));

    private static bool IsInsideLink(PostContext post, int index)
    {
        var links = post.ScannedLinks;
        for (var k = 0; k < links.Count; k++)
        {
            var span = links[k].Span;
            if (index >= span.Start && index < span.End)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAcronym(ShoutingOptions options, ReadOnlySpan<char> word)
    {
        foreach (var acronym in options.Acronyms)
        {
            if (word.Equals(acronym, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>PG203: flags runs of exclamation marks.</summary>
public sealed class ExclamationsRule : Rule<ExclamationsOptions>
{
    public static RuleDescriptor Definition { get; } = RuleDescriptor.Create(
        id: "PG203",
        name: "hard-sell/exclamations",
        title: "Exclamation marks piled up",
        message: "{quoted} piles up exclamation marks.",
        coaching: "{quoted} reads as shouting. One '!' at most will be read more kindly.",
        action: "Keep one '!' at most",
        why: "Piled-up exclamation marks read as hype, and hype spends trust.",
        defaultSeverity: Severity.Coach);

    private static readonly FindingFormat<(IReadOnlyList<string> Quotes, int Count)> Format = new(
        Definition,
        evidence: null,
        ("quoted", static v => TemplateValue.Quotes(v.Quotes)),
        ("count", static v => v.Count));

    public override RuleDescriptor Descriptor => Definition;

    protected override JsonTypeInfo<ExclamationsOptions> OptionsTypeInfo => PolicyJsonContext.Default.ExclamationsOptions;

    protected override void Evaluate(PostContext post, ExclamationsOptions options, FindingSink sink)
    {
        var text = post.Draft.Text;
        List<TextSpan>? runs = null;
        var total = 0;
        var i = 0;
        while (i < text.Length)
        {
            var next = text.AsSpan(i).IndexOfAny(Bangs);
            if (next < 0)
            {
                break;
            }

            i += next;
            var start = i;
            var bangs = 0;
            var marks = 0;
            while (i < text.Length && (IsBang(text[i]) || text[i] == '?'))
            {
                // NOTE: '‼' is two exclamation marks in one character.
                var weight = text[i] == '‼' ? 2 : 1;
                if (IsBang(text[i]))
                {
                    bangs += weight;
                }

                marks += weight;
                i++;
            }

            total += bangs;
            if (marks > options.MaxRun && bangs > 1)
            {
                (runs ??= []).Add(new TextSpan(start, i - start));
            }
        }

        if (runs is null && total <= options.MaxTotal)
        {
            return;
        }

        IReadOnlyList<string> quotes = runs is not null ? new SpanTexts(text, runs) : [$"{total} '!'"];
        sink.Report(Format, options, FindingSink.SeverityOf(Descriptor, options), runs is null ? Array.Empty<TextSpan>() : runs, quotes, (quotes, total));
    }

    private static readonly SearchValues<char> Bangs = SearchValues.Create("!！¡‼");

    private static bool IsBang(char c) => c is '!' or '！' or '¡' or '‼';
}
