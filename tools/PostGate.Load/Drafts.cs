using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace PostGate.Load;

/// <summary>
/// Check bodies: a few dozen post texts of every kind the rules look at (clean, hard sell, shouting, shortened and
/// bare links, hashtags, replies, long posts), accounts round-robin, a distinct draft id per request so idempotency
/// never answers from an earlier decision, and scheduled times spread over three weeks.
/// </summary>
internal sealed class Drafts
{
    public const int Accounts = 64;

    /// <summary>How far the scheduled times spread, in minutes (three weeks).</summary>
    private const int SpreadMinutes = 21 * 24 * 60;

    private static readonly string[] Authors = ["sam", "ana", "lee", "kofi", "mira", "joon", "ravi", "eva", "tomas", "ines", "yuki", "noor"];

    private static readonly string?[] Campaigns = [null, null, "spring-launch", "webinar-q3", null, "hiring"];

    private static readonly (string Channel, string Text, bool Reply, string[]? Links)[] Posts =
    [
        ("x", "BUY NOW!!! 50% off, limited time only: bit.ly/deal", false, null),
        ("x", "Thanks for flagging this, Priya. The fix for the export bug ships on Thursday; we'll reply here when it's live.", true, null),
        ("linkedin", "We are hiring two backend engineers in Lisbon. You'll work on the ingestion pipeline with a team of six. Details and salary ranges: https://example.com/careers/backend", false, null),
        ("x", "https://example.com/blog/release-4-2", false, null),
        ("instagram", "Behind the scenes at our roastery this morning ☕ #coffee #roastery #smallbatch #fresh #morning #behindthescenes", false, null),
        ("x", "LAST CHANCE!!! DON'T MISS OUT ON THE BIGGEST SALE OF THE YEAR!!!", false, null),
        ("facebook", "Our community garden opens on Saturday at 10. Bring gloves; we'll bring tea and seedlings.", false, null),
        ("linkedin", "Three things we learned moving our billing system to event sourcing: keep events small, version them from day one, and make replays boring. Longer write-up on the blog.", false, ["https://example.com/blog/event-sourcing-billing"]),
        ("x", "@jordan good question! The API limit is 600 requests a minute per key; the docs list the headers that tell you what's left.", true, null),
        ("threads", "Act fast: only 3 spots left at this price. Guaranteed results or your money back! tinyurl.com/x8k2", false, null),
        ("bluesky", "New post: how we cut our cold-start time in half by trimming start-up reflection. https://example.com/blog/cold-start", false, null),
        ("mastodon", "Reminder that the meetup moved to the library's second floor this month. Same time, same snacks.", false, null),
        ("x", "Check it out https://bit.ly/3xYz https://ow.ly/abc https://example.com/a https://example.com/b", false, null),
        ("instagram", "Sunday market haul 🍅🥕🥬 What are you cooking this week?", false, null),
        ("linkedin", "I'm proud of this team. We shipped the accessibility overhaul: keyboard navigation everywhere, screen-reader labels on every control, and contrast fixed across the app. Thank you to everyone who filed reports.", false, null),
        ("x", "Sorry about the outage this morning, Marco. It was a bad certificate rotation on our side; everything's back and we've added an alert so it can't happen silently again.", true, null),
        ("facebook", "FREE SHIPPING this weekend only!!! Use code SAVE20 at checkout. Order today, don't wait!", false, ["https://example.com/shop"]),
        ("x", "Our status page now shows per-region latency. https://status.example.com", false, null),
        ("linkedin", "Join our webinar on Thursday: migrating from cron jobs to a workflow engine, with live Q&A. Register: https://example.com/webinar", false, null),
        ("other", "Quarterly newsletter: new office in Nairobi, two product launches, and a look back at the hackathon.", false, null),
        ("x", "🚀🚀🚀 HUGE NEWS 🚀🚀🚀 click the link in bio NOW", false, null),
        ("threads", "Does anyone else keep a paper notebook next to the keyboard? Mine is mostly arrows and crossed-out queries.", false, null),
        ("bluesky", "@ana.example.social thank you! The slides are on the conference site; the recording should be up next week.", true, null),
        ("instagram", "Meet Lina, who has been baking our sourdough for eight years. Ask her anything in the comments.", false, null),
        ("x", "Exclusive deal for our followers: 2 for 1 on all plans, today only!!! Sign up at goo.gl/abcd", false, null),
        ("linkedin", "We published our incident review for last week's delayed payouts: timeline, root cause (a stuck queue consumer), and the five changes we're making. https://example.com/incidents/2026-03", false, null),
        ("mastodon", "Small release today: dark mode for the dashboard and a fix for timezones in CSV exports. #release #changelog", false, null),
        ("x", "Happy to help, Dana. Could you send the order number by DM? We'll sort out the refund today.", true, null),
        ("facebook", "Win a year of free coffee! Like, share and tag three friends to enter!!!", false, null),
        ("x", "Café au lait, crème brûlée and a naïve attempt at latte art. Ça marche!", false, null),
        ("linkedin", "Hiring update: the data engineering role is filled. Thank you to the 140 people who applied; we replied to every application.", false, null),
        ("x", "example.com/pricing", false, null),
        ("threads", "Our roadmap is public now. Vote on what we build next: https://example.com/roadmap", false, ["https://example.com/roadmap/voting"]),
        ("instagram", "Before and after: the storefront renovation took six weeks and a lot of paint. #renovation #smallbusiness", false, null),
        ("x", "Limited stock!! Order now before it's gone, best price guaranteed, click here: https://bit.ly/buy-now-2026", false, null),
        ("bluesky", "Reading list for the weekend: papers on CRDTs, a history of the spreadsheet, and a very long essay about fonts.", false, null),
    ];

