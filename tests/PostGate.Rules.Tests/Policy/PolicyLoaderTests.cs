using System.Security.Cryptography;
using System.Text;
using PostGate.Rules.Engine;
using PostGate.Rules.Policy;
using PostGate.Rules.Rules.Cadence;
using PostGate.Rules.Rules.ChannelFit;
using PostGate.Rules.Rules.HardSell;
using PostGate.Rules.Rules.LinkDropping;
using PostGate.Rules.Tests.TestSupport;
using Xunit;

namespace PostGate.Rules.Tests.Policy;

public sealed class PolicyLoaderTests
{
    private const string Links = "$.rules['link-dropping/too-many-links']";
    private const string Phrases = "$.rules['hard-sell/phrases']";

    [Fact]
    public void LoadFile_ShippedDefault_LoadsEveryCatalogRuleInOrder()
    {
        var policy = PolicyLoader.LoadFile(Policies.DefaultPath);

        Assert.Equal("default", policy.Name);
        Assert.Equal(RuleCatalog.All, policy.Rules.Select(r => r.Rule));
        // NOTE: every rule coaches, except PG401: a post too long for its network would be refused, so it blocks.
        Assert.All(policy.Rules, r => Assert.Equal(r.Rule is ChannelFitRule ? Severity.Block : Severity.Coach, r.Severity));
        Assert.Matches("^[0-9a-f]{64}$", policy.Version);
    }

    [Fact]
    public void LoadFile_ShippedDefault_KeepsCodeDefaultsForOptionsItLeavesOut()
    {
        var shouting = (ShoutingOptions)Policies.Default.Rules.Single(r => r.Rule is ShoutingRule).Options;

        // NOTE: default.json does not list acronyms; the code's list must survive deserialization.
        Assert.Contains("FAQ", shouting.Acronyms);
    }

    [Fact]
    public void LoadFile_ShippedDefault_CarriesTheHardSellLexicon()
    {
        var phrases = (SalesPhrasesOptions)Policies.Default.Rules.Single(r => r.Rule is SalesPhrasesRule).Options;

        Assert.True(phrases.Phrases.Count > 50);
        Assert.Contains(phrases.Phrases, p => p.Text == "buy now" && p.Weight == 4 && p.Category == "call-to-action");
        Assert.Equal(6, phrases.ReviewAtScore);
        Assert.Equal(12, phrases.BlockAtScore);
    }

