using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace PostGate.Functions.Storage;

/// <summary>
/// Partition and row keys. Table Storage forbids '/', '\', '#', '?' and control characters in keys and
/// caps them at 1 KiB (Azurite: 512 characters), so ids are escaped and long ones are hashed.
/// </summary>
public static class Keys
{
    /// <summary>Longest escaped id kept readable; longer ids become a prefix plus a SHA-256.</summary>
    public const int MaxReadableLength = 160;

    private const long MaxUnixMilliseconds = 253_402_300_799_999;

    public const string DecisionPrefix = "d_";
    public const string TimelinePrefix = "t_";
    public const string DraftPrefix = "r_";
    public const string IdempotencyPrefix = "i_";

    public const string DayIndexPrefix = "x_";

    /// <summary>The day-index partition for decisions made on a UTC day: queries across accounts read these.</summary>
    public static string DayPartition(DateTimeOffset decidedAt) =>
        DayIndexPrefix + decidedAt.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>A day-index row: newest first within the day, then the account's partition and the decision id.</summary>
    public static string DayIndexRow(string accountId, string decisionId, DateTimeOffset decidedAt) =>
        (MaxUnixMilliseconds - decidedAt.ToUnixTimeMilliseconds()).ToString("D15", CultureInfo.InvariantCulture) + "_" + Partition(accountId) + "_" + decisionId;

    /// <summary>The lowest decision row key at or before <paramref name="at"/> (rows sort newest first).</summary>
    public static string DecisionRowBound(DateTimeOffset at) =>
        DecisionPrefix + (MaxUnixMilliseconds - Math.Clamp(at.ToUnixTimeMilliseconds(), 0, MaxUnixMilliseconds)).ToString("D15", CultureInfo.InvariantCulture);

    /// <summary>The day-index row key bound for <paramref name="at"/>.</summary>
    public static string DayRowBound(DateTimeOffset at) =>
        (MaxUnixMilliseconds - Math.Clamp(at.ToUnixTimeMilliseconds(), 0, MaxUnixMilliseconds)).ToString("D15", CultureInfo.InvariantCulture);

    /// <summary>The row holding the head of the account's hash chain.</summary>
    public const string ChainHeadRow = "h_chain";

    /// <summary>The row that remembers a draft's latest decision and timeline entry.</summary>
    public static string DraftRow(string draftId) => DraftPrefix + EscapeId(draftId);

    /// <summary>The row that remembers which decision an idempotency key produced.</summary>
    public static string IdempotencyRow(string key) => IdempotencyPrefix + EscapeId(key);

    /// <summary>The partition of an account: its id with every character outside [A-Za-z0-9-.] escaped as !XXXX (UTF-16).</summary>
    public static string Partition(string accountId) => EscapeId(accountId);

    /// <summary>Decisions sort newest first: inverted milliseconds, then the id.</summary>
    public static string DecisionRow(string decisionId, DateTimeOffset decidedAt) =>
        DecisionPrefix + (MaxUnixMilliseconds - decidedAt.ToUnixTimeMilliseconds()).ToString("D15", CultureInfo.InvariantCulture) + "_" + decisionId;

    /// <summary>Timeline entries sort by scheduled time, oldest first.</summary>
    public static string TimelineRow(DateTimeOffset scheduledAt, string decisionId) =>
        TimelinePrefix + TimelineTime(scheduledAt) + "_" + decisionId;

    public static string TimelineTime(DateTimeOffset at) =>
        string.Create(TimelineTimeLength, at, static (chars, at) => WriteTimelineTime(at, chars));

    /// <summary>
    /// A bound of a timeline row-key range: "t_" and the time's 15 digits, then, for a high bound, "~", which sorts
    /// after every row of that millisecond.
    /// </summary>
    public static string TimelineBound(DateTimeOffset at, bool high) =>
        string.Create(TimelinePrefix.Length + TimelineTimeLength + (high ? 1 : 0), (at, high), static (chars, state) =>
        {
            TimelinePrefix.CopyTo(chars);
            WriteTimelineTime(state.at, chars.Slice(TimelinePrefix.Length, TimelineTimeLength));
            if (state.high)
            {
                chars[^1] = '~';
            }
        });