    private readonly DateTimeOffset _firstSlot;
    private readonly string _run;

    public Drafts(DateTimeOffset now, string run)
    {
        // NOTE: scheduled from tomorrow on, as a scheduling tool would; minutes spread the posts over three weeks.
        _firstSlot = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        _run = run;
    }

    public static int TextCount => Posts.Length;

    public static string AccountId(long sequence) =>
        "load-" + (sequence % Accounts).ToString("00", CultureInfo.InvariantCulture);

    /// <summary>Writes draft <paramref name="sequence"/> as a check body.</summary>
    public void Write(long sequence, IBufferWriter<byte> buffer)
    {
        // NOTE: the text advances once per round of accounts, so consecutive drafts of one account differ too.
        var post = Posts[(int)((sequence + (sequence / Accounts)) % Posts.Length)];
        var minutes = sequence * 7919 % SpreadMinutes;
        using var json = new Utf8JsonWriter(buffer);
        json.WriteStartObject();
        json.WriteString("accountId", AccountId(sequence));
        json.WriteString("channel", post.Channel);
        json.WriteString("text", post.Text);
        json.WriteString("scheduledAt", _firstSlot.AddMinutes(minutes).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        json.WriteString("draftId", string.Create(CultureInfo.InvariantCulture, $"{_run}-{sequence}"));
        json.WriteString("author", Authors[sequence % Authors.Length]);
        if (Campaigns[sequence % Campaigns.Length] is { } campaign)
        {
            json.WriteString("campaign", campaign);
        }

        if (post.Reply)
        {
            json.WriteString("inReplyTo", string.Create(CultureInfo.InvariantCulture, $"msg-{sequence}"));
        }

        if (post.Links is { } links)
        {
            json.WriteStartArray("links");
            foreach (var link in links)
            {
                json.WriteStringValue(link);
            }

            json.WriteEndArray();
        }

        if (post.Channel == "instagram")
        {
            json.WriteNumber("mediaCount", 1 + (sequence % 4));
        }

        json.WriteEndObject();
    }
}
