using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using PostGate.Rules.Engine;
using PostGate.Rules.Policy;
using PostGate.Rules.Text;

namespace PostGate.Rules.Rules.Cadence;

/// <summary>PG301: flags an account that floods its followers' feeds.</summary>
public sealed class DailyVolumeRule : Rule<DailyVolumeOptions>
{
    public static RuleDescriptor Definition { get; } = RuleDescriptor.Create(
        id: "PG301",
        name: "cadence/daily-volume",
        title: "Too many posts in a day",
        message: "This would be post {count} {scope}; the policy allows {max}.",
        coaching: "This would be the account's {nth} post {scope}. Followers mute accounts that flood their feed; hold this for tomorrow, or make it a reply to someone who asked.",
        action: "Post this tomorrow instead",
        why: "Followers mute accounts that flood their feed, and a muted brand cannot help anyone.",
        defaultSeverity: Severity.Coach);

    // NOTE: the channel is kept only when the post is over the limit of its channel alone; the scope then names it.
    private static readonly FindingFormat<(int Count, int Max, Channel? Channel)> Format = new(
        Definition,
        static v => $"{v.Count} posts {Scope(v.Channel)}",
        ("count", static v => v.Count),
        ("nth", static v => Ordinal(v.Count)),
        ("max", static v => v.Max),
        ("scope", static v => Scope(v.Channel)));

    public override RuleDescriptor Descriptor => Definition;

    protected override JsonTypeInfo<DailyVolumeOptions> OptionsTypeInfo => PolicyJsonContext.Default.DailyVolumeOptions;

    protected override void Evaluate(PostContext post, DailyVolumeOptions options, FindingSink sink)
    {
        if (post.Draft.IsReply && !options.CountReplies)
        {
            return;
        }

        var day = TimeSpan.FromHours(24);
        var (low, high) = post.Window(day, day);
        var columns = post.Columns;
        var ticks = columns.Ticks[low..high];
        var marks = columns.Marks[low..high];
        var channels = columns.Channels[low..high];
        var skipped = options.CountReplies ? (byte)0 : TimelineColumns.Reply;
        var at = post.Draft.ScheduledAt.UtcTicks;
        var count = BusiestDayWith(at, ticks, marks, channels, skipped, null, day.Ticks);

        // NOTE: the channel's own count is only shown when the account as a whole is within its limit.
        var onChannel = count <= options.MaxPosts ? BusiestDayWith(at, ticks, marks, channels, skipped, post.Draft.Channel, day.Ticks) : 0;

        var (shown, max) = count > options.MaxPosts ? (count, options.MaxPosts) : (onChannel, options.MaxPostsPerChannel);
        if (shown <= max)
        {
            return;
        }

        var severity = FindingSink.SeverityOf(Descriptor, options);
        if (count > options.ReviewAbove && severity < Severity.Review)
        {
            severity = Severity.Review;
        }

        sink.Report(Format, options, severity, [], (shown, max, count > options.MaxPosts ? null : post.Draft.Channel));
    }

    private static string Scope(Channel? channel) => channel is { } one ? $"on {one.ToWire()} in 24 hours" : "in 24 hours";

    /// <summary>
    /// The most posts any window of <paramref name="window"/> ticks holding <paramref name="at"/> contains, the post
    /// at <paramref name="at"/> included: the windows [start, start + window) that start at <paramref name="at"/> or at
    /// another post scheduled in (at - window, at]. The other posts are those of <paramref name="ticks"/> (UTC ticks,
    /// oldest first) whose marks carry no bit of <paramref name="skipped"/> and, when <paramref name="channel"/> is
    /// given, on that channel.
    /// </summary>
    internal static int BusiestDayWith(
        long at, ReadOnlySpan<long> ticks, ReadOnlySpan<byte> marks, ReadOnlySpan<Channel> channels, byte skipped, Channel? channel, long window)
    {
        // NOTE: one pass with two ends that only move forward: the window's end (e) as each post that can start a
        // window is reached (i), and how many counted posts lie between them. A window starting at a post counts
        // from that post's first index, so of posts at one instant the first counts them all.
        var n = ticks.Length;
        var anyChannel = channel is null;
        var only = channel.GetValueOrDefault();
        var i = 0;
        while (i < n && ticks[i] <= at - window)
        {
            i++;
        }

        var e = i;
        var inWindow = 0;
        var best = 1;
        for (; i < n && ticks[i] <= at; i++)
        {
            var end = ticks[i] + window;
            while (e < n && ticks[e] < end)
            {
                inWindow += Counts(marks, channels, e, skipped, anyChannel, only) ? 1 : 0;
                e++;
            }

            if (Counts(marks, channels, i, skipped, anyChannel, only))
            {
                best = Math.Max(best, 1 + inWindow);
                inWindow--;
            }
        }

        // NOTE: last, the window that starts at the post itself; posts at its very instant were counted as starts of
        // the same window above.
        while (e < n && ticks[e] < at + window)
        {
            inWindow += Counts(marks, channels, e, skipped, anyChannel, only) ? 1 : 0;
            e++;
        }

        return Math.Max(best, 1 + inWindow);

        static bool Counts(ReadOnlySpan<byte> marks, ReadOnlySpan<Channel> channels, int k, byte skipped, bool anyChannel, Channel only) =>
            (marks[k] & skipped) == 0 && (anyChannel || channels[k] == only);
    }

