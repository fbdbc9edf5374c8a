namespace PostGate.Rules.Engine;

/// <summary>A stretch of the draft's original text, in UTF-16 code units.</summary>
public readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;
}

/// <summary>What one rule saw in one draft: data, not an error.</summary>
/// <remarks>
/// The message, coaching and (unless the rule gave its own) evidence are written from the policy's templates and the
/// values the rule reported when they are first read, so an evaluation whose texts nobody reads (a preview that only
/// wants the verdict) does not pay for them.
/// </remarks>
public abstract class Finding : ITemplateSource
{
    private readonly string _messageTemplate;
    private readonly string _coachingTemplate;
    private IReadOnlyList<string>? _evidence;

    // NOTE: the texts of the values, then the message and the coaching: one array, made on the first read of any.
    private string?[]? _texts;

    private protected Finding(
        FindingFormat format,
        Severity severity,
        RuleMode mode,
        string messageTemplate,
        string coachingTemplate,
        IReadOnlyList<TextSpan> spans,
        IReadOnlyList<string>? evidence)
    {
        Format = format;
        Severity = severity;
        Mode = mode;
        _messageTemplate = messageTemplate;
        _coachingTemplate = coachingTemplate;
        Spans = spans;
        _evidence = evidence;
    }

    public string RuleId => Format.Descriptor.Id;

    public string Rule => Format.Descriptor.Name;

    public Severity Severity { get; }

    public string Message => Written(Format.NameArray.Length, _messageTemplate);

    public string Coaching => Written(Format.NameArray.Length + 1, _coachingTemplate);

    public IReadOnlyList<TextSpan> Spans { get; }

    /// <summary>What the rule saw, as quotes or counts; written when first read unless the rule gave its own.</summary>
    public IReadOnlyList<string> Evidence =>
        Volatile.Read(ref _evidence) ?? Published.Once(ref _evidence, [WriteEvidence()]);

    /// <summary>The imperative that goes into the verdict summary.</summary>
    public string Action => Format.Descriptor.Action;

    /// <summary>Whether the finding sets the verdict, is only shown, or is only logged.</summary>
    public RuleMode Mode { get; }

    private protected FindingFormat Format { get; }

    private string?[] Texts =>
        Volatile.Read(ref _texts) ?? Published.Once(ref _texts, new string?[Format.NameArray.Length + 2]);

    string? ITemplateSource.TextOf(ReadOnlySpan<char> name)
    {
        var index = Format.IndexOf(name);
        return index < 0 ? null : Texts[index] ??= ValueAt(index).ToString();
    }

    private protected abstract TemplateValue ValueAt(int index);

    private protected abstract string WriteEvidence();

    private string Written(int slot, string template) => Texts[slot] ??= Templates.FillValues(template, this);
}

/// <summary>A finding with the values its rule reported, kept as the rule gave them.</summary>
internal sealed class Finding<TValues> : Finding
{
    private readonly TValues _values;

    internal Finding(
        FindingFormat<TValues> format,
        Severity severity,
        RuleMode mode,
        string messageTemplate,
        string coachingTemplate,
        IReadOnlyList<TextSpan> spans,
        IReadOnlyList<string>? evidence,
        TValues values)
        : base(format, severity, mode, messageTemplate, coachingTemplate, spans, evidence)
    {
        _values = values;
    }

    private protected override TemplateValue ValueAt(int index) => ((FindingFormat<TValues>)Format).ValueAt(_values, index);

    private protected override string WriteEvidence() => ((FindingFormat<TValues>)Format).Evidence!(_values);
}

/// <summary>
/// The outcome of evaluating one draft against a policy. <see cref="Findings"/> are shown (rules in
/// <c>enforce</c> and <c>warn</c> mode); <see cref="ShadowFindings"/> come from rules in <c>shadow</c> mode and are
/// logged only. <see cref="Analysis"/> is what the gate saw in the draft.
/// </summary>
/// <remarks>The summary and analysis of an evaluation made by <see cref="PolicyEngine"/> are put together when first read.</remarks>
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
    private IReadOnlyList<string>? _summary = Summary;
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

    // NOTE: no summary is given here: it is made from the findings when first read.
    internal Evaluation(
        Verdict verdict,
        IReadOnlyList<Finding> findings,
        IReadOnlyList<Finding> shadowFindings,
        string policyVersion,
        PostContext context,
        int hardSellScore,
        KeyValuePair<string, int>[]? hardSellParts,
        bool promotional)
        : this(verdict, findings, shadowFindings, null!, policyVersion)
    {
        _context = context;
        _hardSellParts = hardSellParts;
        _promotional = promotional;
        LinkCount = context.LinkCount;
        HardSellScore = hardSellScore;
    }

    /// <summary>
    /// The distinct actions of the findings, enforced before warned, then the most severe first, then in order of
    /// finding, at most <see cref="PolicyEngine.MaxSummaryItems"/>.
    /// </summary>
    public IReadOnlyList<string> Summary
    {
        get => Volatile.Read(ref _summary) ?? Published.Once(ref _summary, PolicyEngine.Summarize(Findings));
        init => _summary = value;
    }

    /// <summary>What the gate saw in the draft.</summary>
    public Analysis Analysis =>
        Volatile.Read(ref _analysis)
        ?? Published.Once(ref _analysis, _context!.Analyze(FindingSink.MakeHardSell(HardSellScore, _hardSellParts)));

    /// <summary>What the draft leaves in the account's timeline for later checks.</summary>
    /// <remarks>The signature of an evaluation made by <see cref="PolicyEngine"/> is made when first read.</remarks>
    public PostSignature Signature
    {
        get => Volatile.Read(ref _signature) ?? Published.Once(ref _signature, MakeSignature());
        init => _signature = value;
    }

    public int LinkCount { get; }

    private PostSignature MakeSignature()
    {
        // NOTE: the rules have run; the link keys and fingerprint the context knows by now are all it will know.
        var context = _context;
        return context is null
            ? PostSignature.None
            : new PostSignature(context.TextLinks, context.AttachedLinks, context.KnownLinkKeys, _promotional, context.Normalized, context.KnownFingerprint);
    }

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
