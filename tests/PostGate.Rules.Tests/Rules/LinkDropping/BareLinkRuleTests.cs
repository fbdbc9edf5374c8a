using CsCheck;
using PostGate.Rules.Engine;
using PostGate.Rules.Policy;
using PostGate.Rules.Rules.LinkDropping;
using PostGate.Rules.Tests.TestSupport;
using Xunit;

namespace PostGate.Rules.Tests.Rules.LinkDropping;

public sealed class BareLinkRuleTests
{
    private const string Rule = "link-dropping/bare-link";

    [Fact]
    public void Evaluate_LinkAlone_ReportsPG103AtTheLink()
    {
        const string text = "New: https://acme.com/spring";

        var finding = Gate.Check(Policies.Only(Rule), Drafts.Post(text)).Single("PG103");

        Assert.Equal(Severity.Coach, finding.Severity);
        Assert.Equal(["https://acme.com/spring"], finding.Quotes(text));
        Assert.Equal([5], finding.Starts());
        Assert.Equal("Apart from \"https://acme.com/spring\", this post has 1 of the 5 words the policy asks for.", finding.Message);
    }

    public static TheoryData<string, string[], string, bool> Cases => new()
    {
        // text, attached links, options, reported
        { "https://acme.com/spring", [], "{}", true },
        { "Our spring update is here https://acme.com/spring", [], "{}", false },     // five words: exactly enough
        { "Spring update is here https://acme.com/spring", [], "{}", true },          // four words
        { "https://acme.com/a-long-path-with-many-words-in-it", [], "{}", true },     // words inside the link do not count
        { "Read this: acme.com/a and acme.com/b", [], "{}", true },                   // three words around two links
        { "Short and sweet", [], "{}", false },                                       // no link, nothing to say
        { "Great news", ["https://acme.com/card"], "{}", true },                      // the card needs words too
        { "Here is what changed in the spring update", ["https://acme.com/card"], "{}", false },
        { "Look: https://acme.com/spring", [], """{ "minWords": 1 }""", false },
        { "https://acme.com/spring", [], """{ "severity": "off" }""", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_CountsWordsOutsideLinks(string text, string[] links, string options, bool reported)
    {
        var evaluation = Gate.Check(Policies.Only(Rule, options), Drafts.Post(text, links: links));

        Assert.Equal(reported, evaluation.Findings.Any(f => f.RuleId == "PG103"));
    }

    [Fact]
    public void Evaluate_AttachedLinkOnly_QuotesTheLinkWithoutSpan()
    {
        var finding = Gate.Check(Policies.Only(Rule), Drafts.Post("Great news!", links: ["https://acme.com/card"])).Single("PG103");

        Assert.Empty(finding.Spans);
        Assert.Equal(["https://acme.com/card"], finding.Evidence);
        Assert.Equal("Apart from \"https://acme.com/card\", this post has 2 of the 5 words the policy asks for.", finding.Message);
    }

    [Fact]
    public void Evaluate_ReplyThatIsOnlyALink_IsStillReported()
    {
        var evaluation = Gate.Check(Policies.Only(Rule), Drafts.Reply("acme.com/help"));

        Assert.Equal("PG103", Assert.Single(evaluation.Findings).RuleId);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(51)]
    public void Load_MinWordsOutOfRange_NamesThePath(int minWords)
    {
        Assert.Equal(
            [$"$.rules['{Rule}'].minWords: must be between 1 and 50 (was {minWords})"],
            Policies.ErrorsOf($$"""{ "name": "t", "rules": { "{{Rule}}": { "minWords": {{minWords}} } } }"""));
    }

    [Fact]
    public void CountWordsOutsideLinks_MatchesACheckOfEveryCharacterAgainstEveryLink()
    {
        // NOTE: words before, between and after links, links side by side, and counts stopped at every number of words.
        var piece = Gen.Frequency(
            (6, Gen.OneOf("spring", "update", "is", "here", "a", "1", "Ünïcode", "🌱")),
            (4, Gen.OneOf(" ", "  ", ", ", ": ", "-")),
            (3, Gen.OneOf("https://acme.com/spring", "acme.com/a", "bit.ly/x", "www.acme.com", "example[.]com", "https://acme.com/a-b?utm_source=x")));
        var text = piece.Array[0, 30].Select(pieces => string.Concat(pieces));
        var scope = PolicyLoader.LoadFile(Policies.DefaultPath).For("acme", Channel.LinkedIn);
        var at = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

        text.Sample(t =>
        {
            var post = new PostContext(new Draft { AccountId = "acme", Channel = Channel.LinkedIn, Text = t, ScheduledAt = at }, [], scope);
            try
            {
                var words = 0;
                var inWord = false;
                for (var i = 0; i < t.Length; i++)
                {
                    var isWordChar = !post.ScannedLinks.Any(l => l.Span.Start <= i && i < l.Span.End) && char.IsLetterOrDigit(t[i]);
                    if (isWordChar && !inWord)
                    {
                        words++;
                    }

                    inWord = isWordChar;
                }

                Assert.Equal(words, BareLinkRule.CountWordsOutsideLinks(post));
                for (var enough = 1; enough <= words + 1; enough++)
                {
                    Assert.Equal(Math.Min(words, enough), BareLinkRule.CountWordsOutsideLinks(post, enough));
                }
            }
            finally
            {
                post.Release();
            }
        }, iter: 1000);
    }
}