    private static readonly string[] OrdinalWords = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];

    internal static string Ordinal(int n)
    {
        var words = OrdinalWords;
        if (n >= 0 && n < words.Length)
        {
            return words[n];
        }

        var suffix = (n % 100) is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };
        return n.ToString(CultureInfo.InvariantCulture) + suffix;
    }
}

/// <summary>PG302: flags announcements bunched too close together.</summary>
public sealed class SpacingRule : Rule<SpacingOptions>
{
    public static RuleDescriptor Definition { get; } = RuleDescriptor.Create(
        id: "PG302",
        name: "cadence/spacing",
        title: "Posts bunched together",
        message: "This post goes out {minutes} minutes from another one; the policy asks for {min}.",
        coaching: "Another post goes out {minutes} minutes from this one. Give each post room to be read and answered: move this one at least {min} minutes away.",
        action: "Space this post out from the previous one",
        why: "Back-to-back posts bury each other, and the conversation under the first one never starts.",
        defaultSeverity: Severity.Coach);

    private static readonly FindingFormat<(int Minutes, int Min)> Format = new(
        Definition,
        static v => $"{v.Minutes} minutes apart",
        ("minutes", static v => v.Minutes),
        ("min", static v => v.Min));

    public override RuleDescriptor Descriptor => Definition;

    protected override JsonTypeInfo<SpacingOptions> OptionsTypeInfo => PolicyJsonContext.Default.SpacingOptions;

    protected override void Evaluate(PostContext post, SpacingOptions options, FindingSink sink)
    {
        if (post.Draft.IsReply)
        {
            return;
        }

        var gap = TimeSpan.FromMinutes(options.MinMinutes);
        var (low, high) = post.Window(gap, gap);
        var ticks = post.Columns.Ticks;
        var marks = post.Columns.Marks;
        var at = post.Draft.ScheduledAt.UtcTicks;
        var closest = long.MaxValue;
        for (var k = low; k < high; k++)
        {
            if ((marks[k] & TimelineColumns.Reply) != 0)
            {
                continue;
            }

            var distance = Math.Abs(ticks[k] - at);
            if (distance < gap.Ticks && distance < closest)
            {
                closest = distance;
            }
        }

        if (closest == long.MaxValue)
        {
            return;
        }

        var minutes = (int)Math.Floor(TimeSpan.FromTicks(closest).TotalMinutes);
        sink.Report(Format, options, FindingSink.SeverityOf(Descriptor, options), [], (minutes, options.MinMinutes));
    }
}

/// <summary>PG303: flags an account that only announces and never answers.</summary>
public sealed class NoConversationRule : Rule<NoConversationOptions>
{
    public static RuleDescriptor Definition { get; } = RuleDescriptor.Create(
        id: "PG303",
        name: "cadence/no-conversation",
        title: "Announcements without conversation",
        message: "In {days} days the account posted {broadcasts} announcements and {replies} replies.",
        coaching: "The account has posted {broadcasts} announcements and {replies} replies in {days} days. Answer one of the customers waiting on you before you publish another announcement.",
        action: "Answer a customer before the next announcement",
        why: "A feed of announcements with no replies is a megaphone, and people tune megaphones out.",
        defaultSeverity: Severity.Coach);

