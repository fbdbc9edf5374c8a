using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using PostGate.Functions.Contracts;
using PostGate.Rules.Engine;
using PostGate.Rules.Text;

namespace PostGate.Functions.Storage;

/// <summary>Maps decisions and timeline entries to table entities and back.</summary>
public static class DecisionEntity
{
    /// <summary>Table Storage caps a string property at 64 KiB (32 K UTF-16 units); longer JSON is split over numbered properties.</summary>
    public const int ChunkLength = 30_000;

    public const int MaxChunks = 20;

    private static readonly JsonSerializerOptions Json = ApiJsonContext.CreateOptions();

    public static TableEntity ToEntity(DecisionResponse decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var draft = decision.Draft;
        var entity = new TableEntity(Keys.Partition(decision.AccountId), Keys.DecisionRow(decision.DecisionId, decision.DecidedAt))
        {
            ["Kind"] = "decision",
            ["DecisionId"] = decision.DecisionId,
            ["AccountId"] = decision.AccountId,
            ["DraftId"] = decision.DraftId,
            ["Channel"] = draft.Channel,
            ["ScheduledAt"] = draft.ScheduledAt,
            ["ScheduledAtText"] = draft.ScheduledAt.ToString("O", CultureInfo.InvariantCulture),
            ["Author"] = draft.Author,
            ["Campaign"] = draft.Campaign,
            ["InReplyTo"] = draft.InReplyTo,
            ["LinksJson"] = JsonSerializer.Serialize(draft.Links, Json),
            ["MediaCount"] = draft.MediaCount,
            ["Verdict"] = decision.Verdict,
            ["SummaryJson"] = JsonSerializer.Serialize(decision.Summary, Json),
            ["PolicyVersion"] = decision.PolicyVersion,
            ["DecidedAt"] = decision.DecidedAt,
            ["DecidedAtText"] = decision.DecidedAt.ToString("O", CultureInfo.InvariantCulture),
            ["RuleIds"] = string.Join(',', decision.Findings.Select(f => f.RuleId).Distinct()),
        };
        WriteChunks(entity, "Text", draft.Text);
        WriteChunks(entity, "FindingsJson", JsonSerializer.Serialize(decision.Findings, Json));
        WriteChunks(entity, "ShadowFindingsJson", JsonSerializer.Serialize(decision.ShadowFindings ?? [], Json));
        WriteChunks(entity, "AnalysisJson", decision.Analysis is null ? "null" : JsonSerializer.Serialize(decision.Analysis, Json));
        if (draft.InReplyToText is not null)
        {
            WriteChunks(entity, "InReplyToText", draft.InReplyToText);
        }

        // NOTE: written only when given, so decisions without one hash exactly as before. The review state is never
        // stored here: reviews are rows of their own, and the decision row stays as the chain sealed it.
        if (decision.CallbackUrl is not null)
        {
            entity["CallbackUrl"] = decision.CallbackUrl;
        }

        entity["ContentHash"] = EntityHash(entity);
        return entity;
    }

    public static DecisionResponse FromEntity(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var draft = new DraftResponse(
            AccountId: entity.GetString("AccountId"),
            Channel: entity.GetString("Channel"),
            Text: ReadChunks(entity, "Text"),
            ScheduledAt: ReadTime(entity, "ScheduledAt"),
            DraftId: entity.GetString("DraftId"),
            Author: entity.GetString("Author"),
            Campaign: entity.GetString("Campaign"),
            InReplyTo: entity.GetString("InReplyTo"),
            Links: JsonSerializer.Deserialize<List<string>>(entity.GetString("LinksJson") ?? "[]", Json) ?? [],
            MediaCount: entity.GetInt32("MediaCount") ?? 0,
            InReplyToText: entity.ContainsKey("InReplyToText") ? ReadChunks(entity, "InReplyToText") : null);
        return new DecisionResponse(
            DecisionId: entity.GetString("DecisionId"),
            AccountId: draft.AccountId,
            DraftId: draft.DraftId,
            Verdict: entity.GetString("Verdict"),
            Findings: JsonSerializer.Deserialize<List<FindingResponse>>(ReadChunks(entity, "FindingsJson"), Json) ?? [],
            Summary: JsonSerializer.Deserialize<List<string>>(entity.GetString("SummaryJson") ?? "[]", Json) ?? [],
            PolicyVersion: entity.GetString("PolicyVersion"),
            DecidedAt: ReadTime(entity, "DecidedAt"),
            Logged: true,
            Draft: draft,
            Analysis: entity.ContainsKey("AnalysisJson") ? JsonSerializer.Deserialize<AnalysisResponse>(ReadChunks(entity, "AnalysisJson"), Json) : null,
            ShadowFindings: entity.ContainsKey("ShadowFindingsJson")
                ? JsonSerializer.Deserialize<List<FindingResponse>>(ReadChunks(entity, "ShadowFindingsJson"), Json) ?? []
                : [],
            CallbackUrl: entity.GetString("CallbackUrl"));
    }

    /// <summary>
    /// The day-index row of a decision: the filterable fields and where the decision lives. Written (idempotently)
    /// before the decision's transaction, so an index row may point at a decision that never landed; readers skip those.
    /// </summary>
    public static TableEntity ToDayIndexEntity(DecisionResponse decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return new TableEntity(Keys.DayPartition(decision.DecidedAt), Keys.DayIndexRow(decision.AccountId, decision.DecisionId, decision.DecidedAt))
        {
            ["AccountId"] = decision.AccountId,
            ["AccountPartition"] = Keys.Partition(decision.AccountId),
            ["DecisionId"] = decision.DecisionId,
            ["DecisionRowKey"] = Keys.DecisionRow(decision.DecisionId, decision.DecidedAt),
            ["Verdict"] = decision.Verdict,
            ["Channel"] = decision.Draft.Channel,
            ["Author"] = decision.Draft.Author,
            ["Campaign"] = decision.Draft.Campaign,
        };
    }

