using PostGate.Rules.Engine;
using PostGate.Rules.Policy;
using PostGate.Rules.Rules.LinkDropping;
using PostGate.Rules.Tests.TestSupport;
using Xunit;

namespace PostGate.Rules.Tests.Policy;

public sealed class PolicyScopesTests
{
    private const string Links = "link-dropping/too-many-links";

    /// <summary>maxLinks set at every layer: 1 in the policy, 2 for X, 3 for acme, 4 for acme on X.</summary>
    private const string Layered = """
        {
          "name": "t",
          "rules": { "link-dropping/too-many-links": { "maxLinks": 1, "reviewAbove": 10 } },
          "channels": { "x": { "rules": { "link-dropping/too-many-links": { "maxLinks": 2 } } } },
          "accounts": {
            "acme": {
              "rules": { "link-dropping/too-many-links": { "maxLinks": 3 } },
              "channels": { "x": { "rules": { "link-dropping/too-many-links": { "maxLinks": 4 } } } }
            },
            "globex": {
              "rules": { "link-dropping/too-many-links": { "maxLinks": 5 } }
            }
          }
        }
        """;

    public static TheoryData<string, Channel, int> MergeOrder => new()
    {
        // account, channel, maxLinks that applies
        { "someone", Channel.LinkedIn, 1 },   // the policy
        { "someone", Channel.X, 2 },          // the channel's override
        { "acme", Channel.LinkedIn, 3 },      // the account's override
        { "acme", Channel.X, 4 },             // the account's channel override, last of all
        { "globex", Channel.X, 5 },           // an account beats the channel
        { "globex", Channel.Other, 5 },
    };

    [Theory]
    [MemberData(nameof(MergeOrder))]
    public void For_LayersMergeFromPolicyToChannelToAccountToAccountsChannel(string account, Channel channel, int maxLinks)
    {
        var policy = PolicyLoader.Load(Layered);

        Assert.Equal(maxLinks, LinksOptions(policy.For(account, channel)).MaxLinks);
    }

    [Fact]
    public void For_Layers_MergeOptionByOption()
    {
        var policy = PolicyLoader.Load(Layered);

        // NOTE: no layer below the policy sets reviewAbove, so every scope keeps the policy's 10.
        Assert.All(MergeOrder, row => Assert.Equal(10, LinksOptions(policy.For((string)row[0], (Channel)row[1])).ReviewAbove));
        Assert.Equal(1, LinksOptions(policy.Defaults).MaxLinks);
        Assert.Same(policy.Defaults.Rules, policy.Rules);
    }

    [Fact]
    public void For_SeverityAndMessage_AreOptionsLikeAnyOther()
    {
        var policy = PolicyLoader.Load("""
            {
              "name": "t",
              "rules": { "cadence/spacing": { "severity": "review", "minMinutes": 30, "message": "Too close: {minutes} minutes." } },
              "accounts": { "acme": { "rules": { "cadence/spacing": { "severity": "off" } } } }
            }
            """);

        var acme = policy.For("acme", Channel.X).Rules.Single(r => r.Rule.Descriptor.Id == "PG302");
        var others = policy.For("someone", Channel.X).Rules.Single(r => r.Rule.Descriptor.Id == "PG302");
        Assert.Equal(Severity.Off, acme.Severity);
        Assert.Equal("Too close: {minutes} minutes.", acme.Options.Message);
        Assert.Equal(Severity.Review, others.Severity);
    }

    [Fact]
    public void For_Arrays_AreReplacedNotMerged()
    {
        var policy = PolicyLoader.Load("""
            {
              "name": "t",
              "rules": { "link-dropping/shortener": { "domains": ["go.acme.com"], "allowed": ["t.co"] } },
              "accounts": { "acme": { "rules": { "link-dropping/shortener": { "domains": ["s.acme.com"] } } } }
            }
            """);

        var acme = (ShortenerOptions)policy.For("acme", Channel.X).Rules.Single(r => r.Rule is ShortenerRule).Options;
        Assert.Equal(["s.acme.com"], acme.Domains);
        Assert.Equal(["t.co"], acme.Allowed);
        Assert.Contains("s.acme.com", (IReadOnlySet<string>)acme.Shorteners);
        Assert.DoesNotContain("go.acme.com", (IReadOnlySet<string>)acme.Shorteners);
    }

