using System.Collections.Frozen;
using System.Text.Json.Serialization;
using PostGate.Rules.Policy;
using PostGate.Rules.Text;

namespace PostGate.Rules.Rules.LinkDropping;

/// <summary>Options of <c>link-dropping/too-many-links</c>.</summary>
public sealed record TooManyLinksOptions : RuleOptions
{
    /// <summary>Links a post may carry before it is coached. Default 1.</summary>
    public int MaxLinks { get; set; } = 1;

    /// <summary>Above this many links the post is held for review. Default 3.</summary>
    public int ReviewAbove { get; set; } = 3;

    public override IEnumerable<(string Member, string Reason)> Validate() =>
        [.. Range("maxLinks", MaxLinks, 0, 20), .. Range("reviewAbove", ReviewAbove, MaxLinks, 50)];

    internal override IReadOnlyCollection<string> Placeholders => ["count", "max", "quoted"];
}

/// <summary>Options of <c>link-dropping/shortener</c>.</summary>
public sealed record ShortenerOptions : RuleOptions
{
    /// <summary>Shortener domains on top of the bundled list. Default none.</summary>
    public IReadOnlyList<string> Domains { get; set; } = [];

    /// <summary>Whether the bundled list of about 220 shorteners applies. Default true.</summary>
    public bool UseBuiltInList { get; set; } = true;

    /// <summary>Shortener domains the account owns and may use (a branded short domain). Default none.</summary>
    public IReadOnlyList<string> Allowed { get; set; } = [];

    [JsonIgnore]
    public FrozenSet<string> Shorteners { get; private set; } = FrozenSet<string>.Empty;

    public override IEnumerable<(string Member, string Reason)> Validate()
    {
        for (var i = 0; i < Domains.Count; i++)
        {
            if (!IsDomain(Domains[i]))
            {
                yield return ($"domains[{i}]", $"'{Domains[i]}' is not a domain name");
            }
        }

        for (var i = 0; i < Allowed.Count; i++)
        {
            if (!IsDomain(Allowed[i]))
            {
                yield return ($"allowed[{i}]", $"'{Allowed[i]}' is not a domain name");
            }
        }
    }

    public override void Prepare()
    {
        var set = new HashSet<string>(UseBuiltInList ? LinkScanner.BuiltInShorteners : [], StringComparer.Ordinal);
        set.UnionWith(Domains.Select(d => d.ToLowerInvariant()));
        set.ExceptWith(Allowed.Select(d => d.ToLowerInvariant()));
        Shorteners = set.ToFrozenSet(StringComparer.Ordinal);
    }

    internal override IReadOnlyCollection<string> Placeholders => ["quoted", "count"];

    private static bool IsDomain(string? value) =>
        value is { Length: > 3 and < 254 } && value.Contains('.', StringComparison.Ordinal)
        && value.All(c => char.IsLetterOrDigit(c) || c is '.' or '-');
}

/// <summary>Options of <c>link-dropping/bare-link</c>.</summary>
public sealed record BareLinkOptions : RuleOptions
{
    /// <summary>Words the post needs besides its links. Default 5.</summary>
    public int MinWords { get; set; } = 5;

    public override IEnumerable<(string Member, string Reason)> Validate() => Range("minWords", MinWords, 1, 50);

    internal override IReadOnlyCollection<string> Placeholders => ["words", "min", "quoted"];
}

/// <summary>Options of <c>link-dropping/link-every-post</c>.</summary>
public sealed record LinkEveryPostOptions : RuleOptions
{
    /// <summary>How far back to look, in days. Default 7.</summary>
    public int WindowDays { get; set; } = 7;

    /// <summary>Highest share of link-carrying posts in the window, this one included. Default 0.6.</summary>
    public double MaxShare { get; set; } = 0.6;

    /// <summary>Posts the window needs before the share means anything. Default 5.</summary>
    public int MinPosts { get; set; } = 5;

    public override IEnumerable<(string Member, string Reason)> Validate() =>
        [.. Range("windowDays", WindowDays, 1, 31), .. Range("maxShare", MaxShare, 0, 1), .. Range("minPosts", MinPosts, 1, 1000)];

    internal override IReadOnlyCollection<string> Placeholders => ["linked", "total", "days", "percent"];
}

/// <summary>Options of <c>link-dropping/tracking-params</c>.</summary>
public sealed record TrackingParamsOptions : RuleOptions
{
    /// <summary>Tracking parameters one link may carry. Default 3 (utm_source, utm_medium, utm_campaign).</summary>
    public int MaxTrackingParams { get; set; } = 3;

    /// <summary>Query parameter names that track; a name ending in '*' is a prefix. Default utm_*, fbclid, gclid and others.</summary>
    public IReadOnlyList<string> Parameters { get; set; } =
        ["utm_*", "fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid", "_hsenc", "_hsmi", "mkt_tok", "vero_id", "oly_anon_id", "oly_enc_id", "wickedid", "twclid", "ttclid", "li_fat_id", "s_cid", "trk", "trkCampaign", "ref_src", "spm"];

    public override IEnumerable<(string Member, string Reason)> Validate()
    {
        foreach (var error in Range("maxTrackingParams", MaxTrackingParams, 0, 50))
        {
            yield return error;
        }

        for (var i = 0; i < Parameters.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Parameters[i]) || Parameters[i] == "*")
            {
                yield return ($"parameters[{i}]", "must name a parameter or a prefix ending in '*'");
            }
        }
    }

    internal override IReadOnlyCollection<string> Placeholders => ["quoted", "count", "max", "params"];

    public bool IsTracking(string name) => IsTracking(name.AsSpan());

    public bool IsTracking(ReadOnlySpan<char> name)
    {
        for (var i = 0; i < Parameters.Count; i++)
        {
            var parameter = Parameters[i];
            if (parameter.EndsWith('*')
                ? name.StartsWith(parameter.AsSpan(0, parameter.Length - 1), StringComparison.OrdinalIgnoreCase)
                : name.Equals(parameter, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Options of <c>link-dropping/repeated-link</c>.</summary>
public sealed record RepeatedLinkOptions : RuleOptions
{
    /// <summary>How far back to look, in days. Default 7.</summary>
    public int WindowDays { get; set; } = 7;

    /// <summary>
    /// Posts in the window that may carry the same link, this one included; the post that would exceed it is flagged.
    /// Default 2: a link already in two other posts is flagged the third time.
    /// </summary>
    public int MaxRepeats { get; set; } = 2;

    // NOTE: at least 1, for this post always carries its own links; 0 flagged every link-carrying post.
    public override IEnumerable<(string Member, string Reason)> Validate() =>
        [.. Range("windowDays", WindowDays, 1, 31), .. Range("maxRepeats", MaxRepeats, 1, 100)];

    internal override IReadOnlyCollection<string> Placeholders => ["quoted", "count", "days"];
}

/// <summary>Options of <c>link-dropping/link-in-reply</c>.</summary>
public sealed record LinkInReplyOptions : RuleOptions
{
    /// <summary>Words of its own a reply with a link needs to count as an answer. Default 8.</summary>
    public int MinAnswerWords { get; set; } = 8;

    public override IEnumerable<(string Member, string Reason)> Validate() => Range("minAnswerWords", MinAnswerWords, 0, 100);

    internal override IReadOnlyCollection<string> Placeholders => ["quoted", "words", "min"];
}
