using CsCheck;
using PostGate.Rules.Tests.TestSupport;
using PostGate.Rules.Text;
using Xunit;

namespace PostGate.Rules.Tests.Text;

public sealed class PhraseMatcherTests
{
    private static readonly string[] Lexicon =
    [
        "buy now",           // 0
        "limited time",      // 1
        "limited time only", // 2
        "hurry",             // 3
        "% off",             // 4
        "#1",                // 5
        "free gift",         // 6
        "Don’t miss",        // 7
        "Must-Have",         // 8
        "off",               // 9
    ];

    public static TheoryData<string, int[], string[]> Hits => new()
    {
        // text, the phrases found (index into the lexicon), the original text each covers
        { "Buy now!", [0], ["Buy now"] },
        { "BUY NOW and hurry", [0, 3], ["BUY NOW", "hurry"] },
        { "For a limited time only.", [2], ["limited time only"] },   // the longest phrase at a position wins
        { "For a limited time, really", [1], ["limited time"] },
        { "50% off everything", [4], ["% off"] },                    // a phrase may start with a symbol
        { "We're #1!", [5], ["#1"] },
        { "a freeeee gift", [6], ["freeeee gift"] },                 // a stretched word meets the squeezed phrase
        { "don't miss it", [7], ["don't miss"] },                    // the lexicon's apostrophe is folded too
        { "a MUST HAVE", [8], ["MUST HAVE"] },
        { "B U Y  N-O-W", [0], ["B U Y  N-O-W"] },
        { "buy now, buy now", [0, 0], ["buy now", "buy now"] },      // every occurrence is a hit
        { "hurrying home", [], [] },                                 // whole words only
        { "buy nowhere", [], [] },
        { "We're #12", [], [] },
        { "50% of people", [], [] },                                 // "off" is not squeezed to "of"
        { "", [], [] },
    };

    [Theory]
    [MemberData(nameof(Hits))]
    public void FindAll_FindsWholeWordPhrasesInNormalizedText(string text, int[] phrases, string[] quotes)
    {
        var matcher = new PhraseMatcher(Lexicon);
        var normalized = Normalizer.Normalize(text);

        var hits = matcher.FindAll(normalized.Text);

        Assert.Equal(phrases, hits.Select(h => h.PhraseIndex));
        Assert.Equal(quotes, hits.Select(h => normalized.ToOriginal(h.Start, h.Length)).Select(s => text.Substring(s.Start, s.Length)));
    }

    [Fact]
    public void FindAll_HitsAreLeftmostFirstAndDoNotOverlap()
    {
        var matcher = new PhraseMatcher(["time only", "limited time"]);

        var hits = matcher.FindAll("limited time only");

        Assert.Equal(new PhraseHit(1, 0, 12), Assert.Single(hits));
    }

    [Fact]
    public void FindAll_EmptyLexicon_FindsNothing()
    {
        Assert.Empty(new PhraseMatcher([]).FindAll("buy now"));
    }

    [Fact]
    public void FindAll_BlankPhraseIsSkippedAndIndexesStayThoseOfTheLexicon()
    {
        var matcher = new PhraseMatcher(["  ", "\u200B", "act now"]);

        var hit = Assert.Single(matcher.FindAll("act now"));

        Assert.Equal(new PhraseHit(2, 0, 7), hit);
    }

    [Fact]
    public void FindAll_PhrasesFoldingToOneForm_ReportTheFirst()
    {
        var matcher = new PhraseMatcher(["risk free", "risk-free"]);

        var hit = Assert.Single(matcher.FindAll(Normalizer.Normalize("Risk-free!").Text));

        Assert.Equal(0, hit.PhraseIndex);
    }

    private static readonly string[] Wider =
    [
        .. Lexicon, "free", "for free", "100% free", "act now", "act fast", "feel free", "save big", "$$$", "sale",
        "$", "x", "€5", "a€", "save€",
    ];

