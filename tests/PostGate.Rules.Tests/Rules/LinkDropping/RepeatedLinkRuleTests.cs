using CsCheck;
using PostGate.Rules.Engine;
using PostGate.Rules.Tests.TestSupport;
using PostGate.Rules.Text;
using Xunit;
using static PostGate.Rules.Tests.TestSupport.Timeline;

namespace PostGate.Rules.Tests.Rules.LinkDropping;

public sealed class RepeatedLinkRuleTests
{
    private const string Rule = "link-dropping/repeated-link";
    private const string Text = "Our spring notes are up at https://acme.com/spring";
    private const string Key = "acme.com/spring";

    [Fact]
    public void Evaluate_LinkInTwoEarlierPosts_ReportsPG106AtTheLink()
    {
        var evaluation = Gate.Check(Policies.Only(Rule), Drafts.Post(Text), Linked(Days(-3), Key), Linked(Days(-1), Key));

        var finding = evaluation.Single("PG106");
        Assert.Equal(Severity.Coach, finding.Severity);
        Assert.Equal(["https://acme.com/spring"], finding.Quotes(Text));
        Assert.Equal([Key], finding.Evidence);
        Assert.Equal("\"acme.com/spring\" was already in 2 of the account's posts in 7 days.", finding.Message);
        Assert.StartsWith("\"acme.com/spring\" has gone out 2 times in 7 days.", finding.Coaching, StringComparison.Ordinal);
    }