    [Fact]
    public void Evaluate_UsesTheScopeOfTheDraftsAccountAndChannel()
    {
        var policy = PolicyLoader.Load("""
            {
              "name": "t",
              "rules": { "link-dropping/too-many-links": { "maxLinks": 1 } },
              "accounts": { "acme": { "channels": { "linkedin": { "rules": { "link-dropping/too-many-links": { "maxLinks": 2 } } } } } }
            }
            """);
        var draft = Drafts.Post("Notes at https://acme.com/a and sizes at https://acme.com/b, more soon") with { AccountId = "acme" };

        Assert.Contains(Gate.Check(policy, draft).Findings, f => f.RuleId == "PG101");
        Assert.DoesNotContain(Gate.Check(policy, draft with { Channel = Channel.LinkedIn }).Findings, f => f.RuleId == "PG101");
        Assert.Contains(Gate.Check(policy, draft with { Channel = Channel.LinkedIn, AccountId = "acme-uk" }).Findings, f => f.RuleId == "PG101"); // ids match exactly
    }

    public static TheoryData<string, bool> AllowedHosts => new()
    {
        // link host, allowed with "allowedDomains": ["acme.com", "help.globex.io"]
        { "acme.com", true },
        { "www.acme.com", true },
        { "help.acme.com", true },            // subdomains are the brand's too
        { "eu.help.acme.com", true },
        { "notacme.com", false },             // a name ending in acme.com is not below it
        { "acme.com.evil.io", false },
        { "help.globex.io", true },
        { "globex.io", false },               // a parent of an allowed domain is not allowed
        { "shop.help.globex.io", true },
        { "acme.com.au", false },            // another country's site is not below acme.com
    };

    [Theory]
    [MemberData(nameof(AllowedHosts))]
    public void AllowedDomains_AndTheirSubdomains_AreNotCountedByTheLinkRules(string host, bool allowed)
    {
        var policy = Policies.Only(Links, """{ "maxLinks": 0 }""", """ "allowedDomains": ["acme.com", "HELP.globex.io"] """);

        var evaluation = Gate.Check(policy, Drafts.Post($"Our spring notes, with every size listed: https://{host}/notes"));

        Assert.Equal(!allowed, evaluation.Findings.Any(f => f.RuleId == "PG101"));
        Assert.Equal(allowed ? 0 : 1, evaluation.Analysis.CountedLinks);
    }

    [Fact]
    public void AllowedDomains_OfAnAccount_AddToThePolicys()
    {
        var policy = PolicyLoader.Load("""
            {
              "name": "t",
              "allowedDomains": ["acme.com"],
              "accounts": { "acme-eu": { "allowedDomains": ["acme.eu"] } }
            }
            """);

        Assert.Equal(["acme.com", "acme.eu"], policy.For("acme-eu", Channel.X).AllowedDomains.Order(StringComparer.Ordinal));
        Assert.Equal(["acme.com"], policy.For("acme-us", Channel.X).AllowedDomains);
        Assert.Equal(["acme.com"], policy.For("acme-us", Channel.Mastodon).AllowedDomains);
    }

    [Fact]
    public void TimeZone_DefaultsToUtcAndAnAccountsOverridesThePolicys()
    {
        var policy = PolicyLoader.Load("""
            { "name": "t", "timeZone": "Europe/Berlin", "accounts": { "acme-us": { "timeZone": "America/New_York" }, "acme-de": {} } }
            """);

        Assert.Equal(TimeZoneInfo.Utc, PolicyLoader.Load("""{ "name": "t" }""").For("acme", Channel.X).TimeZone);
        Assert.Equal("Europe/Berlin", policy.For("someone", Channel.X).TimeZone.Id);
        Assert.Equal("Europe/Berlin", policy.For("acme-de", Channel.X).TimeZone.Id);
        Assert.Equal("America/New_York", policy.For("acme-us", Channel.LinkedIn).TimeZone.Id);
    }

