namespace PostGate.Rules.Engine;

/// <summary>A stretch of the draft's original text, in UTF-16 code units.</summary>
public readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;
}

/// <summary>What one rule saw in one draft: data, not an error.</summary>
/// <remarks>
/// The message and coaching are written from the policy's templates when they are first read, so an evaluation whose
/// texts nobody reads (a preview that only wants the verdict) does not pay for them.
/// </remarks>
public sealed class Finding
{
    private readonly string _messageTemplate;
    private readonly string _coachingTemplate;
    private readonly (string Name, TemplateValue Value)[] _values;
    private string?[]? _texts;
    private string? _message;
    private string? _coaching;

    internal Finding(
        string ruleId,
        string rule,
        Severity severity,
        string messageTemplate,
        string coachingTemplate,
        (string Name, TemplateValue Value)[] values,
        IReadOnlyList<TextSpan> spans,
        IReadOnlyList<string> evidence)
    {
        RuleId = ruleId;
        Rule = rule;
        Severity = severity;
        _messageTemplate = messageTemplate;
        _coachingTemplate = coachingTemplate;
        _values = values;
        Spans = spans;
        Evidence = evidence;
    }

    public string RuleId { get; }

    public string Rule { get; }

    public Severity Severity { get; }

    public string Message => _message ??= Templates.FillValues(_messageTemplate, _values, Texts);

    public string Coaching => _coaching ??= Templates.FillValues(_coachingTemplate, _values, Texts);

    public IReadOnlyList<TextSpan> Spans { get; }

    /// <summary>The values written out, shared by the message and the coaching; made when a text is first read.</summary>
    private string?[] Texts
    {
        get
        {
            var texts = Volatile.Read(ref _texts);
            if (texts is null)
            {
                var made = _values.Length == 0 ? [] : new string?[_values.Length];
                texts = Interlocked.CompareExchange(ref _texts, made, null) ?? made;
            }

            return texts;
        }
    }

    public IReadOnlyList<string> Evidence { get; }

    /// <summary>The imperative that goes into the verdict summary.</summary>
    public required string Action { get; init; }

    /// <summary>Whether the finding sets the verdict, is only shown, or is only logged.</summary>
    public RuleMode Mode { get; init; }
}

/// <summary>
/// The outcome of evaluating one draft against a policy. <see cref="Findings"/> are shown (rules in
/// <c>enforce</c> and <c>warn</c> mode); <see cref="ShadowFindings"/> come from rules in <c>shadow</c> mode and are
/// logged only. <see cref="Analysis"/> is what the gate saw in the draft.
/// </summary>
/// <remarks>The analysis of an evaluation made by <see cref="PolicyEngine"/> is put together when first read.</remarks>
public sealed record Evaluation(
    Verdict Verdict,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<Finding> ShadowFindings,
    IReadOnlyList<string> Summary,
    string PolicyVersion)
{
    private readonly PostContext? _context;
    private readonly KeyValuePair<string, int>[]? _hardSellParts;
    private readonly bool _promotional;
    private Analysis? _analysis;
    private PostSignature? _signature;

    public Evaluation(
        Verdict verdict,
        IReadOnlyList<Finding> findings,
        IReadOnlyList<Finding> shadowFindings,
        IReadOnlyList<string> summary,
        string policyVersion,
        Analysis analysis)
        : this(verdict, findings, shadowFindings, summary, policyVersion)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        _analysis = analysis;
        LinkCount = analysis.CountedLinks;
        HardSellScore = analysis.HardSell.Score;
    }

    internal Evaluation(
        Verdict verdict,
        IReadOnlyList<Finding> findings,
        IReadOnlyList<Finding> shadowFindings,
        IReadOnlyList<string> summary,
        string policyVersion,
        PostContext context,
        int hardSellScore,
        KeyValuePair<string, int>[]? hardSellParts,
        bool promotional)
        : this(verdict, findings, shadowFindings, summary, policyVersion)
    {
        _context = context;
        _hardSellParts = hardSellParts;
        _promotional = promotional;
        LinkCount = context.LinkCount;
        HardSellScore = hardSellScore;
    }

    /// <summary>What the gate saw in the draft.</summary>
    public Analysis Analysis
    {
        get
        {
            var analysis = Volatile.Read(ref _analysis);
            if (analysis is null)
            {
                var made = _context!.Analyze(FindingSink.MakeHardSell(HardSellScore, _hardSellParts));
                analysis = Interlocked.CompareExchange(ref _analysis, made, null) ?? made;
            }

            return analysis;
        }
    }

    /// <summary>What the draft leaves in the account's timeline for later checks.</summary>
    /// <remarks>The signature of an evaluation made by <see cref="PolicyEngine"/> is made when first read.</remarks>
    public PostSignature Signature
    {
        get
        {
            var signature = Volatile.Read(ref _signature);
            if (signature is null)
            {
                // NOTE: the rules have run; the link keys and fingerprint the context knows by now are all it will know.
                var context = _context;
                var made = context is null
                    ? PostSignature.None
                    : new PostSignature(context.TextLinks, context.AttachedLinks, context.KnownLinkKeys, _promotional, context.Draft.Text, context.KnownFingerprint);
                signature = Interlocked.CompareExchange(ref _signature, made, null) ?? made;
            }

            return signature;
        }

        init => _signature = value;
    }

    public int LinkCount { get; }

    public int HardSellScore { get; }
}

/// <summary>What the gate saw in a draft, so integrators can see why it decided as it did.</summary>
public sealed record Analysis(
    IReadOnlyList<LinkAnalysis> Links,
    int CountedLinks,
    int Mentions,
    int Hashtags,
    HardSellAnalysis HardSell)
{
    /// <summary>The channel's length measure and limit, when the channel has one.</summary>
    public ChannelLength? Length { get; init; }
}

/// <summary>One link: where it is (null for an attached link), its host, and how the rules treated it.</summary>
public sealed record LinkAnalysis(string Text, TextSpan? Span, string? Host, bool Shortener, bool Allowed);

/// <summary>The hard-sell score and what it is made of (phrase categories, patterns, emoji).</summary>
public sealed record HardSellAnalysis(int Score, IReadOnlyDictionary<string, int> Parts)
{
    public static HardSellAnalysis None { get; } = new(0, new Dictionary<string, int>());
}

/// <summary>How long a post is in its channel's own measure, and the channel's limit.</summary>
public sealed record ChannelLength(int Length, int Limit, string Unit);
