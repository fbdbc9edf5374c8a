using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using PostGate.Rules.Engine;
using PostGate.Rules.Policy;

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

    public override RuleDescriptor Descriptor => Definition;

    protected override JsonTypeInfo<SalesPhrasesOptions> OptionsTypeInfo => PolicyJsonContext.Default.SalesPhrasesOptions;

    protected override void Evaluate(PostContext post, SalesPhrasesOptions options, FindingSink sink)
    {
        var hits = new List<(TextSpan Span, int Weight, string Category, string? Suggest, string Key)>();
        CollectPhrases(post, options, hits);
        CollectPatterns(post, options, hits);
        var parts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var score = 0;
        var counted = new HashSet<string>(StringComparer.Ordinal);
        var suggestions = new List<string>();
        foreach (var hit in hits)
        {
            if (!counted.Add(hit.Key))
            {
                continue;
            }

            score += hit.Weight;
            parts[hit.Category] = parts.GetValueOrDefault(hit.Category) + hit.Weight;
            if (hit.Suggest is not null && suggestions.Count < 2)
            {
                suggestions.Add($"\"{hit.Suggest}\" instead of \"{post.Draft.Text.Substring(hit.Span.Start, hit.Span.Length)}\"");
            }
        }

        var emoji = CollectEmoji(post.Draft.Text, options);
        var emojiScore = Math.Max(0, emoji.Count - options.EmojiAllowance) * options.EmojiWeight;
        if (emojiScore > 0)
        {
            score += emojiScore;
            parts["emoji"] = emojiScore;
            foreach (var span in emoji)
            {
                hits.Add((span, 0, "emoji", null, "emoji"));
            }
        }

        sink.HardSell = new HardSellAnalysis(score, parts);
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

        hits.Sort((a, b) => a.Span.Start.CompareTo(b.Span.Start));
        var spans = hits.Select(h => h.Span).ToList();
        var quotes = spans.Select(s => post.Draft.Text.Substring(s.Start, s.Length)).ToList();
        var suggestionText = suggestions.Count > 0
            ? $"Try {string.Join(", or ", suggestions)}."
            : "Say what changes for the customer instead, e.g. \"Here's what the update fixes for you.\"";
        sink.Report(Descriptor, options, severity, spans, quotes,
            ("quoted", Templates.QuoteList(quotes)), ("score", score), ("suggestions", suggestionText));
    }

    private static void CollectPhrases(PostContext post, SalesPhrasesOptions options, List<(TextSpan, int, string, string?, string)> hits)
    {
        var found = options.Matcher.FindAll(post.Normalized.Text);
        if (found.Count == 0)
        {
            return;
        }

        // NOTE: an exception ("gluten-free") silences the lexicon phrases that lie inside it ("free").
        var exceptions = options.Exceptions.Count == 0 ? [] : options.ExceptionMatcher.FindAllOverlapping(post.Normalized.Text);
        foreach (var hit in found)
        {
            if (exceptions.Any(e => hit.Start >= e.Start && hit.Start + hit.Length <= e.Start + e.Length))
            {
                continue;
            }

            var phrase = options.Phrases[hit.PhraseIndex];
            hits.Add((post.Normalized.ToOriginal(hit.Start, hit.Length), phrase.Weight, phrase.Category, phrase.Suggest, "p" + hit.PhraseIndex.ToString(CultureInfo.InvariantCulture)));
        }
    }

    private static void CollectPatterns(PostContext post, SalesPhrasesOptions options, List<(TextSpan, int, string, string?, string)> hits)
    {
        try
        {
            // NOTE: most posts match no pattern; one scan of the alternation saves a scan per pattern.
            if (options.CompiledPatterns.Count == 0 || (options.AnyPattern is { } any && !any.IsMatch(post.Draft.Text)))
            {
                return;
            }
        }
        catch (RegexMatchTimeoutException)
        {
        }

        for (var i = 0; i < options.CompiledPatterns.Count; i++)
        {
            var pattern = options.Patterns[i];
            try
            {
                foreach (var match in options.CompiledPatterns[i].EnumerateMatches(post.Draft.Text))
                {
                    if (match.Length > 0)
                    {
                        hits.Add((new TextSpan(match.Index, match.Length), pattern.Weight, pattern.Category, pattern.Suggest, "r" + i.ToString(CultureInfo.InvariantCulture)));
                    }
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // NOTE: a pattern that runs out of time on this post counts as no match; the lexicon still applies.
            }
        }
    }

    private static List<TextSpan> CollectEmoji(string text, SalesPhrasesOptions options)
    {
        var spans = new List<TextSpan>();
        if (options.EmojiValues is not { } values)
        {
            return spans;
        }

        var at = 0;
        while (at < text.Length)
        {
            var found = text.AsSpan(at).IndexOfAny(values);
            if (found < 0)
            {
                break;
            }

            at += found;
            var length = 0;
            foreach (var emoji in options.HypeEmoji)
            {
                if (emoji.Length > length && text.AsSpan(at).StartsWith(emoji, StringComparison.Ordinal))
                {
                    length = emoji.Length;
                }
            }

            spans.Add(new TextSpan(at, length));
            at += Math.Max(length, 1);
        }

        return spans;
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

    public override RuleDescriptor Descriptor => Definition;

    protected override JsonTypeInfo<ShoutingOptions> OptionsTypeInfo => PolicyJsonContext.Default.ShoutingOptions;

    protected override void Evaluate(PostContext post, ShoutingOptions options, FindingSink sink)
    {
        var text = post.Draft.Text;
        var words = 0;
        var caps = new List<TextSpan>();
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
                caps.Add(new TextSpan(start, i - start));
                run++;
                longestRun = Math.Max(longestRun, run);
            }
            else
            {
                run = 0;
            }
        }

        if (caps.Count < options.MinCapsWords)
        {
            return;
        }

        if (longestRun < options.MinRun && caps.Count < options.MaxCapsShare * words)
        {
            return;
        }

        var quotes = caps.Select(s => text.Substring(s.Start, s.Length)).ToList();
        sink.Report(Descriptor, options, FindingSink.SeverityOf(Descriptor, options), caps, quotes,
            ("quoted", Templates.QuoteList(quotes)), ("count", caps.Count));
    }

    private static bool IsInsideLink(PostContext post, int index)
    {
        foreach (var link in post.ScannedLinks)
        {
            if (index >= link.Span.Start && index < link.Span.End)
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

    public override RuleDescriptor Descriptor => Definition;

    protected override JsonTypeInfo<ExclamationsOptions> OptionsTypeInfo => PolicyJsonContext.Default.ExclamationsOptions;

    protected override void Evaluate(PostContext post, ExclamationsOptions options, FindingSink sink)
    {
        var text = post.Draft.Text;
        var runs = new List<TextSpan>();
        var total = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (!IsBang(text[i]))
            {
                i++;
                continue;
            }

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
                runs.Add(new TextSpan(start, i - start));
            }
        }

        if (runs.Count == 0 && total <= options.MaxTotal)
        {
            return;
        }

        var quotes = runs.Count > 0
            ? runs.Select(s => text.Substring(s.Start, s.Length)).ToList()
            : [$"{total} '!'"];
        sink.Report(Descriptor, options, FindingSink.SeverityOf(Descriptor, options), runs, quotes,
            ("quoted", Templates.QuoteList(quotes)), ("count", total));
    }

    private static bool IsBang(char c) => c is '!' or '！' or '¡' or '‼';
}
