using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using PostGate.Functions.Contracts;

namespace PostGate.Functions.Storage;

/// <summary>Maps reviews, final-review markers and webhook outbox and queue rows to table entities and back.</summary>
public static class ReviewEntity
{
    public const string ReviewKind = "review";
    public const string FinalKind = "review-final";
    public const string WebhookKind = "webhook";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A review row; its content hash lets a retried write recognise its own earlier success.</summary>
    public static TableEntity ToEntity(ReviewResponse review)
    {
        ArgumentNullException.ThrowIfNull(review);
        var entity = new TableEntity(Keys.Partition(review.AccountId), Keys.ReviewRow(review.DecisionId, review.At, review.ReviewId))
        {
            ["Kind"] = ReviewKind,
            ["ReviewId"] = review.ReviewId,
            ["DecisionId"] = review.DecisionId,
            ["AccountId"] = review.AccountId,
            ["Action"] = review.Action,
            ["Reason"] = review.Reason,
            ["Reviewer"] = review.Reviewer,
            ["ReviewerSource"] = review.ReviewerSource,
            ["At"] = review.At,
            ["AtText"] = review.At.ToString("O", CultureInfo.InvariantCulture),
        };
        entity["ContentHash"] = DecisionEntity.EntityHash(entity);
        return entity;
    }

    public static ReviewResponse FromEntity(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return new ReviewResponse(
            entity.GetString("ReviewId"),
            entity.GetString("DecisionId"),
            entity.GetString("AccountId"),
            entity.GetString("Action"),
            entity.GetString("Reason"),
            entity.GetString("Reviewer"),
            entity.GetString("ReviewerSource") ?? "none",
            ReadTime(entity, "At"));
    }

    /// <summary>The marker of a decision's final review; added (never upserted), so a second final review fails the transaction.</summary>
    public static TableEntity ToFinalEntity(ReviewResponse review)
    {
        ArgumentNullException.ThrowIfNull(review);
        return new TableEntity(Keys.Partition(review.AccountId), Keys.FinalReviewRow(review.DecisionId))
        {
            ["Kind"] = FinalKind,
            ["DecisionId"] = review.DecisionId,
            ["ReviewId"] = review.ReviewId,
            ["Action"] = review.Action,
            ["ReviewRowKey"] = Keys.ReviewRow(review.DecisionId, review.At, review.ReviewId),
        };
    }

    /// <summary>The body of the webhook a review sends: fixed when the review is written, so every attempt posts the same bytes.</summary>
    public static string WebhookBody(DecisionResponse decision, ReviewResponse review, string status)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(review);
        return JsonSerializer.Serialize(
            new ReviewWebhookRequest(decision.DecisionId, decision.AccountId, decision.DraftId, status, review.Action, review.Reason, review.Reviewer, review.At),
            Json);
    }

    /// <summary>The outbox row in the account's partition, written in the review's transaction.</summary>
    public static TableEntity ToOutboxEntity(ReviewResponse review, string url, string body)
    {
        ArgumentNullException.ThrowIfNull(review);
        return new TableEntity(Keys.Partition(review.AccountId), Keys.WebhookRow(review.ReviewId))
        {
            ["Kind"] = WebhookKind,
            ["ReviewId"] = review.ReviewId,
            ["DecisionId"] = review.DecisionId,
            ["Url"] = url,
            ["Body"] = body,
            ["Status"] = DeliveryStatus.Pending,
            ["Attempts"] = 0,
            ["CreatedAt"] = review.At,
        };
    }

    /// <summary>The queue entry pointing at an outbox row, due at once.</summary>
    public static TableEntity ToQueueEntity(ReviewResponse review)
    {
        ArgumentNullException.ThrowIfNull(review);
        return new TableEntity(Keys.WebhookQueuePartition, review.ReviewId)
        {
            ["AccountPartition"] = Keys.Partition(review.AccountId),
            ["OutboxRow"] = Keys.WebhookRow(review.ReviewId),
            ["CreatedAt"] = review.At,
            ["DueAt"] = review.At,
        };
    }

    public static WebhookQueueItem ToQueueItem(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return new WebhookQueueItem(
            entity.RowKey,
            entity.GetString("AccountPartition"),
            entity.GetString("OutboxRow"),
            entity.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
            entity.ETag);
    }

    public static WebhookDelivery ToDelivery(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return new WebhookDelivery(
            entity.GetString("ReviewId"),
            entity.GetString("DecisionId"),
            entity.GetString("Url") ?? string.Empty,
            entity.GetString("Body") ?? string.Empty,
            entity.GetString("Status") ?? DeliveryStatus.Pending,
            entity.GetInt32("Attempts") ?? 0,
            entity.GetString("LastResult"));
    }

    private static DateTimeOffset ReadTime(TableEntity entity, string name) =>
        entity.GetString(name + "Text") is { } text && DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
            ? parsed
            : entity.GetDateTimeOffset(name) ?? default;
}