    [Fact]
    public void FindAll_AndFindAllOverlapping_MatchATryEveryFormAtEveryPositionReference()
    {
        // NOTE: words of the lexicon, their pieces and neighbours, glued by spaces, punctuation and stray letters.
        var piece = Gen.Frequency(
            (6, Gen.OneOf("buy", "now", "limited", "time", "only", "hurry", "free", "freeeee", "gift", "off", "of",
                "must", "have", "act", "fast", "feel", "save", "big", "sale", "sales", "$$$", "#1", "50%", "100%")),
            (4, Gen.OneOf(" ", " ", "-", ", ", "!", "'", "$", "#", "%", "€", "x", "a")),
            (2, Gen.Char['a', 'z'].Select(c => c.ToString())),
            (1, Gen.Char.Select(c => c.ToString())));
        var text = piece.Array[0, 30].Select(pieces => Normalizer.Normalize(string.Concat(pieces)).Text);
        var matcher = new PhraseMatcher(Wider);
        var forms = Forms(Wider);

        text.Sample(normalized =>
        {
            Assert.Equal(Reference(normalized, forms, overlapping: false), matcher.FindAll(normalized));
            Assert.Equal(Reference(normalized, forms, overlapping: false), FindAllByWords(matcher, normalized));
            var overlapping = Reference(normalized, forms, overlapping: true);
            Assert.Equal(overlapping, matcher.FindAllOverlapping(normalized));
            for (var start = 0; start < normalized.Length; start++)
            {
                for (var length = 1; start + length <= normalized.Length && length <= 12; length++)
                {
                    var covered = overlapping.Exists(h => h.Start <= start && h.Start + h.Length >= start + length);
                    Assert.Equal(covered, matcher.Covers(normalized, start, length));
                }
            }
        }, iter: 1000);
    }

    [Fact]
    public void FindAll_LongTexts_MatchTheReferenceWithWordsOnlyAndWithManySymbols()
    {
        // NOTE: texts long enough for the candidates to be found eight positions at a time, with a lexicon whose forms
        // all start with a letter (only word starts are candidates), one with a symbol start (compared for), and one
        // with more symbol starts than are compared for (every character that is no letter or digit is a candidate).
        string[] words = ["limited time", "limited offer", "free", "fre", "seed kits", "act now", "ac", "lim", "a", "x", "hurry up", "one off"];
        string[][] lexicons = [words, [.. words, "#1"], [.. words, "#1", "% off", "$$$", "!!", "@now", "&co"], Wider];
        var piece = Gen.Frequency(
            (8, Gen.OneOf("limited", "time", "offer", "free", "freeee", "seed", "kits", "act", "now", "ace", "lime", "limit", "hurry", "up", "one", "off")),
            (6, Gen.OneOf(" ", " ", ", ", ". ", "/", "#", "#1", "%", "$$$", "!!", "@", "&", "-")),
            (2, Gen.OneOf("a", "x", "ac", "lim", "é", "🌱", "ü")),
            (1, Gen.Char.Select(c => c.ToString())));
        var text = piece.Array[10, 120].Select(pieces => Normalizer.Normalize(string.Concat(pieces)).Text);
        var matchers = lexicons.Select(lexicon => (Matcher: new PhraseMatcher(lexicon), Forms: Forms(lexicon))).ToArray();

        text.Sample(normalized =>
        {
            foreach (var (matcher, forms) in matchers)
            {
                Assert.Equal(Reference(normalized, forms, overlapping: false), matcher.FindAll(normalized));
                Assert.Equal(Reference(normalized, forms, overlapping: false), FindAllByWords(matcher, normalized));
            }
        }, iter: 1000);
    }

    [Fact]
    public void NextCandidate_MatchesACheckOfEveryPosition()
    {
        string[][] lexicons = [["limited time", "free", "act now", "a"], ["free", "#1"], Wider];
        var piece = Gen.Frequency(
            (8, Gen.OneOf("limited", "time", "free", "act", "now", "ace", "lime", "a", "x")),
            (6, Gen.OneOf(" ", ".", "/", "#", "#1", "%", "$", "@")),
            (2, Gen.OneOf("é", "🌱", "ü", "€")),
            (1, Gen.Char.Select(c => c.ToString())));
        var text = piece.Array[0, 60].Select(pieces => string.Concat(pieces));
        var matchers = lexicons.Select(lexicon => new PhraseMatcher(lexicon)).ToArray();

        text.Sample(s =>
        {
            foreach (var matcher in matchers)
            {
                for (var from = 0; from < s.Length; from++)
                {
                    // NOTE: to the end of the text, and to a position before it, as an exception's search is bounded.
                    foreach (var to in (int[])[s.Length, from + ((s.Length - from) / 2)])
                    {
                        var expected = from;
                        while (expected < to && !matcher.IsCandidate(s, expected))
                        {
                            expected++;
                        }

                        Assert.Equal(expected, matcher.NextCandidate(s, from, to));
                    }
                }
            }
        }, iter: 1000);
    }