    /// <summary>
    /// The instants [From, Until) of the timeline rows from <see cref="TimelineBound"/>(<paramref name="start"/>, low)
    /// to <see cref="TimelineBound"/>(<paramref name="end"/>, high): whole milliseconds, as the row keys count them.
    /// </summary>
    public static (DateTimeOffset From, DateTimeOffset Until) TimelineInstants(DateTimeOffset start, DateTimeOffset end)
    {
        var low = Math.Clamp(start.ToUnixTimeMilliseconds(), 0, MaxUnixMilliseconds);
        var high = Math.Clamp(end.ToUnixTimeMilliseconds(), 0, MaxUnixMilliseconds);
        return (
            DateTimeOffset.FromUnixTimeMilliseconds(low),
            high == MaxUnixMilliseconds ? DateTimeOffset.MaxValue : DateTimeOffset.FromUnixTimeMilliseconds(high + 1));
    }

    /// <summary>The length of <see cref="TimelineTime"/>: Unix milliseconds in 15 digits, zero-padded.</summary>
    public const int TimelineTimeLength = 15;

    /// <summary>Writes <see cref="TimelineTime"/> of <paramref name="at"/> into <paramref name="destination"/>, <see cref="TimelineTimeLength"/> characters.</summary>
    public static void WriteTimelineTime(DateTimeOffset at, Span<char> destination)
    {
        if (!Math.Clamp(at.ToUnixTimeMilliseconds(), 0, MaxUnixMilliseconds).TryFormat(destination, out var written, "D15", CultureInfo.InvariantCulture)
            || written != TimelineTimeLength)
        {
            throw new ArgumentException($"Needs room for {TimelineTimeLength} characters.", nameof(destination));
        }
    }

    public const string ReviewPrefix = "v_";
    public const string FinalReviewPrefix = "f_";
    public const string WebhookPrefix = "w_";

    /// <summary>
    /// The partition of the webhook delivery queue. Account partitions escape '_', so no account id can land here.
    /// </summary>
    public const string WebhookQueuePartition = "_webhooks";

    /// <summary>
    /// A review of a decision: the decision's reviews sit together and sort oldest first (milliseconds, then the
    /// review id), so a decision's history is one range read and a page's reviews one more.
    /// </summary>
    public static string ReviewRow(string decisionId, DateTimeOffset at, string reviewId) =>
        ReviewRowPrefix(decisionId) + TimelineTime(at) + "_" + reviewId;

    /// <summary>The common prefix of a decision's review rows.</summary>
    public static string ReviewRowPrefix(string decisionId) => ReviewPrefix + decisionId + "_";

    /// <summary>The row that marks a decision's one final review (approve or reject); inserting it twice fails.</summary>
    public static string FinalReviewRow(string decisionId) => FinalReviewPrefix + decisionId;

    /// <summary>The outbox row of the webhook a review sends, in the account's partition.</summary>
    public static string WebhookRow(string reviewId) => WebhookPrefix + reviewId;

    /// <summary>A new review id: a version 7 GUID, like a decision id.</summary>
    public static string NewReviewId(DateTimeOffset now) => NewDecisionId(now);

    /// <summary>
    /// A new decision id: a version 7 GUID (RFC 9562), so the id carries its own time: 48 bits of Unix milliseconds,
    /// then the version, 74 random bits and the variant, written as 32 lowercase hex digits.
    /// </summary>
    public static string NewDecisionId(DateTimeOffset now)
    {
        var milliseconds = now.ToUnixTimeMilliseconds();
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds, nameof(now));
        Span<byte> bytes = stackalloc byte[16];
        RandomBytes.Take(bytes[6..]);
        bytes[0] = (byte)(milliseconds >> 40);
        bytes[1] = (byte)(milliseconds >> 32);
        bytes[2] = (byte)(milliseconds >> 24);
        bytes[3] = (byte)(milliseconds >> 16);
        bytes[4] = (byte)(milliseconds >> 8);
        bytes[5] = (byte)milliseconds;
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x70);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>Reads the time a decision id was made, or null when the id is not one of ours.</summary>
    public static DateTimeOffset? DecisionTime(string decisionId)
    {
        if (decisionId.Length != 32 || !Guid.TryParseExact(decisionId, "N", out var guid) || guid.Version != 7)
        {
            return null;
        }

        var milliseconds = long.Parse(decisionId.AsSpan(0, 12), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
    }

    internal static string EscapeId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var builder = new StringBuilder(id.Length + 8);
        foreach (var c in id)
        {
            // NOTE: escaping UTF-16 code units one to one keeps the mapping injective, lone surrogates included.
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('!').Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
        }

        if (builder.Length <= MaxReadableLength)
        {
            return builder.ToString();
        }

        // NOTE: the hash is of the original id, so two long ids that share the readable prefix still differ.
        var hash = Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(id.AsSpan())));
        return builder.ToString(0, 64) + "!~" + hash;
    }
}
