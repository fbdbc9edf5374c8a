using System.Buffers;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using PostGate.Rules.Policy;
using PostGate.Rules.Text;

namespace PostGate.Rules.Rules.HardSell;

/// <summary>One entry of the hard-sell lexicon.</summary>
public sealed record SalesPhrase
{
    /// <summary>The phrase as people write it; matched whole-word after normalization.</summary>
    public string Text { get; set; } = string.Empty;

    /// <summary>How hard it pushes, 1 (mild) to 5 (strong). Default 1.</summary>
    public int Weight { get; set; } = 1;

    /// <summary>urgency, pressure, discount, guarantee, call-to-action or self-promotion.</summary>
    public string Category { get; set; } = "pressure";

    /// <summary>A gentler wording to offer instead, if there is one.</summary>
    public string? Suggest { get; set; }
}

/// <summary>A regular expression of the hard-sell lexicon, for what phrases cannot say ("50% off", "only $9.99").</summary>
public sealed record SalesPattern
{
    /// <summary>.NET regular expression, matched case-insensitively against the original text with RegexOptions.NonBacktracking.</summary>
    public string Pattern { get; set; } = string.Empty;

    /// <summary>How hard it pushes, 1 (mild) to 5 (strong). Default 1.</summary>
    public int Weight { get; set; } = 1;

    /// <summary>One of the phrase categories.</summary>
    public string Category { get; set; } = "discount";

    /// <summary>A gentler wording to offer instead, if there is one.</summary>
    public string? Suggest { get; set; }
}

/// <summary>Options of <c>hard-sell/phrases</c>.</summary>
public sealed record SalesPhrasesOptions : RuleOptions
{
    public static readonly IReadOnlyList<string> Categories = ["urgency", "pressure", "discount", "guarantee", "call-to-action", "self-promotion"];

    /// <summary>The lexicon.</summary>
    public IReadOnlyList<SalesPhrase> Phrases { get; set; } = [];

    /// <summary>Total weight from which the post is held for review. Default 6.</summary>
    public int ReviewAtScore { get; set; } = 6;

    /// <summary>Total weight from which the post is blocked. Default 12.</summary>
    public int BlockAtScore { get; set; } = 12;

    /// <summary>Regular expressions scored like phrases. Default none.</summary>
    public IReadOnlyList<SalesPattern> Patterns { get; set; } = [];

    /// <summary>Phrases that contain a lexicon phrase but are not selling ("gluten-free" is not "free"). Default none.</summary>
    public IReadOnlyList<string> Exceptions { get; set; } = [];

    /// <summary>Emoji that read as hype when piled up (money, fire, sirens). Default none.</summary>
    public IReadOnlyList<string> HypeEmoji { get; set; } = [];

    /// <summary>Hype emoji a post may carry before each further one adds <see cref="EmojiWeight"/> to the score. Default 1.</summary>
    public int EmojiAllowance { get; set; } = 1;

    /// <summary>Score each hype emoji past the allowance adds. Default 1.</summary>
    public int EmojiWeight { get; set; } = 1;

    /// <summary>How long one pattern may run on one post before it is abandoned. Default 50 ms.</summary>
    public int PatternTimeoutMs { get; set; } = 50;

    [JsonIgnore]
    public PhraseMatcher Matcher { get; private set; } = new([]);

    [JsonIgnore]
    public PhraseMatcher ExceptionMatcher { get; private set; } = new([]);

    [JsonIgnore]
    public IReadOnlyList<Regex> CompiledPatterns { get; private set; } = [];

    /// <summary>All patterns as one alternation: one scan tells whether any pattern can match at all.</summary>
    [JsonIgnore]
    public Regex? AnyPattern { get; private set; }

    [JsonIgnore]
    public SearchValues<string>? EmojiValues { get; private set; }

    /// <summary>The first characters of the hype emoji: where a scan for them can stop.</summary>
    [JsonIgnore]
    internal SearchValues<char>? EmojiStarts { get; private set; }

    /// <summary>For each pattern, whether every match of it holds a digit (<see cref="RequiresDigit"/>).</summary>
    [JsonIgnore]
    internal bool[] PatternNeedsDigit { get; private set; } = [];

    /// <summary>Whether every pattern needs a digit, so a post without one cannot match any.</summary>
    [JsonIgnore]
    internal bool AllPatternsNeedDigit { get; private set; }