    [Fact]
    public void FindAllByWords_TheDefaultLexiconOnEveryPostOfTheSharedData_MatchesTheSearchOfEveryCandidate()
    {
        // NOTE: real posts and comments, in many languages and scripts, against the lexicon the gate ships.
        var matcher = Policies.Default.Defaults.Rules.Select(r => r.Options).OfType<PostGate.Rules.Rules.HardSell.SalesPhrasesOptions>().Single().Matcher;
        var compared = 0;
        foreach (var text in SharedTexts())
        {
            var normalized = Normalizer.Normalize(text).Text;
            Assert.Equal(matcher.FindAll(normalized), FindAllByWords(matcher, normalized));
            compared++;
        }

        Assert.True(compared > 1000, $"Only {compared} texts were found to compare on.");
    }

    /// <summary>The YouTube comments and the customer-care conversations of ../shared/data.</summary>
    private static IEnumerable<string> SharedTexts()
    {
        foreach (var file in (string[])["Youtube01-Psy.csv", "Youtube02-KatyPerry.csv", "Youtube03-LMFAO.csv"])
        {
            foreach (var (text, _) in Quality.YouTubeSpamReport.ReadComments(Repo.PathOf("..", "shared", "data", "youtube-spam", file)))
            {
                yield return text;
            }
        }

        using var care = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Repo.PathOf("..", "shared", "data", "customer-care", "dev.json")));
        var pending = new Stack<System.Text.Json.JsonElement>([care.RootElement]);
        while (pending.TryPop(out var element))
        {
            switch (element.ValueKind)
            {
                case System.Text.Json.JsonValueKind.String:
                    yield return element.GetString()!;
                    break;
                case System.Text.Json.JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        pending.Push(item);
                    }

                    break;
                case System.Text.Json.JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        pending.Push(property.Value);
                    }

                    break;
            }
        }
    }

    /// <summary>The words-based search, as the sales-phrases rule runs it.</summary>
    private static List<PhraseHit> FindAllByWords(PhraseMatcher matcher, string normalized)
    {
        var hits = new List<PhraseHit>();
        matcher.FindAll(normalized, TextWords.Of(normalized), hits);
        return hits;
    }

    /// <summary>The forms of a lexicon as the matcher folds them, the first phrase winning a form.</summary>
    private static List<(string Form, int Phrase)> Forms(string[] phrases)
    {
        var forms = new List<(string Form, int Phrase)>();
        for (var p = 0; p < phrases.Length; p++)
        {
            var form = Normalizer.NormalizePhrase(phrases[p]);
            foreach (var candidate in new[] { form, PhraseMatcher.Squeeze(form) })
            {
                if (!string.IsNullOrEmpty(candidate) && !forms.Exists(f => f.Form == candidate))
                {
                    forms.Add((candidate, p));
                }
            }
        }

        return forms;
    }

    /// <summary>At every position, the longest form that is there as whole words.</summary>
    private static List<PhraseHit> Reference(string text, List<(string Form, int Phrase)> forms, bool overlapping)
    {
        var hits = new List<PhraseHit>();
        var at = 0;
        while (at < text.Length)
        {
            var best = default(PhraseHit);
            foreach (var (form, phrase) in forms)
            {
                var end = at + form.Length;
                if (form.Length > best.Length && string.CompareOrdinal(text, at, form, 0, form.Length) == 0 && end <= text.Length
                    && (!char.IsLetterOrDigit(form[0]) || at == 0 || !char.IsLetterOrDigit(text[at - 1]))
                    && (!char.IsLetterOrDigit(form[^1]) || end == text.Length || !char.IsLetterOrDigit(text[end])))
                {
                    best = new PhraseHit(phrase, at, form.Length);
                }
            }

            if (best.Length > 0)
            {
                hits.Add(best);
            }

            at += best.Length > 0 && !overlapping ? best.Length : 1;
        }

        return hits;
    }
}
