using System.Text;
using System.Text.Json;
using PostGate.Rules.Engine;
using PostGate.Rules.Tests.TestSupport;
using Xunit;

namespace PostGate.Rules.Tests.Engine;

public sealed class FindingTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private const string Sample =
        "Spring planting guide is out! Which beds are you starting first this year? We asked three growers how they plan " +
        "a week of sowing, and their answers surprised us. Read it at https://acme.com/guides/spring?utm_source=x and tell " +
        "@growclub what you think. Limited time: seed kits ship free this week 🌱 #gardening ";

    public static TheoryData<string, bool> Scenarios => new()
    {
        // scenario, evidence read before the message and coaching
        { "Bench", false },
        { "Bench", true },
        { "LongBench", false },
        { "LongBench", true },
        { "Busy", false },
        { "Busy", true },
        { "Duplicate", false },
        { "Duplicate", true },
        { "Tracked", false },
        { "Tracked", true },
    };

    /// <summary>
    /// The texts of every finding, the summary and the signature are those the rules wrote when they made them all at
    /// once, whichever is read first.
    /// </summary>
    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Texts_AreThoseWrittenWhenTheRuleReported(string scenario, bool evidenceFirst)
    {
        var (name, draft, timeline, expected) = Scenario(scenario);

        var evaluation = Gate.Check(Policies.Default, draft, timeline);

        Assert.Equal(expected, Describe(name, evaluation, evidenceFirst));
    }

    [Fact]
    public void Evidence_ReadFromManyThreadsAtOnce_IsOneList()
    {
        var (_, draft, timeline, _) = Scenario("Bench");
        for (var round = 0; round < 200; round++)
        {
            var finding = Gate.Check(Policies.Default, draft, timeline).Single("PG301");
            var read = Threads.ReadAtOnce(() => (finding.Evidence, finding.Message, finding.Coaching));

            Assert.All(read, r => Assert.Same(read[0].Evidence, r.Evidence));
            Assert.All(read, r => Assert.Equal(["22 posts in 24 hours"], r.Evidence));
            Assert.All(read, r => Assert.Equal("This would be post 22 in 24 hours; the policy allows 4.", r.Message));
            Assert.All(read, r => Assert.StartsWith("This would be the account's 22nd post in 24 hours.", r.Coaching, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Evidence_GivenByTheRule_IsThatList()
    {
        var evaluation = Gate.Check(Policies.Default, Drafts.Post("Buy now, act fast!"));

        var finding = evaluation.Single("PG201");
        Assert.Same(finding.Evidence, finding.Evidence);
        Assert.Equal(["Buy now", "act fast"], finding.Evidence);
    }

    private static string[] Describe(string name, Evaluation evaluation, bool evidenceFirst)
    {
        var lines = new List<string> { $"{name}: {evaluation.Verdict} links={evaluation.LinkCount} hs={evaluation.HardSellScore}" };
        foreach (var finding in evaluation.Findings.Concat(evaluation.ShadowFindings))
        {
            var evidence = evidenceFirst ? JsonSerializer.Serialize(finding.Evidence) : null;
            var spans = string.Join(",", finding.Spans.Select(s => $"{s.Start}+{s.Length}"));
            lines.Add($"{finding.RuleId} {finding.Rule} {finding.Severity} {finding.Mode} [{finding.Action}] spans={spans}");
            lines.Add($"M: {finding.Message}");
            lines.Add($"C: {finding.Coaching}");
            lines.Add($"E: {evidence ?? JsonSerializer.Serialize(finding.Evidence)}");
        }

        lines.Add($"S: {JsonSerializer.Serialize(evaluation.Summary)}");
        lines.Add($"G: {JsonSerializer.Serialize(evaluation.Signature.LinkKeys)} {evaluation.Signature.Promotional} {evaluation.Signature.Fingerprint}");
        return [.. lines];
    }

    private static (string Name, Draft Draft, TimelineEntry[] Timeline, string[] Expected) Scenario(string scenario) => scenario switch
    {
        "Bench" => ("bench 280 200 LinkedIn", Post(Channel.LinkedIn, Make(280), At), BenchTimeline(200), BenchTexts),
        "LongBench" => ("bench 3000 0 X", Post(Channel.X, Make(3000), At), [], LongBenchTexts),
        "Busy" => ("post1 X busy", Post(Channel.X, Example, At) with { Links = ["acme.com/spring"] }, Busy(), BusyTexts),
        "Duplicate" => ("post1 X dup", Post(Channel.X, Example, At), [Earlier(Example)], DuplicateTexts),
        _ => ("post3 X tl", Post(Channel.X, Tracked, At.AddHours(-9)) with { DraftId = "x", Links = ["https://bit.ly/zzz", "acme.com/card"] }, Linked(), TrackedTexts),
    };

    private const string Example = "BUY NOW!!! 50% off, limited time only: bit.ly/deal";

    private const string Tracked = "https://acme.com/a?utm_source=x&utm_medium=y&utm_campaign=z&utm_term=q&utm_content=r";

    private static Draft Post(Channel channel, string text, DateTimeOffset at) =>
        new() { AccountId = "acme", Channel = channel, Text = text, ScheduledAt = at, DraftId = "bench" };

    private static string Make(int length)
    {
        var builder = new StringBuilder();
        while (builder.Length < length)
        {
            builder.Append(Sample);
        }

        return builder.ToString(0, length);
    }

    /// <summary>The bench's timeline: every 50 minutes over 7 days, on every channel, some replies, promotions and links.</summary>
    private static TimelineEntry[] BenchTimeline(int count, Func<int, string[]>? keys = null, double days = 7)
    {
        var spread = TimeSpan.FromDays(days);
        var entries = new TimelineEntry[count];
        for (var i = 0; i < count; i++)
        {
            var when = At - TimeSpan.FromTicks(spread.Ticks / count * (i + 1));
            entries[count - 1 - i] = new TimelineEntry($"d{i}", $"draft{i}", when, (Channel)(i % 7), i % 4 == 0 ? PostKind.Reply : PostKind.Broadcast, i % 2, i % 5)
            {
                LinkKeys = keys?.Invoke(i) ?? (i % 2 == 0 ? [$"acme.com/post/{i}"] : []),
                Promotional = i % 5 == 0,
                Fingerprint = (ulong)(i * 2654435761L) | 1,
            };
        }

        return entries;
    }

    private static TimelineEntry[] Linked() =>
        BenchTimeline(40, i => i % 3 == 0 ? ["acme.com/spring", "acme.com/sizes", "bit.ly/deal", "acme.com/help", "acme.com/a"] : [], days: 3);

    /// <summary>Twelve linked announcements on X, one every 17 minutes before the draft, every other one a promotion.</summary>
    private static TimelineEntry[] Busy() =>
        [.. Enumerable.Range(1, 12).Select(k => new TimelineEntry($"b{k}", null, At.AddMinutes(-17 * k), Channel.X, PostKind.Broadcast, 1, 3)
        {
            LinkKeys = ["acme.com/spring"],
            Promotional = k % 2 == 0,
        }).Reverse()];

    private static TimelineEntry Earlier(string text) =>
        new("dd", null, At.AddHours(-30), Channel.X, PostKind.Broadcast, 0, 0)
        {
            Fingerprint = Gate.Check(Policies.Default, new Draft { AccountId = "acme", Channel = Channel.X, Text = text, ScheduledAt = At }).Signature.Fingerprint,
        };

    // NOTE: the texts below are those the rules wrote while each finding was made with all its texts at once.
    private static readonly string[] BenchTexts =
    [
        "bench 280 200 LinkedIn: Review links=1 hs=3",
        "PG201 hard-sell/phrases Coach Enforce [Drop the sales pressure and say what changes for the customer] spans=252+12",
        "M: \"Limited time\" read as a sales pitch (score 3).",
        "C: \"Limited time\" pressure rather than persuade, and pitches are what people scroll past. Try \"available until Friday\" instead of \"Limited time\".",
        "E: [\"Limited time\"]",
        "PG301 cadence/daily-volume Review Enforce [Post this tomorrow instead] spans=",
        "M: This would be post 22 in 24 hours; the policy allows 4.",
        "C: This would be the account's 22nd post in 24 hours. Followers mute accounts that flood their feed; hold this for tomorrow, or make it a reply to someone who asked.",
        "E: [\"22 posts in 24 hours\"]",
        "PG305 cadence/promotional-share Coach Enforce [Post something useful instead of another promotion] spans=",
        "M: 41 of the account's 201 posts in 7 days are promotions (20%; the policy allows 20%).",
        "C: Most of this week's posts are promotions (41 of 201). Balance them with something useful: a tip, an answer, a thank-you to a customer.",
        "E: [\"41/201 promotional posts in 7 days\"]",
        "S: [\"Post this tomorrow instead\",\"Drop the sales pressure and say what changes for the customer\",\"Post something useful instead of another promotion\"]",
        "G: [\"acme.com/guides/spring\"] True 8602052398264881908",
    ];

    private static readonly string[] LongBenchTexts =
    [
        "bench 3000 0 X: Block links=10 hs=4",
        "PG101 link-dropping/too-many-links Review Enforce [Keep one link and say why it matters] spans=483+43,793+43,1103+43,1413+43,1723+43,2033+43,2343+43,2653+43,2963+37",
        "M: This post carries 10 links (\"https://acme.com/guides/spring?utm_source=x\" and \"https://acme.com/guides/spring?utm_so\"); the policy allows 1.",
        "C: 10 links ask readers to leave in 10 directions. Keep the one that matters most, and say in the post why it is worth their time.",
        "E: [\"https://acme.com/guides/spring?utm_source=x\",\"https://acme.com/guides/spring?utm_source=x\",\"https://acme.com/guides/spring?utm_source=x\",\"https://acme.com/guides/spring?utm_source=x\",\"https://acme.com/guides/spring?utm_source=x\",\"https://acme.com/guides/spring?utm_source=x\",\"https://acme.com/guides/spring?utm_source=x\",\"https://acme.com/guides/spring?utm_source=x\",\"https://acme.com/guides/spring?utm_source=x\",\"https://acme.com/guides/spring?utm_so\"]",
        "PG201 hard-sell/phrases Coach Enforce [Drop the sales pressure and say what changes for the customer] spans=252+12,281+4,562+12,591+4,872+12,901+4,1182+12,1211+4,1492+12,1521+4,1802+12,1831+4,2112+12,2141+4,2422+12,2451+4,2732+12,2761+4",
        "M: \"Limited time\" and \"free\" read as a sales pitch (score 4).",
        "C: \"Limited time\" and \"free\" pressure rather than persuade, and pitches are what people scroll past. Try \"available until Friday\" instead of \"Limited time\".",
        "E: [\"Limited time\",\"free\",\"Limited time\",\"free\",\"Limited time\",\"free\",\"Limited time\",\"free\",\"Limited time\",\"free\",\"Limited time\",\"free\",\"Limited time\",\"free\",\"Limited time\",\"free\",\"Limited time\",\"free\"]",
        "PG203 hard-sell/exclamations Coach Enforce [Keep one '!' at most] spans=",
        "M: \"10 '!'\" piles up exclamation marks.",
        "C: \"10 '!'\" reads as shouting. One '!' at most will be read more kindly.",
        "E: [\"10 \\u0027!\\u0027\"]",
        "PG401 channel-fit/too-long Block Enforce [Shorten the post to fit the channel] spans=300+2700",
        "M: This post is 2806 characters as X counts them; X takes 280.",
        "C: X refuses posts this long: from \"#gardening Spring planting guide…\" on, it is 2526 characters too many. Cut it to the one point that matters most; a short post gets read to the end.",
        "E: [\"2806/280 weighted\"]",
        "S: [\"Shorten the post to fit the channel\",\"Keep one link and say why it matters\",\"Drop the sales pressure and say what changes for the customer\"]",
        "G: [\"acme.com/guides/spring\"] True 17861418083233567476",
    ];

    private static readonly string[] BusyTexts =
    [
        "post1 X busy: Review links=2 hs=10",
        "PG101 link-dropping/too-many-links Coach Enforce [Keep one link and say why it matters] spans=",
        "M: This post carries 2 links (\"bit.ly/deal\" and \"acme.com/spring\"); the policy allows 1.",
        "C: 2 links ask readers to leave in 2 directions. Keep the one that matters most, and say in the post why it is worth their time.",
        "E: [\"bit.ly/deal\",\"acme.com/spring\"]",
        "PG102 link-dropping/shortener Coach Enforce [Use the full address instead of a short link] spans=39+11",
        "M: \"bit.ly/deal\" is a shortened link.",
        "C: A shortened link hides where it goes, and people hesitate to click what they can't see. Use the full address, or your own domain.",
        "E: [\"bit.ly/deal\"]",
        "PG104 link-dropping/link-every-post Coach Enforce [Post something useful without a link] spans=39+11",
        "M: 13 of the account's 13 posts in 7 days carry a link (100%).",
        "C: 13 of your last 13 posts send people elsewhere. Make this one worth reading on its own: a tip, an answer or a customer's story, with no link.",
        "E: [\"13/13 posts with links in 7 days\"]",
        "PG106 link-dropping/repeated-link Coach Enforce [Let the link rest and say something new] spans=",
        "M: \"acme.com/spring\" was already in 12 of the account's posts in 7 days.",
        "C: \"acme.com/spring\" has gone out 12 times in 7 days. Followers who wanted it have seen it; tell them something new about it, or let it rest.",
        "E: [\"acme.com/spring\"]",
        "PG201 hard-sell/phrases Review Enforce [Drop the sales pressure and say what changes for the customer] spans=0+7,11+7,20+17",
        "M: \"BUY NOW\", \"50% off\" and \"limited time only\" read as a sales pitch (score 10).",
        "C: \"BUY NOW\", \"50% off\" and \"limited time only\" pressure rather than persuade, and pitches are what people scroll past. Try \"see how it works\" instead of \"BUY NOW\", or \"available until Friday\" instead of \"limited time only\".",
        "E: [\"BUY NOW\",\"50% off\",\"limited time only\"]",
        "PG203 hard-sell/exclamations Coach Enforce [Keep one '!' at most] spans=7+3",
        "M: \"!!!\" piles up exclamation marks.",
        "C: \"!!!\" reads as shouting. One '!' at most will be read more kindly.",
        "E: [\"!!!\"]",
        "PG301 cadence/daily-volume Review Enforce [Post this tomorrow instead] spans=",
        "M: This would be post 13 in 24 hours; the policy allows 4.",
        "C: This would be the account's 13th post in 24 hours. Followers mute accounts that flood their feed; hold this for tomorrow, or make it a reply to someone who asked.",
        "E: [\"13 posts in 24 hours\"]",
        "PG302 cadence/spacing Coach Enforce [Space this post out from the previous one] spans=",
        "M: This post goes out 17 minutes from another one; the policy asks for 60.",
        "C: Another post goes out 17 minutes from this one. Give each post room to be read and answered: move this one at least 60 minutes away.",
        "E: [\"17 minutes apart\"]",
        "PG303 cadence/no-conversation Coach Enforce [Answer a customer before the next announcement] spans=",
        "M: In 7 days the account posted 13 announcements and 0 replies.",
        "C: The account has posted 13 announcements and 0 replies in 7 days. Answer one of the customers waiting on you before you publish another announcement.",
        "E: [\"13 announcements, 0 replies in 7 days\"]",
        "PG305 cadence/promotional-share Coach Enforce [Post something useful instead of another promotion] spans=",
        "M: 7 of the account's 13 posts in 7 days are promotions (54%; the policy allows 20%).",
        "C: Most of this week's posts are promotions (7 of 13). Balance them with something useful: a tip, an answer, a thank-you to a customer.",
        "E: [\"7/13 promotional posts in 7 days\"]",
        "S: [\"Drop the sales pressure and say what changes for the customer\",\"Post this tomorrow instead\",\"Keep one link and say why it matters\"]",
        "G: [\"bit.ly/deal\",\"acme.com/spring\"] True 13498971737487676438",
    ];

    private static readonly string[] DuplicateTexts =
    [
        "post1 X dup: Review links=1 hs=10",
        "PG102 link-dropping/shortener Coach Enforce [Use the full address instead of a short link] spans=39+11",
        "M: \"bit.ly/deal\" is a shortened link.",
        "C: A shortened link hides where it goes, and people hesitate to click what they can't see. Use the full address, or your own domain.",
        "E: [\"bit.ly/deal\"]",
        "PG201 hard-sell/phrases Review Enforce [Drop the sales pressure and say what changes for the customer] spans=0+7,11+7,20+17",
        "M: \"BUY NOW\", \"50% off\" and \"limited time only\" read as a sales pitch (score 10).",
        "C: \"BUY NOW\", \"50% off\" and \"limited time only\" pressure rather than persuade, and pitches are what people scroll past. Try \"see how it works\" instead of \"BUY NOW\", or \"available until Friday\" instead of \"limited time only\".",
        "E: [\"BUY NOW\",\"50% off\",\"limited time only\"]",
        "PG203 hard-sell/exclamations Coach Enforce [Keep one '!' at most] spans=7+3",
        "M: \"!!!\" piles up exclamation marks.",
        "C: \"!!!\" reads as shouting. One '!' at most will be read more kindly.",
        "E: [\"!!!\"]",
        "PG306 cadence/near-duplicate Coach Enforce [Share something new instead of repeating a post] spans=",
        "M: This is nearly the same text as the post of Monday 30 November 06:00 UTC.",
        "C: This is nearly the same as your post of Monday 30 November 06:00 UTC. Repeating yourself reads as automation; share something new or a customer's story instead.",
        "E: [\"0 of 64 bits differ from decision dd\"]",
        "S: [\"Drop the sales pressure and say what changes for the customer\",\"Use the full address instead of a short link\",\"Keep one \\u0027!\\u0027 at most\"]",
        "G: [\"bit.ly/deal\"] True 13498971737487676438",
    ];

    private static readonly string[] TrackedTexts =
    [
        "post3 X tl: Review links=3 hs=0",
        "PG101 link-dropping/too-many-links Coach Enforce [Keep one link and say why it matters] spans=",
        "M: This post carries 3 links (\"https://acme.com/a?utm_source=x&utm_medium=y&utm_campaign=z&utm_term=q&utm_content=r\", \"https://bit.ly/zzz\" and \"acme.com/card\"); the policy allows 1.",
        "C: 3 links ask readers to leave in 3 directions. Keep the one that matters most, and say in the post why it is worth their time.",
        "E: [\"https://acme.com/a?utm_source=x\\u0026utm_medium=y\\u0026utm_campaign=z\\u0026utm_term=q\\u0026utm_content=r\",\"https://bit.ly/zzz\",\"acme.com/card\"]",
        "PG102 link-dropping/shortener Coach Enforce [Use the full address instead of a short link] spans=",
        "M: \"https://bit.ly/zzz\" is a shortened link.",
        "C: A shortened link hides where it goes, and people hesitate to click what they can't see. Use the full address, or your own domain.",
        "E: [\"https://bit.ly/zzz\"]",
        "PG103 link-dropping/bare-link Coach Enforce [Say in a sentence why the link is worth a click] spans=0+84",
        "M: Apart from \"https://acme.com/a?utm_source=x&utm_medium=y&utm_campaign=z&utm_term=q&utm_content=r\", \"https://bit.ly/zzz\" and \"acme.com/card\", this post has 0 of the 5 words the policy asks for.",
        "C: This post is a link with almost nothing around it. Add a sentence on what the reader will learn or why you're sharing it.",
        "E: [\"https://acme.com/a?utm_source=x\\u0026utm_medium=y\\u0026utm_campaign=z\\u0026utm_term=q\\u0026utm_content=r\",\"https://bit.ly/zzz\",\"acme.com/card\"]",
        "PG105 link-dropping/tracking-params Coach Enforce [Trim the tracking tags from the link] spans=0+84",
        "M: \"https://acme.com/a?utm_source=x&utm_medium=y&utm_campaign=z&utm_term=q&utm_content=r\" carries 5 tracking parameters (utm_source, utm_medium, utm_campaign, utm_term, utm_content); the policy allows 3.",
        "C: This link drags a long tracking tail (utm_source, utm_medium, utm_campaign, utm_term, utm_content). People read long tails as being watched; keep the address short and measure with one campaign tag.",
        "E: [\"https://acme.com/a?utm_source=x\\u0026utm_medium=y\\u0026utm_campaign=z\\u0026utm_term=q\\u0026utm_content=r\"]",
        "PG106 link-dropping/repeated-link Coach Enforce [Let the link rest and say something new] spans=0+84",
        "M: \"acme.com/a\" was already in 14 of the account's posts in 7 days.",
        "C: \"acme.com/a\" has gone out 14 times in 7 days. Followers who wanted it have seen it; tell them something new about it, or let it rest.",
        "E: [\"acme.com/a\"]",
        "PG301 cadence/daily-volume Review Enforce [Post this tomorrow instead] spans=",
        "M: This would be post 12 in 24 hours; the policy allows 4.",
        "C: This would be the account's 12th post in 24 hours. Followers mute accounts that flood their feed; hold this for tomorrow, or make it a reply to someone who asked.",
        "E: [\"12 posts in 24 hours\"]",
        "PG304 cadence/quiet-hours Coach Enforce [Schedule it for the daytime] spans=",
        "M: This goes out at 03:00 (UTC), inside the quiet hours 22:00-07:00.",
        "C: This goes out at 03:00 in the account's time zone, while most followers sleep and nobody is there to answer them. Schedule it after 07:00.",
        "E: [\"03:00 UTC\"]",
        "S: [\"Post this tomorrow instead\",\"Keep one link and say why it matters\",\"Use the full address instead of a short link\"]",
        "G: [\"acme.com/a\",\"bit.ly/zzz\",\"acme.com/card\"] False 15875148046695684118",
    ];
}