    public static TheoryData<string, TimelineEntry[], string, bool> Cases => new()
    {
        // draft text, the account's other posts, options, reported
        { Text, [Linked(Days(-1), Key)], "{}", false },                                              // once before: this is the second time, fine
        { Text, [Linked(Days(-3), Key), Linked(Days(-1), "acme.com/summer")], "{}", false },          // another page of the same site is another link
        { Text, [Linked(Days(-3), Key), Linked(Days(-1), "acme.com")], "{}", false },
        { Text, [Linked(Days(-7), Key), Linked(Days(-1), Key)], "{}", true },                        // exactly seven days ago still counts
        { Text, [Linked(Days(-8), Key), Linked(Days(-1), Key)], "{}", false },                       // eight days ago does not
        { Text, [Linked(Days(-2), Key), Linked(Days(3), Key)], "{}", true },                         // a post already scheduled later counts too
        { Text, [Linked(Days(-2), Key), Reply(Days(-1), links: 1) with { LinkKeys = [Key] }], "{}", true }, // replies count: the link went out
        { "Spring notes: HTTP://WWW.Acme.com/Spring/?utm_source=x#top", [Linked(Days(-3), Key), Linked(Days(-1), Key)], "{}", true }, // scheme, www, case, query and fragment aside
        { "Spring notes are up, have a look", [Linked(Days(-3), Key), Linked(Days(-1), Key)], "{}", false }, // no link in this post
        { Text, [Linked(Days(-1), Key)], """{ "maxRepeats": 1 }""", true },
        { Text, [Linked(Days(-3), Key), Linked(Days(-1), Key)], """{ "maxRepeats": 3 }""", false },
        { Text, [Linked(Days(-3), Key), Linked(Days(-2), Key)], """{ "windowDays": 1 }""", false },
        { Text, [Linked(Days(-3), Key), Linked(Days(-1), Key)], """{ "severity": "off" }""", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_CountsEarlierPostsWithTheSameLink(string text, TimelineEntry[] timeline, string options, bool reported)
    {
        var evaluation = Gate.Check(Policies.Only(Rule, options), Drafts.Post(text), timeline);

        Assert.Equal(reported, evaluation.Findings.Any(f => f.RuleId == "PG106"));
    }

    [Fact]
    public void Evaluate_TwoRepeatedLinks_ReportsEach()
    {
        const string text = "Notes at https://acme.com/spring and sizes at https://acme.com/sizes";
        TimelineEntry[] timeline = [Linked(Days(-3), Key, "acme.com/sizes"), Linked(Days(-1), Key, "acme.com/sizes")];

        var findings = Gate.Check(Policies.Only(Rule), Drafts.Post(text), timeline).Findings;

        Assert.Equal([[Key], ["acme.com/sizes"]], findings.Select(f => f.Evidence));
        Assert.Equal([[9], [46]], findings.Select(f => f.Starts()));
    }

    [Fact]
    public void Evaluate_AttachedLink_IsCompared()
    {
        var draft = Drafts.Post("Our spring notes are up", links: ["https://acme.com/spring"]);

        var finding = Gate.Check(Policies.Only(Rule), draft, Linked(Days(-3), Key), Linked(Days(-1), Key)).Single("PG106");

        Assert.Empty(finding.Spans);
        Assert.Equal([Key], finding.Evidence);
    }

    [Fact]
    public void Evaluate_LinkOnAnAllowedDomain_IsNotCompared()
    {
        var policy = Policies.Only(Rule, scope: """ "allowedDomains": ["acme.com"] """);

        var evaluation = Gate.Check(policy, Drafts.Post(Text), Linked(Days(-3), Key), Linked(Days(-1), Key));

        Assert.Empty(evaluation.Findings);
    }

    [Fact]
    public void Evaluate_EarlierVersionOfThisDraft_IsNotCounted()
    {
        TimelineEntry[] timeline = [Linked(Days(-3), Key), Linked(Hours(-1), Key) with { DraftId = "draft-6" }];

        var evaluation = Gate.Check(Policies.Only(Rule), Drafts.Post(Text, draftId: "draft-6"), timeline);

        Assert.Empty(evaluation.Findings);
    }

    public static TheoryData<string, string> WrittenOtherwise => new()
    {
        // link in the draft, key in the earlier posts
        { "HTTPS://ACME.COM/Spring", Key },                    // upper-case scheme and host
        { "https://www.acme.com/spring", Key },                 // "www."
        { "https://WWW.acme.com/spring", Key },
        { "https://acme.com/spring?utm_source=x&b=2", Key },    // a query
        { "https://acme.com/spring#sizes", Key },               // a fragment
        { "https://acme.com/spring/", Key },                    // a trailing slash
        { "acme.com/spring", Key },                             // no scheme
        { "https://acme.com/spring/fall", "acme.com/spring/fall" },
        { "https://help.acme.com/spring", "help.acme.com/spring" }, // another subdomain is another site
    };

    [Theory]
    [MemberData(nameof(WrittenOtherwise))]
    public void Evaluate_LinkWrittenOtherwise_IsComparedByItsKey(string link, string key)
    {
        var text = $"Our spring notes are up at {link} for all";
        TimelineEntry[] timeline = [Linked(Days(-3), key), Linked(Days(-1), "acme.com/other", key)];

        var finding = Gate.Check(Policies.Only(Rule), Drafts.Post(text), timeline).Single("PG106");

        Assert.Equal([key], finding.Evidence);
        Assert.Equal([27], finding.Starts());
        Assert.Equal($"\"{key}\" was already in 2 of the account's posts in 7 days.", finding.Message);
    }

    [Fact]
    public void Evaluate_FindsWhatTheStringKeysOfThePostFind()
    {
        // NOTE: the rule compares keys written into a buffer; the expectation is made from the keys as strings, the
        // way the signature stores them, over the same drafts and timelines.
        var link = Gen.Select(
            Gen.OneOf("", "https://", "HTTP://", "hTTps://"),
            Gen.OneOf("", "www.", "WWW."),
            Gen.OneOf("acme.com", "ACME.com", "Acme.Com", "shop.acme.com", "bit.ly"),
            Gen.OneOf("", "/", "/spring", "/Spring", "/spring/", "/spring//", "/a/b"),
            Gen.OneOf("", "?utm_source=x", "#top", "?a=1#b", "/?x=1"))
            .Select((scheme, www, host, path, tail) => scheme + www + host + path + tail);
        var words = Gen.OneOf("spring", "notes", "at", "and", "read");
        var text = Gen.Frequency((3, words), (2, link)).Array[1, 8].Select(parts => string.Join(' ', parts));
        var attached = link.SelectMany(l => Gen.OneOf(l, $"  {l} ")).Array[0, 2];
        var keys = link.Select(ReferenceLinkKeys.Of).Array[0, 3];
        var timeline = keys.Array[0, 5].Select(entries =>
            entries.Select((k, i) => Linked(Days(-1 - i), k)).Reverse().ToArray());
        var options = Gen.OneOf("{}", """{ "maxRepeats": 1 }""", """{ "maxRepeats": 3 }""");
        var policies = new Dictionary<string, PostGate.Rules.Policy.Policy>();

        Gen.Select(text, attached, timeline, options).Sample((t, cards, entries, json) =>
        {
            if (!policies.TryGetValue(json, out var policy))
            {
                policies[json] = policy = Policies.Only(Rule, json);
            }

            var maxRepeats = json.Contains('1', StringComparison.Ordinal) ? 1 : json.Contains('3', StringComparison.Ordinal) ? 3 : 2;
            var draft = Drafts.Post(t, links: cards);
            var evaluation = Gate.Check(policy, draft, entries);

            var textLinks = LinkScanner.Scan(t);
            var scanned = textLinks.Select(l => l.Text).ToList();
            var counted = scanned.Concat(cards.Where(c => !scanned.Contains(c, StringComparer.OrdinalIgnoreCase))).ToList();
            var expected = new List<(string Key, int Count, int[] Starts)>();
            foreach (var key in counted.Select(ReferenceLinkKeys.Of).Distinct())
            {
                var count = entries.Count(e => e.LinkKeys.Contains(key));
                if (count >= maxRepeats)
                {
                    expected.Add((key, count, [.. textLinks.Where(l => ReferenceLinkKeys.Of(l.Text) == key).Select(l => l.Span.Start)]));
                }
            }

            Assert.Equal(expected, evaluation.Findings.Select(f => (f.Evidence.Single(), int.Parse(f.Message.Split(' ')[4], System.Globalization.CultureInfo.InvariantCulture), f.Starts())));
            Assert.Equal(counted.Select(ReferenceLinkKeys.Of).Distinct(), evaluation.Signature.LinkKeys);
        }, iter: 3000);
    }

    [Theory]
    [InlineData("""{ "maxRepeats": 0 }""", "maxRepeats: must be between 1 and 100 (was 0)")] // this post always carries its own link
    [InlineData("""{ "maxRepeats": 101 }""", "maxRepeats: must be between 1 and 100 (was 101)")]
    [InlineData("""{ "windowDays": 0 }""", "windowDays: must be between 1 and 31 (was 0)")]
    [InlineData("""{ "windowDays": 32 }""", "windowDays: must be between 1 and 31 (was 32)")]
    public void Load_InvalidOptions_NamesThePath(string options, string expected)
    {
        Assert.Equal([$"$.rules['{Rule}'].{expected}"], Policies.ErrorsOf($$"""{ "name": "t", "rules": { "{{Rule}}": {{options}} } }"""));
    }

    private static TimelineEntry Linked(TimeSpan offset, params string[] keys) =>
        Broadcast(offset, links: keys.Length) with { LinkKeys = keys };
}
