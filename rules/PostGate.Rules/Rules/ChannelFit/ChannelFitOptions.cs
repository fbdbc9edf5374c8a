using System.Text.Json.Serialization;
using PostGate.Rules.Engine;
using PostGate.Rules.Policy;
using PostGate.Rules.Text;

namespace PostGate.Rules.Rules.ChannelFit;

/// <summary>Options of <c>channel-fit/too-long</c>.</summary>
public sealed record ChannelFitOptions : RuleOptions
{
    /// <summary>The largest length each channel accepts, keyed by channel; see <see cref="ChannelLimits"/> for the defaults.</summary>
    public ChannelLimits Limits { get; set; } = new();

    public override IEnumerable<(string Member, string Reason)> Validate()
    {
        foreach (var channel in Enum.GetValues<Channel>())
        {
            foreach (var error in Range($"limits.{channel.ToWire()}", Limits.For(channel), 0, ChannelLimits.Max))
            {
                yield return error;
            }
        }
    }

    internal override IReadOnlyCollection<string> Placeholders => ["length", "limit", "over", "channel", "quoted", "advice"];
}

/// <summary>
/// The largest post each channel accepts, in the channel's own measure (<see cref="WeightedLength.Measure(string, Channel)"/>):
/// X counts weighted characters, Bluesky graphemes, Mastodon its own way, the others characters. 0 means no limit.
/// </summary>
public sealed record ChannelLimits
{
    /// <summary>The largest limit a policy may set.</summary>
    public const int Max = 100_000;

    /// <summary>X, in weighted characters (links 23, emoji and CJK 2). Default 280.</summary>
    public int X { get; set; } = WeightedLength.DefaultLimit(Channel.X);

    /// <summary>LinkedIn, in characters. Default 3,000.</summary>
    [JsonPropertyName("linkedin")]
    public int LinkedIn { get; set; } = WeightedLength.DefaultLimit(Channel.LinkedIn);

    /// <summary>Facebook, in characters. Default 63,206, the practical limit of a post.</summary>
    public int Facebook { get; set; } = WeightedLength.DefaultLimit(Channel.Facebook);

    /// <summary>Instagram captions, in characters. Default 2,200.</summary>
    public int Instagram { get; set; } = WeightedLength.DefaultLimit(Channel.Instagram);

    /// <summary>Threads, in characters. Default 500.</summary>
    public int Threads { get; set; } = WeightedLength.DefaultLimit(Channel.Threads);

    /// <summary>Bluesky, in graphemes. Default 300.</summary>
    public int Bluesky { get; set; } = WeightedLength.DefaultLimit(Channel.Bluesky);

    /// <summary>Mastodon, in characters as Mastodon counts them (links 23). Default 500, the usual server setting.</summary>
    public int Mastodon { get; set; } = WeightedLength.DefaultLimit(Channel.Mastodon);

    /// <summary>Any other network, in characters. Default 0: no limit.</summary>
    public int Other { get; set; }

    public int For(Channel channel) => channel switch
    {
        Channel.X => X,
        Channel.LinkedIn => LinkedIn,
        Channel.Facebook => Facebook,
        Channel.Instagram => Instagram,
        Channel.Threads => Threads,
        Channel.Bluesky => Bluesky,
        Channel.Mastodon => Mastodon,
        _ => Other,
    };
}