    public override IEnumerable<(string Member, string Reason)> Validate()
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Phrases.Count; i++)
        {
            var phrase = Phrases[i];
            if (phrase is null)
            {
                yield return ($"phrases[{i}]", "must be an object");
                continue;
            }

            var folded = Normalizer.NormalizePhrase(phrase.Text ?? string.Empty);
            if (folded.Length == 0)
            {
                yield return ($"phrases[{i}].text", "empty phrase");
            }
            else if (seen.TryGetValue(folded, out var first))
            {
                yield return ($"phrases[{i}].text", $"'{phrase.Text}' repeats phrases[{first}]");
            }
            else
            {
                seen[folded] = i;
            }

            foreach (var error in Range($"phrases[{i}].weight", phrase.Weight, 1, 5))
            {
                yield return error;
            }

            if (!Categories.Contains(phrase.Category))
            {
                yield return ($"phrases[{i}].category", $"must be one of {string.Join(", ", Categories)} (was '{phrase.Category}')");
            }

            if (phrase.Suggest is { Length: 0 })
            {
                yield return ($"phrases[{i}].suggest", "empty suggestion; leave it out instead");
            }
        }

        foreach (var error in Range("reviewAtScore", ReviewAtScore, 1, 100))
        {
            yield return error;
        }

        foreach (var error in Range("blockAtScore", BlockAtScore, ReviewAtScore, 100))
        {
            yield return error;
        }

        foreach (var error in ValidatePatterns())
        {
            yield return error;
        }
    }

    public override void Prepare()
    {
        Matcher = new PhraseMatcher([.. Phrases.Select(p => p.Text)]);
        ExceptionMatcher = new PhraseMatcher(Exceptions);
        CompiledPatterns = [.. Patterns.Select(p => Compile(p.Pattern, PatternTimeoutMs))];
        AnyPattern = CompileAlternation(Patterns, PatternTimeoutMs);
        PatternNeedsDigit = [.. Patterns.Select(p => RequiresDigit(p.Pattern))];
        AllPatternsNeedDigit = PatternNeedsDigit.Length > 0 && Array.TrueForAll(PatternNeedsDigit, n => n);
        var emoji = HypeEmoji.Where(e => !string.IsNullOrEmpty(e)).Distinct(StringComparer.Ordinal).ToArray();
        EmojiValues = emoji.Length == 0 ? null : SearchValues.Create(emoji, StringComparison.Ordinal);
        EmojiStarts = emoji.Length == 0 ? null : SearchValues.Create([.. emoji.Select(e => e[0]).Distinct()]);
    }

    /// <summary>The patterns as one alternation, or null when they do not combine (each then runs on its own).</summary>
    private static Regex? CompileAlternation(IReadOnlyList<SalesPattern> patterns, int timeoutMs)
    {
        if (patterns.Count < 2)
        {
            return null;
        }

        try
        {
            return Compile(string.Join('|', patterns.Select(p => "(?:" + p.Pattern + ")")), timeoutMs);
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether every match of <paramref name="pattern"/> holds a decimal digit: a <c>\d</c> outside any group, class or
    /// alternation, not made optional by <c>?</c>, <c>*</c> or <c>{0,…}</c>. False whenever that is not plain to see.
    /// </summary>
    // NOTE: most posts hold no digit, and the price patterns all need one; a post without digits skips them all.
    // The analysis only answers true when sure: anything it does not follow (a top-level '|', a '#' that could start a
    // comment, an unclosed class) answers false, and the pattern runs as before.
    internal static bool RequiresDigit(string pattern)
    {
        if (pattern.Contains('#', StringComparison.Ordinal))
        {
            return false;
        }

        var depth = 0;
        var found = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    if (i + 1 >= pattern.Length)
                    {
                        return false;
                    }

                    found |= depth == 0 && pattern[i + 1] == 'd' && !IsOptional(pattern, i + 2);
                    i++;
                    break;
                case '[':
                    i = ClassEnd(pattern, i);
                    if (i < 0)
                    {
                        return false;
                    }

                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case '|' when depth == 0:
                    return false;
            }
        }

        return found && depth == 0;

        static bool IsOptional(string pattern, int at) =>
            at < pattern.Length && (pattern[at] is '?' or '*' || (pattern[at] == '{' && at + 1 < pattern.Length && pattern[at + 1] == '0'));

        static int ClassEnd(string pattern, int open)
        {
            var i = open + 1;
            if (i < pattern.Length && pattern[i] == '^')
            {
                i++;
            }

            if (i < pattern.Length && pattern[i] == ']')
            {
                i++;
            }

            for (; i < pattern.Length; i++)
            {
                if (pattern[i] == '\\')
                {
                    i++;
                }
                else if (pattern[i] == ']')
                {
                    return i;
                }
            }

            return -1;
        }
    }

    /// <summary>
    /// Policy patterns are written by people: they run with RegexOptions.NonBacktracking (linear time, no
    /// catastrophic backtracking) and a timeout besides.
    /// </summary>
    internal static Regex Compile(string pattern, int timeoutMs) =>
        new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, TimeSpan.FromMilliseconds(timeoutMs));

    private IEnumerable<(string Member, string Reason)> ValidatePatterns()
    {
        for (var i = 0; i < Patterns.Count; i++)
        {
            var pattern = Patterns[i];
            if (pattern is null)
            {
                yield return ($"patterns[{i}]", "must be an object");
                continue;
            }

            string? problem = null;
            if (string.IsNullOrEmpty(pattern.Pattern))
            {
                problem = "empty pattern";
            }
            else
            {
                try
                {
                    var regex = Compile(pattern.Pattern, PatternTimeoutMs);
                    if (regex.IsMatch(string.Empty))
                    {
                        problem = "matches the empty string, so it would match every post";
                    }
                }
                catch (ArgumentException ex)
                {
                    problem = $"not a valid regular expression for RegexOptions.NonBacktracking ({ex.Message})";
                }
                catch (NotSupportedException ex)
                {
                    problem = $"uses a construct RegexOptions.NonBacktracking does not support ({ex.Message})";
                }
            }

            if (problem is not null)
            {
                yield return ($"patterns[{i}].pattern", problem);
            }

            foreach (var error in Range($"patterns[{i}].weight", pattern.Weight, 1, 5))
            {
                yield return error;
            }

            if (!Categories.Contains(pattern.Category))
            {
                yield return ($"patterns[{i}].category", $"must be one of {string.Join(", ", Categories)} (was '{pattern.Category}')");
            }
        }

        for (var i = 0; i < Exceptions.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Exceptions[i]))
            {
                yield return ($"exceptions[{i}]", "empty exception");
            }
        }

        for (var i = 0; i < HypeEmoji.Count; i++)
        {
            if (string.IsNullOrEmpty(HypeEmoji[i]))
            {
                yield return ($"hypeEmoji[{i}]", "empty emoji");
            }
        }

        foreach (var error in Range("emojiAllowance", EmojiAllowance, 0, 50).Concat(Range("emojiWeight", EmojiWeight, 0, 5)).Concat(Range("patternTimeoutMs", PatternTimeoutMs, 1, 1000)))
        {
            yield return error;
        }
    }

    internal override IReadOnlyCollection<string> Placeholders => ["quoted", "score", "suggestions"];
}

