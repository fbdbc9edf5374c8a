using System.Text.Json;
using System.Text.Json.Serialization;
using PostGate.Rules.Rules.Cadence;
using PostGate.Rules.Rules.ChannelFit;
using PostGate.Rules.Rules.HardSell;
using PostGate.Rules.Rules.LinkDropping;

namespace PostGate.Rules.Policy;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.Strict,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(TooManyLinksOptions))]
[JsonSerializable(typeof(ShortenerOptions))]
[JsonSerializable(typeof(BareLinkOptions))]
[JsonSerializable(typeof(LinkEveryPostOptions))]
[JsonSerializable(typeof(TrackingParamsOptions))]
[JsonSerializable(typeof(RepeatedLinkOptions))]
[JsonSerializable(typeof(LinkInReplyOptions))]
[JsonSerializable(typeof(SalesPhrasesOptions))]
[JsonSerializable(typeof(ShoutingOptions))]
[JsonSerializable(typeof(ExclamationsOptions))]
[JsonSerializable(typeof(DailyVolumeOptions))]
[JsonSerializable(typeof(SpacingOptions))]
[JsonSerializable(typeof(NoConversationOptions))]
[JsonSerializable(typeof(QuietHoursOptions))]
[JsonSerializable(typeof(PromotionalShareOptions))]
[JsonSerializable(typeof(NearDuplicateOptions))]
[JsonSerializable(typeof(ChannelFitOptions))]
internal sealed partial class PolicyJsonContext : JsonSerializerContext;