    public static TableEntity ToEntity(string accountId, TimelineEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new TableEntity(Keys.Partition(accountId), Keys.TimelineRow(entry.ScheduledAt, entry.DecisionId))
        {
            ["Kind"] = "timeline",
            ["DecisionId"] = entry.DecisionId,
            ["DraftId"] = entry.DraftId,
            ["ScheduledAt"] = entry.ScheduledAt,
            ["Channel"] = entry.Channel.ToWire(),
            ["PostKind"] = entry.Kind == PostKind.Reply ? "reply" : "broadcast",
            ["LinkCount"] = entry.LinkCount,
            ["HardSellScore"] = entry.HardSellScore,
            ["LinkKeysJson"] = JsonSerializer.Serialize(entry.LinkKeys, Json),
            ["Promotional"] = entry.Promotional,
            ["Fingerprint"] = unchecked((long)entry.Fingerprint),
            ["FingerprintVersion"] = SimHash.Version,
        };
    }

    public static TimelineEntry ToTimelineEntry(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var channel = Channels.TryParse(entity.GetString("Channel"), out var parsed) ? parsed : Channel.Other;
        return new TimelineEntry(
            entity.GetString("DecisionId"),
            entity.GetString("DraftId"),
            entity.GetDateTimeOffset("ScheduledAt") ?? default,
            channel,
            entity.GetString("PostKind") == "reply" ? PostKind.Reply : PostKind.Broadcast,
            entity.GetInt32("LinkCount") ?? 0,
            entity.GetInt32("HardSellScore") ?? 0)
        {
            LinkKeys = JsonSerializer.Deserialize<List<string>>(entity.GetString("LinkKeysJson") ?? "[]", Json) ?? [],
            Promotional = entity.GetBoolean("Promotional") ?? false,
            Fingerprint = FingerprintOf(entity),
        };
    }

    /// <summary>
    /// The row's fingerprint if it was made by the current definition (<see cref="SimHash.Version"/>); a row written
    /// before it (no version, or another one) reads as a post without a fingerprint, which the near-duplicate rule
    /// never compares, rather than as bits that mean something else.
    /// </summary>
    private static ulong FingerprintOf(TableEntity entity)
    {
        var version = entity.GetInt32("FingerprintVersion") ?? 1;
        return version == SimHash.Version ? unchecked((ulong)(entity.GetInt64("Fingerprint") ?? 0)) : 0;
    }

    /// <summary>Properties the content hash leaves out: the chain's own fields and what the service stamps.</summary>
    private static readonly HashSet<string> Unhashed = new(StringComparer.Ordinal) { "Hash", "PreviousHash", "Sequence", "ContentHash", "Timestamp", "odata.etag" };

    /// <summary>SHA-256 over the decision as it is written (or read back): equal hashes mean the same decision.</summary>
    public static string ContentHash(DecisionResponse decision) => ToEntity(decision).GetString("ContentHash");

    /// <summary>
    /// SHA-256 over every stored property of a row, sorted by name, keys included; typed date-times are left out
    /// because their ISO 8601 text copies are hashed instead (the service may round the typed ones).
    /// </summary>
    public static string EntityHash(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var builder = new StringBuilder();
        foreach (var key in entity.Keys.Where(k => !Unhashed.Contains(k)).OrderBy(k => k, StringComparer.Ordinal))
        {
            var value = entity[key];
            if (value is DateTimeOffset or DateTime or null)
            {
                continue;
            }

            builder.Append(key).Append('\u001F').Append(value switch
            {
                string text => "s" + text,
                bool flag => flag ? "b1" : "b0",
                int number => "i" + number.ToString(CultureInfo.InvariantCulture),
                long number => "l" + number.ToString(CultureInfo.InvariantCulture),
                double number => "d" + number.ToString("R", CultureInfo.InvariantCulture),
                _ => "o" + Convert.ToString(value, CultureInfo.InvariantCulture),
            }).Append('\u001E');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }

    /// <summary>The chain link: SHA-256 of the previous link, the sequence number and the content hash.</summary>
    public static string ChainHash(string previousHash, long sequence, string contentHash) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{previousHash}|{sequence}|{contentHash}"))));

    private static DateTimeOffset ReadTime(TableEntity entity, string name) =>
        entity.GetString(name + "Text") is { } text && DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
            ? parsed
            : entity.GetDateTimeOffset(name) ?? default;

    private static void WriteChunks(TableEntity entity, string name, string value)
    {
        var chunks = (value.Length + ChunkLength - 1) / ChunkLength;
        if (chunks > MaxChunks)
        {
            throw new InvalidOperationException($"{name} is too large to store ({value.Length} characters).");
        }

        entity[name + "Chunks"] = Math.Max(chunks, 1);
        entity[name] = value.Length <= ChunkLength ? value : value[..ChunkLength];
        for (var i = 1; i < chunks; i++)
        {
            var start = i * ChunkLength;
            entity[name + i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = value.Substring(start, Math.Min(ChunkLength, value.Length - start));
        }
    }

    private static string ReadChunks(TableEntity entity, string name)
    {
        var chunks = entity.GetInt32(name + "Chunks") ?? 1;
        var builder = new StringBuilder(entity.GetString(name) ?? string.Empty);
        for (var i = 1; i < chunks; i++)
        {
            builder.Append(entity.GetString(name + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return builder.ToString();
    }
}