/// <summary>Options of <c>hard-sell/shouting</c>.</summary>
public sealed record ShoutingOptions : RuleOptions
{
    /// <summary>ALL-CAPS words in a row that count as shouting. Default 2.</summary>
    public int MinRun { get; set; } = 2;

    /// <summary>Share of ALL-CAPS words (of two letters or more) that counts as shouting. Default 0.3.</summary>
    public double MaxCapsShare { get; set; } = 0.3;

    /// <summary>ALL-CAPS words needed before the share applies. Default 2.</summary>
    public int MinCapsWords { get; set; } = 2;

    /// <summary>Acronyms that are not shouting. Default a short list (FAQ, API, USA, …).</summary>
    public IReadOnlyList<string> Acronyms { get; set; } =
        ["AI", "API", "CEO", "CTO", "DM", "EU", "FAQ", "HR", "IT", "NYC", "OK", "PDF", "PR", "Q&A", "SaaS", "TV", "UK", "UN", "US", "USA", "UX", "UI", "ID", "IOS", "PM", "AM"];

    public override IEnumerable<(string Member, string Reason)> Validate() =>
        [.. Range("minRun", MinRun, 2, 20), .. Range("maxCapsShare", MaxCapsShare, 0, 1), .. Range("minCapsWords", MinCapsWords, 1, 50)];

    internal override IReadOnlyCollection<string> Placeholders => ["quoted", "count"];
}

/// <summary>Options of <c>hard-sell/exclamations</c>.</summary>
public sealed record ExclamationsOptions : RuleOptions
{
    /// <summary>Longest run of '!' (or '!?' mixes) that reads as calm. Default 1.</summary>
    public int MaxRun { get; set; } = 1;

    /// <summary>Most '!' a post may carry in all. Default 3.</summary>
    public int MaxTotal { get; set; } = 3;

    public override IEnumerable<(string Member, string Reason)> Validate() =>
        [.. Range("maxRun", MaxRun, 1, 10), .. Range("maxTotal", MaxTotal, 1, 50)];

    internal override IReadOnlyCollection<string> Placeholders => ["quoted", "count"];
}