    private static readonly FindingFormat<(int Broadcasts, int Replies, int Days)> Format = new(
        Definition,
        static v => $"{v.Broadcasts} announcements, {v.Replies} replies in {v.Days} days",
        ("broadcasts", static v => v.Broadcasts),
        ("replies", static v => v.Replies),
        ("days", static v => v.Days));

    public override RuleDescriptor Descriptor => Definition;

    protected override JsonTypeInfo<NoConversationOptions> OptionsTypeInfo => PolicyJsonContext.Default.NoConversationOptions;

    protected override void Evaluate(PostContext post, NoConversationOptions options, FindingSink sink)
    {
        if (post.Draft.IsReply)
        {
            return;
        }

        var (low, high) = post.Window(TimeSpan.FromDays(options.WindowDays), TimeSpan.Zero);
        var replies = post.Columns.CountMarked(low, high, TimelineColumns.Reply);
        var broadcasts = high - low - replies + 1;
        var total = high - low + 1;
        if (total < options.MinPosts || replies >= options.MinReplyShare * total)
        {
            return;
        }

        sink.Report(Format, options, FindingSink.SeverityOf(Descriptor, options), [], (broadcasts, replies, options.WindowDays));
    }
}

/// <summary>PG304: flags announcements that go out while the account's followers sleep.</summary>
public sealed class QuietHoursRule : Rule<QuietHoursOptions>
{
    public static RuleDescriptor Definition { get; } = RuleDescriptor.Create(
        id: "PG304",
        name: "cadence/quiet-hours",
        title: "Posted during quiet hours",
        message: "This goes out at {time} ({zone}), inside the quiet hours {start}-{end}.",
        coaching: "This goes out at {time} in the account's time zone, while most followers sleep and nobody is there to answer them. Schedule it after {end}.",
        action: "Schedule it for the daytime",
        why: "A post nobody is awake to read, and nobody is there to answer, is broadcast at its loneliest.",
        defaultSeverity: Severity.Coach);

    private static readonly FindingFormat<(TimeOnly Time, string Zone, string Start, string End)> Format = new(
        Definition,
        static v => $"{Text(v.Time)} {v.Zone}",
        ("time", static v => Text(v.Time)),
        ("zone", static v => v.Zone),
        ("start", static v => v.Start),
        ("end", static v => v.End));

    public override RuleDescriptor Descriptor => Definition;

    protected override JsonTypeInfo<QuietHoursOptions> OptionsTypeInfo => PolicyJsonContext.Default.QuietHoursOptions;

