using PostGate.Rules.Rules.Cadence;
using PostGate.Rules.Rules.ChannelFit;
using PostGate.Rules.Rules.HardSell;
using PostGate.Rules.Rules.LinkDropping;

namespace PostGate.Rules.Engine;

/// <summary>Every shipped rule, in the order findings are reported. An explicit list: no scanning.</summary>
public static class RuleCatalog
{
    public static IReadOnlyList<IRule> All { get; } =
    [
        new TooManyLinksRule(),
        new ShortenerRule(),
        new BareLinkRule(),
        new LinkEveryPostRule(),
        new TrackingParamsRule(),
        new RepeatedLinkRule(),
        new LinkInReplyRule(),
        new SalesPhrasesRule(),
        new ShoutingRule(),
        new ExclamationsRule(),
        new DailyVolumeRule(),
        new SpacingRule(),
        new NoConversationRule(),
        new QuietHoursRule(),
        new PromotionalShareRule(),
        new NearDuplicateRule(),
        new ChannelFitRule(),
    ];

    public static IRule? Find(string name) =>
        All.FirstOrDefault(r => string.Equals(r.Descriptor.Name, name, StringComparison.Ordinal));
}
