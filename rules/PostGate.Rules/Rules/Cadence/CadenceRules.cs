using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using PostGate.Rules.Engine;
using PostGate.Rules.Policy;

namespace PostGate.Rules.Rules.Cadence;

/// <summary>PG301: flags an account that floods its followers' feeds.</summary>
public sealed class DailyVolumeRule : Rule<DailyVolumeOptions>
{
    public static RuleDescriptor Definition { get; } = RuleDescriptor.Create(
        id: "PG301",
        name: "cadence/daily-volume",
        title: "Too many posts in a day",
        message: "This would be post {count} in 24 hours; the policy allows {max}.",
        coaching: "This would be the account's {nth} post in 24 hours. Followers mute accounts that flood their feed; hold this for tomorrow, or make it a reply to someone who asked.",
        action: "Post this tomorrow instead",
        why: "Followers mute accounts that flood their feed, and a muted brand cannot help anyone.",
        defaultSeverity: Severity.Coach);

    public override RuleDescriptor Descriptor => Definition;

    protected override JsonTypeInfo<DailyVolumeOptions> OptionsTypeInfo => PolicyJsonContext.Default.DailyVolumeOptions;

    protected override void Evaluate(PostContext post, DailyVolumeOptions options, FindingSink sink)
    {
        if (post.Draft.IsReply && !options.CountReplies)
        {
            return;
        }

        var day = TimeSpan.FromHours(24);
        var times = post.Around(day, day)
            .Where(e => options.CountReplies || e.Kind == PostKind.Broadcast)
            .Select(e => e.ScheduledAt)
            .ToList();
        var count = BusiestDayWith(post.Draft.ScheduledAt, times, day);
        if (count <= options.MaxPosts)
        {
            return;
        }

        var severity = FindingSink.SeverityOf(Descriptor, options);
        if (count > options.ReviewAbove && severity < Severity.Review)
        {
            severity = Severity.Review;
        }

        sink.Report(Descriptor, options, severity, [], [$"{count} posts in 24 hours"],
            ("count", count), ("nth", Ordinal(count)), ("max", options.MaxPosts));
    }

    /// <summary>The most posts any 24-hour window holding <paramref name="at"/> contains, the post at <paramref name="at"/> included.</summary>
    internal static int BusiestDayWith(DateTimeOffset at, IReadOnlyList<DateTimeOffset> others, TimeSpan window)
    {
        var best = 1;
        foreach (var start in others.Where(t => t <= at && t > at - window).Append(at))
        {
            var end = start + window;
            var count = 1 + others.Count(t => t >= start && t < end);
            best = Math.Max(best, count);
        }

        return best;
    }

    internal static string Ordinal(int n)
    {
        string[] words = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];
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

    public override RuleDescriptor Descriptor => Definition;

    protected override JsonTypeInfo<SpacingOptions> OptionsTypeInfo => PolicyJsonContext.Default.SpacingOptions;

    protected override void Evaluate(PostContext post, SpacingOptions options, FindingSink sink)
    {
        if (post.Draft.IsReply)
        {
            return;
        }

        var gap = TimeSpan.FromMinutes(options.MinMinutes);
        TimeSpan? closest = null;
        foreach (var entry in post.Around(gap, gap))
        {
            if (entry.Kind != PostKind.Broadcast)
            {
                continue;
            }

            var distance = (entry.ScheduledAt - post.Draft.ScheduledAt).Duration();
            if (distance < gap && (closest is null || distance < closest))
            {
                closest = distance;
            }
        }

        if (closest is null)
        {
            return;
        }

        var minutes = (int)Math.Floor(closest.Value.TotalMinutes);
        sink.Report(Descriptor, options, FindingSink.SeverityOf(Descriptor, options), [], [$"{minutes} minutes apart"],
            ("minutes", minutes), ("min", options.MinMinutes));
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

    public override RuleDescriptor Descriptor => Definition;

    protected override JsonTypeInfo<NoConversationOptions> OptionsTypeInfo => PolicyJsonContext.Default.NoConversationOptions;

    protected override void Evaluate(PostContext post, NoConversationOptions options, FindingSink sink)
    {
        if (post.Draft.IsReply)
        {
            return;
        }

        var window = post.Around(TimeSpan.FromDays(options.WindowDays), TimeSpan.Zero).ToList();
        var replies = window.Count(e => e.Kind == PostKind.Reply);
        var broadcasts = window.Count - replies + 1;
        var total = window.Count + 1;
        if (total < options.MinPosts || replies >= options.MinReplyShare * total)
        {
            return;
        }

        sink.Report(Descriptor, options, FindingSink.SeverityOf(Descriptor, options), [],
            [$"{broadcasts} announcements, {replies} replies in {options.WindowDays} days"],
            ("broadcasts", broadcasts), ("replies", replies), ("days", options.WindowDays));
    }
}
