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
}
