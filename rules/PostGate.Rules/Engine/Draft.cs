namespace PostGate.Rules.Engine;

/// <summary>The social networks the gate knows. <see cref="Other"/> gets no channel-specific limits.</summary>
public enum Channel
{
    X,
    LinkedIn,
    Facebook,
    Instagram,
    Threads,
    Bluesky,
    Mastodon,
    Other,
}

public static class Channels
{
    public static IReadOnlyList<string> WireNames { get; } =
        ["x", "linkedin", "facebook", "instagram", "threads", "bluesky", "mastodon", "other"];

    public static bool TryParse(string? value, out Channel channel)
    {
        var index = value is null ? -1 : IndexOf(value);
        channel = index < 0 ? Channel.Other : (Channel)index;
        return index >= 0;
    }

    public static string ToWire(this Channel channel) => WireNames[(int)channel];

    private static int IndexOf(string value)
    {
        for (var i = 0; i < WireNames.Count; i++)
        {
            if (string.Equals(WireNames[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>A post about to be published.</summary>
public sealed record Draft
{
    public required string AccountId { get; init; }

    public required Channel Channel { get; init; }

    public required string Text { get; init; }

    /// <summary>When the post goes out (UTC). Cadence rules measure against this instant.</summary>
    public required DateTimeOffset ScheduledAt { get; init; }

    /// <summary>Id of the customer message this post answers; a reply counts as conversation.</summary>
    public string? InReplyTo { get; init; }

    /// <summary>The customer's message this post answers, when the scheduler has it; a '?' in it marks a question.</summary>
    public string? InReplyToText { get; init; }

    public string? DraftId { get; init; }

    public string? Author { get; init; }

    public string? Campaign { get; init; }

    /// <summary>Links attached outside the text (link cards, first comment).</summary>
    public IReadOnlyList<string> Links { get; init; } = [];

    public int MediaCount { get; init; }

    public bool IsReply => !string.IsNullOrEmpty(InReplyTo);
}

/// <summary>Whether a timeline entry talked with someone or talked at everyone.</summary>
public enum PostKind
{
    Broadcast,
    Reply,
}

/// <summary>A post the account has already published or scheduled, as the cadence rules see it.</summary>
public sealed record TimelineEntry(
    string DecisionId,
    string? DraftId,
    DateTimeOffset ScheduledAt,
    Channel Channel,
    PostKind Kind,
    int LinkCount,
    int HardSellScore)
{
    /// <summary>The post's links as keys (host and path, lower case, no query), for spotting the same link again.</summary>
    public IReadOnlyList<string> LinkKeys { get; init; } = [];

    /// <summary>Whether the post was a promotion (its hard-sell score reached the policy's mark).</summary>
    public bool Promotional { get; init; }

    /// <summary>SimHash of the post's words, for spotting nearly the same text again; 0 when the post is too short.</summary>
    public ulong Fingerprint { get; init; }

    /// <summary>The timeline entry a checked draft leaves behind.</summary>
    public static TimelineEntry From(string decisionId, Draft draft, Evaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(evaluation);
        return new TimelineEntry(
            decisionId,
            draft.DraftId,
            draft.ScheduledAt,
            draft.Channel,
            draft.IsReply ? PostKind.Reply : PostKind.Broadcast,
            evaluation.LinkCount,
            evaluation.HardSellScore)
        {
            LinkKeys = evaluation.Signature.LinkKeys,
            Promotional = evaluation.Signature.Promotional,
            Fingerprint = evaluation.Signature.Fingerprint,
        };
    }
}

/// <summary>What a checked draft contributes to the account's timeline.</summary>
/// <remarks>
/// The fingerprint of a checked draft is taken when it is first read, unless a rule needed it during the check, so a
/// check whose signature nobody stores does not pay for it.
/// </remarks>
public sealed record PostSignature
{
    private readonly Text.NormalizedText? _normalized;
    private readonly IReadOnlyList<Text.LinkMatch> _textLinks = [];
    private readonly IReadOnlyList<string> _attachedLinks = [];
    private IReadOnlyList<string>? _linkKeys;
    private ulong _fingerprint;
    private int _known;

    public PostSignature(IReadOnlyList<string> linkKeys, bool promotional, ulong fingerprint)
    {
        _linkKeys = linkKeys;
        Promotional = promotional;
        _fingerprint = fingerprint;
        _known = 1;
    }

    /// <summary>
    /// A checked draft's signature: the link keys are made from its links and the fingerprint taken from the words of
    /// <paramref name="normalized"/> when first read, unless they are already known.
    /// </summary>
    internal PostSignature(
        IReadOnlyList<Text.LinkMatch> textLinks, IReadOnlyList<string> attachedLinks, IReadOnlyList<string>? linkKeys, bool promotional, Text.NormalizedText normalized, ulong? fingerprint)
    {
        _textLinks = textLinks;
        _attachedLinks = attachedLinks;
        _linkKeys = linkKeys;
        Promotional = promotional;
        _normalized = normalized;
        if (fingerprint is { } known)
        {
            _fingerprint = known;
            _known = 1;
        }
    }

    public static PostSignature None { get; } = new([], false, 0);

    /// <summary>The post's counted links as keys (host and path), distinct.</summary>
    public IReadOnlyList<string> LinkKeys =>
        Volatile.Read(ref _linkKeys) ?? Published.Once(ref _linkKeys, PostContext.MakeLinkKeys(_textLinks, _attachedLinks));

    public bool Promotional { get; }

    /// <summary>SimHash of the post's words (<see cref="Text.SimHash"/> of the normalized text); 0 for a short post.</summary>
    public ulong Fingerprint
    {
        get
        {
            if (Volatile.Read(ref _known) == 0)
            {
                // NOTE: the words the check found are read while this thread still holds them (its buffers are given
                // back when the check ends); otherwise the text is folded again.
                _fingerprint = Text.TextWords.Kept(_normalized!) is { } words ? Text.SimHash.OfWords(words) : Text.SimHash.OfPost(_normalized!.Original);
                Volatile.Write(ref _known, 1);
            }

            return _fingerprint;
        }
    }

    public bool Equals(PostSignature? other) =>
        other is not null && ReferenceEquals(LinkKeys, other.LinkKeys) && Promotional == other.Promotional && Fingerprint == other.Fingerprint;

    public override int GetHashCode() => HashCode.Combine(LinkKeys, Promotional, Fingerprint);
}