    [Fact]
    public void Accounts_ListsTheAccountsWithOverrides()
    {
        Assert.Equal(["acme", "globex"], PolicyLoader.Load(Layered).Accounts.Order(StringComparer.Ordinal));
    }

    public static TheoryData<string, string[]> Invalid => new()
    {
        // a policy, the errors it raises
        {
            """{ "name": "t", "accounts": { "acme": { "channels": { "x": { "rules": { "link-dropping/too-many-links": { "maxLinks": 25 } } } } } } }""",
            [
                "$.accounts['acme'].channels['x'].rules['link-dropping/too-many-links'].maxLinks: must be between 0 and 20 (was 25)",
                "$.accounts['acme'].channels['x'].rules['link-dropping/too-many-links'].reviewAbove: must be between 25 and 50 (was 3)",
            ]
        },
        {
            """{ "name": "t", "channels": { "linkedin": { "rules": { "hard-sell/phrases": { "reviewAtScore": 0 } } } } }""",
            ["$.channels['linkedin'].rules['hard-sell/phrases'].reviewAtScore: must be between 1 and 100 (was 0)"]
        },
        {
            // NOTE: the policy's own error is reported once, where it is written, not again under every account and channel.
            """{ "name": "t", "rules": { "cadence/spacing": { "minMinutes": 0 } }, "accounts": { "acme": { "rules": { "cadence/spacing": { "severity": "review" } } } } }""",
            ["$.rules['cadence/spacing'].minMinutes: must be between 1 and 1440 (was 0)"]
        },
        {
            // a conflict is reported in the layer that brings it in: the policy's reviewAbove is fine until acme raises maxLinks
            """{ "name": "t", "rules": { "link-dropping/too-many-links": { "reviewAbove": 3 } }, "accounts": { "acme": { "rules": { "link-dropping/too-many-links": { "maxLinks": 5 } } } } }""",
            ["$.accounts['acme'].rules['link-dropping/too-many-links'].reviewAbove: must be between 5 and 50 (was 3)"]
        },
        {
            """{ "name": "t", "accounts": { "acme": { "rules": { "cadence/spacing": { "minMinutes": "soon" } } } } }""",
            ["$.accounts['acme'].rules['cadence/spacing'].minMinutes: has the wrong type or an unknown value"]
        },
        {
            """{ "name": "t", "accounts": { "acme": { "rules": { "link-dropping/too-many-links": { "maxLink": 2 } } } } }""",
            ["$.accounts['acme'].rules['link-dropping/too-many-links'].maxLink: unknown option 'maxLink'"]
        },
        { """{ "name": "t", "channels": { "twitter": {} } }""", ["$.channels['twitter']: unknown channel"] },
        { """{ "name": "t", "channels": { "X": {} } }""", ["$.channels['X']: unknown channel; did you mean 'x'?"] }, // channel names are lower case
        { """{ "name": "t", "channels": { "linkdin": {} } }""", ["$.channels['linkdin']: unknown channel; did you mean 'linkedin'?"] },
        { """{ "name": "t", "accounts": { "acme": { "channels": { "facebok": {} } } } }""", ["$.accounts['acme'].channels['facebok']: unknown channel; did you mean 'facebook'?"] },
        { """{ "name": "t", "channels": { "x": { "rules": { "cadence/spacin": {} } } } }""", ["$.channels['x'].rules['cadence/spacin']: unknown rule; did you mean 'cadence/spacing'?"] },
        { """{ "name": "t", "accounts": { "acme": { "rules": { "hard-sel/phrases": {} } } } }""", ["$.accounts['acme'].rules['hard-sel/phrases']: unknown rule; did you mean 'hard-sell/phrases'?"] },
        { """{ "name": "t", "channels": { "x": { "timeZone": "UTC" } } }""", ["$.channels['x'].timeZone: unknown property"] }, // a channel overrides rules only
        { """{ "name": "t", "channels": { "x": { "rule": {} } } }""", ["$.channels['x'].rule: unknown property; did you mean 'rules'?"] },
        { """{ "name": "t", "accounts": { "acme": { "allowedDomain": [] } } }""", ["$.accounts['acme'].allowedDomain: unknown property; did you mean 'allowedDomains'?"] },
        { """{ "name": "t", "channels": [] }""", ["$.channels: must be an object"] },
        { """{ "name": "t", "channels": { "x": 1 } }""", ["$.channels['x']: must be an object"] },
        { """{ "name": "t", "accounts": { "acme": [] } }""", ["$.accounts['acme']: must be an object"] },
        { """{ "name": "t", "accounts": { "acme": { "rules": [] } } }""", ["$.accounts['acme'].rules: must be an object"] },
        { """{ "name": "t", "allowedDomains": "acme.com" }""", ["$.allowedDomains: must be an array of domain names"] },
        { """{ "name": "t", "allowedDomains": ["acme.com", "acme", "https://acme.com", 7] }""", ["$.allowedDomains[1]: must be a domain name such as help.acme.com", "$.allowedDomains[2]: must be a domain name such as help.acme.com", "$.allowedDomains[3]: must be a domain name such as help.acme.com"] },
        { """{ "name": "t", "accounts": { "acme": { "allowedDomains": ["acme .com"] } } }""", ["$.accounts['acme'].allowedDomains[0]: must be a domain name such as help.acme.com"] },
        { """{ "name": "t", "timeZone": "Mars/Olympus_Mons" }""", ["$.timeZone: must be an IANA time zone such as Europe/Berlin"] },
        { """{ "name": "t", "timeZone": "" }""", ["$.timeZone: must be an IANA time zone such as Europe/Berlin"] },
        { """{ "name": "t", "timeZone": "utc" }""", ["$.timeZone: must be an IANA time zone such as Europe/Berlin"] },        // ids are written exactly
        { """{ "name": "t", "timeZone": "../../etc/passwd" }""", ["$.timeZone: must be an IANA time zone such as Europe/Berlin"] },
        { """{ "name": "t", "timeZone": -5 }""", ["$.timeZone: must be an IANA time zone such as Europe/Berlin"] },
        { """{ "name": "t", "accounts": { "acme": { "timeZone": "EST-5" } } }""", ["$.accounts['acme'].timeZone: must be an IANA time zone such as Europe/Berlin"] },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Load_InvalidScopes_NameThePathOfEachError(string json, string[] expected)
    {
        Assert.Equal(expected, Policies.ErrorsOf(json));
    }

    [Theory]
    [InlineData("UTC")]
    [InlineData("Etc/UTC")]
    [InlineData("Europe/Berlin")]
    [InlineData("America/New_York")]
    [InlineData("Asia/Kolkata")]
    public void Load_IanaTimeZone_IsAccepted(string zone)
    {
        Assert.Equal(zone, PolicyLoader.Load($$"""{ "name": "t", "timeZone": "{{zone}}" }""").Defaults.TimeZone.Id);
    }

    [Fact]
    public void Load_TimeZoneInTheWrongCase_FailsEvenWhenTheZoneIsAlreadyInUse()
    {
        // NOTE: .NET finds a cached zone whatever the case; the loader must not depend on what was looked up before.
        Assert.Equal("America/New_York", PolicyLoader.Load("""{ "name": "t", "timeZone": "America/New_York" }""").Defaults.TimeZone.Id);

        Assert.Equal(
            ["$.timeZone: must be an IANA time zone such as Europe/Berlin"],
            Policies.ErrorsOf("""{ "name": "t", "timeZone": "america/new_york" }"""));
    }

    [Fact]
    public void Version_CoversScopes()
    {
        var plain = PolicyLoader.Load("""{ "name": "t" }""");
        var withAccount = PolicyLoader.Load("""{ "name": "t", "accounts": { "acme": { "timeZone": "Europe/Berlin" } } }""");
        var otherZone = PolicyLoader.Load("""{ "name": "t", "accounts": { "acme": { "timeZone": "Europe/Paris" } } }""");

        Assert.Equal(3, new[] { plain.Version, withAccount.Version, otherZone.Version }.Distinct(StringComparer.Ordinal).Count());
    }

    private static TooManyLinksOptions LinksOptions(PolicyScope scope) =>
        (TooManyLinksOptions)scope.Rules.Single(r => r.Rule is TooManyLinksRule).Options;
}