    protected override void Evaluate(PostContext post, QuietHoursOptions options, FindingSink sink)
    {
        if (post.Draft.IsReply)
        {
            return;
        }

        var zone = post.Scope.TimeZone;
        var local = TimeZoneInfo.ConvertTime(post.Draft.ScheduledAt, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        if (!options.IsQuiet(time))
        {
            return;
        }

        sink.Report(Format, options, FindingSink.SeverityOf(Descriptor, options), [], (time, zone.Id, options.Start, options.End));
    }

    private static string Text(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>PG305: flags an account whose recent posts are mostly promotions.</summary>
public sealed class PromotionalShareRule : Rule<PromotionalShareOptions>
{
    public static RuleDescriptor Definition { get; } = RuleDescriptor.Create(
        id: "PG305",
        name: "cadence/promotional-share",
        title: "Mostly promotions",
        message: "{promotional} of the account's {total} posts in {days} days are promotions ({percent}%; the policy allows {max}%).",
        coaching: "Most of this week's posts are promotions ({promotional} of {total}). Balance them with something useful: a tip, an answer, a thank-you to a customer.",
        action: "Post something useful instead of another promotion",
        why: "Service first, marketing last: announcements earn attention only after a brand has helped.",
        defaultSeverity: Severity.Coach);

    private static readonly FindingFormat<(int Promotional, int Total, int Days, int Percent, int Max)> Format = new(
        Definition,
        static v => $"{v.Promotional}/{v.Total} promotional posts in {v.Days} days",
        ("promotional", static v => v.Promotional),
        ("total", static v => v.Total),
        ("days", static v => v.Days),
        ("percent", static v => v.Percent),
        ("max", static v => v.Max));

    public override RuleDescriptor Descriptor => Definition;

    protected override JsonTypeInfo<PromotionalShareOptions> OptionsTypeInfo => PolicyJsonContext.Default.PromotionalShareOptions;

    protected override void Evaluate(PostContext post, PromotionalShareOptions options, FindingSink sink)
    {
        if (sink.HardSellScore < options.PromotionalAtScore)
        {
            return;
        }

        var (low, high) = post.Window(TimeSpan.FromDays(options.WindowDays), TimeSpan.Zero);
        var total = high - low + 1;
        var promotional = 1 + post.Columns.CountMarked(low, high, TimelineColumns.Promotional);

        if (total < options.MinPosts || promotional <= options.MaxShare * total)
        {
            return;
        }

        sink.Report(Format, options, FindingSink.SeverityOf(Descriptor, options), [],
            (promotional, total, options.WindowDays, (int)Math.Round(100.0 * promotional / total), (int)Math.Round(100 * options.MaxShare)));
    }
}

/// <summary>PG306: flags nearly the same text posted again.</summary>
public sealed class NearDuplicateRule : Rule<NearDuplicateOptions>
{
    public static RuleDescriptor Definition { get; } = RuleDescriptor.Create(
        id: "PG306",
        name: "cadence/near-duplicate",
        title: "Nearly the same post again",
        message: "This is nearly the same text as the post of {when}.",
        coaching: "This is nearly the same as your post of {when}. Repeating yourself reads as automation; share something new or a customer's story instead.",
        action: "Share something new instead of repeating a post",
        why: "Repeated posts read as automation, and nobody talks back to a machine.",
        defaultSeverity: Severity.Coach);

    private static readonly FindingFormat<(TimelineEntry Closest, int Bits, int Days)> Format = new(
        Definition,
        static v => $"{v.Bits} of 64 bits differ from decision {v.Closest.DecisionId}",
        ("when", static v => v.Closest.ScheduledAt.UtcDateTime.ToString("dddd d MMMM HH:mm 'UTC'", CultureInfo.InvariantCulture)),
        ("days", static v => v.Days));

    public override RuleDescriptor Descriptor => Definition;

    protected override JsonTypeInfo<NearDuplicateOptions> OptionsTypeInfo => PolicyJsonContext.Default.NearDuplicateOptions;

    protected override void Evaluate(PostContext post, NearDuplicateOptions options, FindingSink sink)
    {
        // NOTE: answering many customers with the same words is service, not automation; only announcements count.
        if (post.Draft.IsReply)
        {
            return;
        }

        // NOTE: the post's own fingerprint is taken only when an announcement in the window has one to compare.
        var window = TimeSpan.FromDays(options.WindowDays);
        var (low, high) = post.Window(window, window);
        var marks = post.Columns.Marks;
        var fingerprints = post.Columns.Fingerprints;
        var k = low;
        while (k < high && !IsCompared(fingerprints[k], marks[k]))
        {
            k++;
        }

        var fingerprint = k < high ? post.Fingerprint : 0;
        if (fingerprint == 0)
        {
            return;
        }

        // NOTE: without a branch on whether a post is compared (replies and short posts come at random), a post that is
        // not gets a distance beyond any limit; the first of the closest posts within the limit is kept.
        // Where vectors allow, four or eight posts are screened at once and looked at one by one only when one of them is
        // closer than the best so far, which is rare once nothing is close.
        var found = -1;
        var best = options.MaxDistance + 1;
        var screened = SimHash.Screened;
        while (k < high)
        {
            var end = high;
            if (SimHash.CanScreen)
            {
                k = SimHash.NextCloser(fingerprint, fingerprints[..high], k, best);
                end = Math.Min(k + screened, high);
            }

            for (; k < end; k++)
            {
                var distance = SimHash.Distance(fingerprint, fingerprints[k]) | (Unsafe.BitCast<bool, byte>(!IsCompared(fingerprints[k], marks[k])) << 7);
                if (distance < best)
                {
                    best = distance;
                    found = k;
                }
            }
        }

        if (found < 0)
        {
            return;
        }

        var closest = post.Entries[found];
        sink.Report(Format, options, FindingSink.SeverityOf(Descriptor, options), [], (closest, best, options.WindowDays));
    }

    /// <summary>Whether a post is compared: an announcement long enough to have a fingerprint.</summary>
    private static bool IsCompared(ulong fingerprint, byte marks) => (fingerprint != 0) & ((marks & TimelineColumns.Reply) == 0);
}