    [Fact]
    public void LoadFile_MissingFile_ReportsAtRoot()
    {
        var ex = Assert.Throws<PolicyException>(() => PolicyLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "policies", "missing.json")));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("$", error.Path);
        Assert.StartsWith("cannot read policy file", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OptionLeftOut_KeepsItsDefault()
    {
        var policy = PolicyLoader.Load("""{ "name": "t", "rules": { "link-dropping/too-many-links": { "maxLinks": 2 } } }""");

        var options = (TooManyLinksOptions)policy.Rules.Single(r => r.Rule is TooManyLinksRule).Options;
        Assert.Equal(2, options.MaxLinks);
        Assert.Equal(3, options.ReviewAbove);
        Assert.Null(options.Severity);
    }

    [Fact]
    public void Load_PhraseFieldsLeftOut_KeepTheirDefaults()
    {
        var policy = PolicyLoader.Load("""{ "name": "t", "rules": { "hard-sell/phrases": { "phrases": [ { "text": "act now" } ] } } }""");

        var phrase = Assert.Single(((SalesPhrasesOptions)policy.Rules.Single(r => r.Rule is SalesPhrasesRule).Options).Phrases);
        Assert.Equal(1, phrase.Weight);
        Assert.Equal("pressure", phrase.Category);
        Assert.Null(phrase.Suggest);
    }

    [Fact]
    public void Load_RuleLeftOut_RunsWithItsDefaults()
    {
        var policy = PolicyLoader.Load("""{ "name": "t" }""");

        Assert.Equal(RuleCatalog.All.Count, policy.Rules.Count);
        Assert.All(policy.Rules, r => Assert.Equal(r.Rule.Descriptor.DefaultSeverity, r.Severity));
        Assert.Equal(new DailyVolumeOptions(), policy.Rules.Single(r => r.Rule is DailyVolumeRule).Options);
    }

    [Theory]
    [InlineData("off", Severity.Off)]
    [InlineData("coach", Severity.Coach)]
    [InlineData("review", Severity.Review)]
    [InlineData("block", Severity.Block)]
    public void Load_Severity_OverridesTheRuleDefault(string severity, Severity expected)
    {
        var policy = PolicyLoader.Load($$"""{ "name": "t", "rules": { "cadence/spacing": { "severity": "{{severity}}" } } }""");

        Assert.Equal(expected, policy.Rules.Single(r => r.Rule is SpacingRule).Severity);
    }

    [Fact]
    public void Load_CommentsAndTrailingCommas_AreAllowed()
    {
        var policy = PolicyLoader.Load("""
            // a comment
            {
              "name": "t", /* another */
              "rules": { "cadence/spacing": { "minMinutes": 30, }, },
            }
            """);

        Assert.Equal(30, ((SpacingOptions)policy.Rules.Single(r => r.Rule is SpacingRule).Options).MinMinutes);
    }

    public static TheoryData<string, string[]> Invalid => new()
    {
        { """{ "name": "t", "rulez": {} }""", ["$.rulez: unknown property; did you mean 'rules'?"] },
        { """{ "name": "t", "owner": "me" }""", ["$.owner: unknown property"] },
        { """{ "rules": {} }""", ["$.name: is required"] },
        { """{ "name": "" }""", ["$.name: must be a non-empty string"] },
        { """{ "name": 5 }""", ["$.name: must be a non-empty string"] },
        { """[]""", ["$: must be an object"] },
        { """{ "name": "t", """, ["$: not valid JSON (line 1, byte 16)"] },
        { """{ "name": "t", "rules": [] }""", ["$.rules: must be an object"] },
        { """{ "name": "t", "rules": { "hard-sel/phrases": {} } }""", ["$.rules['hard-sel/phrases']: unknown rule; did you mean 'hard-sell/phrases'?"] },
        { """{ "name": "t", "rules": { "link-dropping/too-many-link": {} } }""", ["$.rules['link-dropping/too-many-link']: unknown rule; did you mean 'link-dropping/too-many-links'?"] },
        { """{ "name": "t", "rules": { "spam/filter": {} } }""", ["$.rules['spam/filter']: unknown rule"] },
        { """{ "name": "t", "rules": { "link-dropping/too-many-links": 3 } }""", [$"{Links}: must be an object of rule options"] },
        { """{ "name": "t", "rules": { "link-dropping/too-many-links": { "maxLinks": "two" } } }""", [$"{Links}.maxLinks: has the wrong type or an unknown value"] },
        { """{ "name": "t", "rules": { "link-dropping/too-many-links": { "maxLinks": 1.5 } } }""", [$"{Links}.maxLinks: has the wrong type or an unknown value"] },
        { """{ "name": "t", "rules": { "link-dropping/too-many-links": { "maxLinks": null } } }""", [$"{Links}.maxLinks: has the wrong type or an unknown value"] },
        { """{ "name": "t", "rules": { "link-dropping/link-every-post": { "maxShare": true } } }""", ["$.rules['link-dropping/link-every-post'].maxShare: has the wrong type or an unknown value"] },
        { """{ "name": "t", "rules": { "link-dropping/too-many-links": { "maxLink": 2 } } }""", [$"{Links}.maxLink: unknown option 'maxLink'"] },
        { """{ "name": "t", "rules": { "link-dropping/too-many-links": { "severity": "loud" } } }""", [$"{Links}.severity: has the wrong type or an unknown value"] },
        // a number is not a severity, even one the enum happens to define
        { """{ "name": "t", "rules": { "link-dropping/too-many-links": { "severity": 7 } } }""", [$"{Links}.severity: must be \"off\", \"coach\", \"review\" or \"block\""] },
        { """{ "name": "t", "rules": { "link-dropping/too-many-links": { "severity": 2 } } }""", [$"{Links}.severity: must be \"off\", \"coach\", \"review\" or \"block\""] },
        { """{ "name": "t", "rules": { "link-dropping/too-many-links": { "severity": "3" } } }""", [$"{Links}.severity: must be \"off\", \"coach\", \"review\" or \"block\""] },
        { """{ "name": "t", "rules": { "link-dropping/too-many-links": { "maxLinks": -1 } } }""", [$"{Links}.maxLinks: must be between 0 and 20 (was -1)"] },
        { """{ "name": "t", "rules": { "link-dropping/too-many-links": { "maxLinks": 3, "reviewAbove": 2 } } }""", [$"{Links}.reviewAbove: must be between 3 and 50 (was 2)"] },
        { """{ "name": "t", "rules": { "cadence/no-conversation": { "minReplyShare": 1.5 } } }""", ["$.rules['cadence/no-conversation'].minReplyShare: must be between 0 and 1 (was 1.5)"] },
        { """{ "name": "t", "rules": { "cadence/daily-volume": { "maxPosts": 0 } } }""", ["$.rules['cadence/daily-volume'].maxPosts: must be between 1 and 200 (was 0)"] },
        { """{ "name": "t", "rules": { "hard-sell/phrases": { "reviewAtScore": 6, "blockAtScore": 5 } } }""", [$"{Phrases}.blockAtScore: must be between 6 and 100 (was 5)"] },
        { """{ "name": "t", "rules": { "hard-sell/phrases": { "phrases": [ { "text": "buy now" }, { "text": " " } ] } } }""", [$"{Phrases}.phrases[1].text: empty phrase"] },
        { """{ "name": "t", "rules": { "hard-sell/phrases": { "phrases": [ { "text": "\u200B" } ] } } }""", [$"{Phrases}.phrases[0].text: empty phrase"] }, // folds to nothing
        { """{ "name": "t", "rules": { "hard-sell/phrases": { "phrases": [ { "text": "risk free" }, { "text": "Risk-Free" } ] } } }""", [$"{Phrases}.phrases[1].text: 'Risk-Free' repeats phrases[0]"] },
        { """{ "name": "t", "rules": { "hard-sell/phrases": { "phrases": [ { "text": "act now", "weight": 9 } ] } } }""", [$"{Phrases}.phrases[0].weight: must be between 1 and 5 (was 9)"] },
        { """{ "name": "t", "rules": { "hard-sell/phrases": { "phrases": [ { "text": "act now", "category": "hype" } ] } } }""", [$"{Phrases}.phrases[0].category: must be one of urgency, pressure, discount, guarantee, call-to-action, self-promotion (was 'hype')"] },
        { """{ "name": "t", "rules": { "hard-sell/phrases": { "phrases": [ { "text": "act now", "suggest": "" } ] } } }""", [$"{Phrases}.phrases[0].suggest: empty suggestion; leave it out instead"] },
        { """{ "name": "t", "rules": { "hard-sell/phrases": { "phrases": [ { "text": "act now", "weigth": 2 } ] } } }""", [$"{Phrases}.phrases[0].weigth: unknown option 'weigth'"] },
        { """{ "name": "t", "rules": { "hard-sell/phrases": { "phrases": [ null ] } } }""", [$"{Phrases}.phrases[0]: must be an object"] },
        { """{ "name": "t", "rules": { "hard-sell/phrases": { "phrases": null } } }""", [$"{Phrases}.phrases: must not be null"] },
        { """{ "name": "t", "rules": { "hard-sell/shouting": { "acronyms": null } } }""", ["$.rules['hard-sell/shouting'].acronyms: must not be null"] },
        { """{ "name": "t", "rules": { "link-dropping/shortener": { "domains": [ "bit ly" ] } } }""", ["$.rules['link-dropping/shortener'].domains[0]: 'bit ly' is not a domain name"] },
        { """{ "name": "t", "rules": { "link-dropping/shortener": { "allowed": [ null ] } } }""", ["$.rules['link-dropping/shortener'].allowed[0]: '' is not a domain name"] },
        { """{ "name": "t", "rules": { "link-dropping/too-many-links": { "coaching": "Keep {max}, not {foo}." } } }""", [$"{Links}.coaching: unknown placeholder {{foo}}; this rule offers {{count}}, {{max}}, {{quoted}}"] },
        { """{ "name": "t", "rules": { "link-dropping/too-many-links": { "message": " " } } }""", [$"{Links}.message: must not be empty"] },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Load_InvalidPolicy_NamesThePathOfEachError(string json, string[] expected)
    {
        Assert.Equal(expected, Policies.ErrorsOf(json));
    }

    [Fact]
    public void Load_SeveralErrors_ReportsAllOfThemInDocumentOrder()
    {
        const string json = """
            {
              "name": "t",
              "colour": "red",
              "rules": {
                "hard-sel/phrases": {},
                "link-dropping/too-many-links": { "maxLinks": 25, "coaching": "{nope}" },
                "cadence/spacing": { "minMinutes": "soon" }
              }
            }
            """;

        var errors = Policies.ErrorsOf(json);

        Assert.Equal(
            [
                "$.colour: unknown property",
                "$.rules['hard-sel/phrases']: unknown rule; did you mean 'hard-sell/phrases'?",
                $"{Links}.maxLinks: must be between 0 and 20 (was 25)",
                $"{Links}.reviewAbove: must be between 25 and 50 (was 3)",
                $"{Links}.coaching: unknown placeholder {{nope}}; this rule offers {{count}}, {{max}}, {{quoted}}",
                "$.rules['cadence/spacing'].minMinutes: has the wrong type or an unknown value",
            ],
            errors);
    }

    [Fact]
    public void PolicyException_MessageListsEveryError()
    {
        var ex = Assert.Throws<PolicyException>(() => PolicyLoader.Load("""{ "rulez": {} }"""));

        Assert.Equal(
            "The policy is invalid:" + Environment.NewLine
            + "  $.rulez: unknown property; did you mean 'rules'?" + Environment.NewLine
            + "  $.name: is required",
            ex.Message);
    }

    [Fact]
    public void Version_IgnoresWhitespaceCommentsAndKeyOrder()
    {
        var compact = PolicyLoader.Load("""{"name":"t","rules":{"cadence/spacing":{"minMinutes":30,"severity":"coach"},"hard-sell/exclamations":{"maxRun":2}}}""");
        var spread = PolicyLoader.Load("""
            // the same policy, written differently
            {
              "rules": {
                "hard-sell/exclamations": { "maxRun": 2 },
                "cadence/spacing": { "severity": "coach", /* half an hour */ "minMinutes": 30 }
              },
              "name": "t"
            }
            """);

        Assert.Equal(compact.Version, spread.Version);
        Assert.Equal(compact.CanonicalJson, spread.CanonicalJson);
    }

    [Theory]
    [InlineData("""{"name":"t","rules":{"cadence/spacing":{"minMinutes":31}}}""")]
    [InlineData("""{"name":"t","rules":{"cadence/spacing":{"minMinutes":30,"severity":"review"}}}""")]
    [InlineData("""{"name":"u","rules":{"cadence/spacing":{"minMinutes":30}}}""")]
    public void Version_ChangesWhenAValueChanges(string changed)
    {
        var original = PolicyLoader.Load("""{"name":"t","rules":{"cadence/spacing":{"minMinutes":30}}}""");

        Assert.NotEqual(original.Version, PolicyLoader.Load(changed).Version);
    }

    [Fact]
    public void Version_IsTheSha256OfTheCanonicalJson()
    {
        var policy = PolicyLoader.Load("""{ "rules": { "cadence/spacing": { "minMinutes": 30 } }, "name": "t" }""");

        Assert.Equal("""{"name":"t","rules":{"cadence/spacing":{"minMinutes":30}}}""", policy.CanonicalJson);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(policy.CanonicalJson))), policy.Version);
    }

    [Theory]
    [InlineData("rule", "; did you mean 'rules'?")]
    [InlineData("nmae", "; did you mean 'name'?")]
    [InlineData("something-else", "")]
    public void DidYouMean_SuggestsOnlyCloseNames(string name, string expected)
    {
        Assert.Equal(expected, PolicyLoader.DidYouMean(name, ["$schema", "name", "description", "rules"]));
    }
}
