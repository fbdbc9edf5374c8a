using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace PostGate.Functions.Contracts;

// NOTE: only the API description uses this record; the endpoint reads the body field by field with CheckRequest,
// so that every bad field gets its own error. A test keeps the two in step.

/// <summary>A draft to check. Unknown fields are refused.</summary>
public sealed record CheckRequestBody(
    [property: Required, StringLength(CheckRequest.MaxIdLength, MinimumLength = 1)]
    [property: Description("The account that will publish the post.")]
    string AccountId,
    [property: Required]
    [property: Description("The network: x, linkedin, facebook, instagram, threads, bluesky, mastodon or other.")]
    string Channel,
    [property: Required, StringLength(CheckRequest.MaxTextLength, MinimumLength = 1)]
    [property: Description("The post's text, not blank.")]
    string Text,
    [property: Description("When the post goes out: ISO 8601 with an offset. Default: now.")]
    DateTimeOffset? ScheduledAt = null,
    [property: StringLength(CheckRequest.MaxIdLength, MinimumLength = 1)]
    [property: Description("The scheduler's id for the draft; with the body it keys retries when no Idempotency-Key is sent.")]
    string? DraftId = null,
    [property: StringLength(CheckRequest.MaxIdLength, MinimumLength = 1)]
    [property: Description("Who wrote the draft.")]
    string? Author = null,
    [property: StringLength(CheckRequest.MaxIdLength, MinimumLength = 1)]
    [property: Description("The campaign the post belongs to.")]
    string? Campaign = null,
    [property: StringLength(CheckRequest.MaxIdLength, MinimumLength = 1)]
    [property: Description("The id of the message this post answers: a reply to a customer counts as conversation.")]
    string? InReplyTo = null,
    [property: StringLength(CheckRequest.MaxInReplyToTextLength, MinimumLength = 1)]
    [property: Description("The text of the message answered; needs inReplyTo.")]
    string? InReplyToText = null,
    [property: MaxLength(CheckRequest.MaxLinks)]
    [property: Description("Links attached to the post (not in the text).")]
    IReadOnlyList<string>? Links = null,
    [property: Range(0, CheckRequest.MaxMediaCount), JsonNumberHandling(JsonNumberHandling.Strict)]
    [property: Description("How many images or videos are attached.")]
    int? MediaCount = null,
    [property: StringLength(Webhooks.CallbackUrl.MaxLength, MinimumLength = 1)]
    [property: Description("An https URL on an allowed host (PostGate:Webhooks:AllowedHosts) that receives the outcome of a review of this decision, signed.")]
    string? CallbackUrl = null);
