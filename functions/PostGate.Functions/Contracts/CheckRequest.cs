using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using PostGate.Functions.Webhooks;
using PostGate.Rules.Engine;

namespace PostGate.Functions.Contracts;

/// <summary>
/// Reads the body of <c>POST /api/posts/check</c> field by field, so every bad field is named by its
/// JSON pointer instead of stopping at the first.
/// </summary>
public static class CheckRequest
{
    public const int MaxBodyBytes = 64 * 1024;
    public const int MaxTextLength = 10_000;
    public const int MaxIdLength = 256;
    public const int MaxLinks = 20;
    public const int MaxLinkLength = 2_048;
    public const int MaxMediaCount = 100;
    public const int MaxInReplyToTextLength = 10_000;

    /// <summary>Earliest <c>scheduledAt</c> accepted: timeline keys count milliseconds from the Unix epoch.</summary>
    public static readonly DateTimeOffset MinScheduledAt = DateTimeOffset.UnixEpoch;

    /// <summary>Latest <c>scheduledAt</c> accepted, leaving room for the cadence window that reaches past it.</summary>
    public static readonly DateTimeOffset MaxScheduledAt = new(9999, 12, 30, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] Known =
        ["accountId", "channel", "text", "scheduledAt", "draftId", "author", "campaign", "inReplyTo", "inReplyToText", "links", "mediaCount", "callbackUrl"];

    /// <summary>Each known field's place in <see cref="Known"/> and in <see cref="Fields"/>.</summary>
    private static readonly FrozenDictionary<string, int> FieldIndex =
        Known.Select((name, index) => KeyValuePair.Create(name, index)).ToFrozenDictionary(StringComparer.Ordinal);

    public sealed record Result(Draft? Draft, Dictionary<string, string[]> Errors)
    {
        /// <summary>Where to post the outcome of a review of this decision (absolute https URL), if anywhere.</summary>
        public string? CallbackUrl { get; init; }

        public bool IsValid => Draft is not null && Errors.Count == 0;
    }

    /// <summary>Reads the body; <paramref name="webhooks"/> decides which callback hosts are allowed (none when null).</summary>
    public static Result Parse(ReadOnlyMemory<byte> body, DateTimeOffset now, WebhookOptions? webhooks = null)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            errors[string.Empty] = [$"The body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})."];
            return new Result(null, errors);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors[string.Empty] = ["The body must be a JSON object."];
                return new Result(null, errors);
            }

            // NOTE: one pass over the body's fields finds each known one (the last, when a name is repeated, as a
            // look-up by name would) and names every repeated or unknown field.
            var fields = default(Fields);
            HashSet<string>? unknown = null;
            foreach (var property in root.EnumerateObject())
            {
                if (!TryGetName(property, out var name))
                {
                    // NOTE: a name with an unpaired surrogate cannot be named by a pointer that serializes, so the body is at fault.
                    errors[string.Empty] = ["A field name holds an unpaired surrogate escape (\\uD800-\\uDFFF)."];
                    return new Result(null, errors);
                }

                if (FieldIndex.TryGetValue(name, out var index))
                {
                    if (fields[index].ValueKind != JsonValueKind.Undefined)
                    {
                        Add(errors, "/" + Escape(name), "appears more than once.");
                    }

                    fields[index] = property.Value;
                }
                else if (!(unknown ??= new HashSet<string>(StringComparer.Ordinal)).Add(name))
                {
                    Add(errors, "/" + Escape(name), "appears more than once.");
                }
                else
                {
                    Add(errors, "/" + Escape(name), $"is not a known field; expected one of {string.Join(", ", Known)}.");
                }
            }

            var accountId = RequiredField(fields[0], "accountId", MaxIdLength, errors, checkBlank: false);
            var channelName = RequiredField(fields[1], "channel", 32, errors, checkBlank: false);
            var channel = Channel.Other;
            if (channelName is not null && !Channels.TryParse(channelName, out channel))
            {
                Add(errors, "/channel", $"must be one of {string.Join(", ", Channels.WireNames)} (was '{channelName}').");
            }

            var text = RequiredField(fields[2], "text", MaxTextLength, errors, checkBlank: true);
            var scheduledAt = now;
            var scheduledText = OptionalField(fields[3], "scheduledAt", 64, errors);
            if (scheduledText is not null)
            {
                if (!DateTimeOffset.TryParse(scheduledText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out scheduledAt)
                    || !HasOffset(scheduledText))
                {
                    Add(errors, "/scheduledAt", "must be an ISO 8601 date-time with an offset, e.g. 2026-12-01T09:00:00Z.");
                }
                else if (scheduledAt < MinScheduledAt || scheduledAt > MaxScheduledAt)
                {
                    Add(errors, "/scheduledAt", $"must be from {MinScheduledAt:yyyy-MM-dd} to {MaxScheduledAt:yyyy-MM-dd}.");
                }
                else
                {
                    scheduledAt = scheduledAt.ToUniversalTime();
                }
            }

            var draftId = OptionalField(fields[4], "draftId", MaxIdLength, errors);
            var author = OptionalField(fields[5], "author", MaxIdLength, errors);
            var campaign = OptionalField(fields[6], "campaign", MaxIdLength, errors);
            var inReplyTo = OptionalField(fields[7], "inReplyTo", MaxIdLength, errors);
            var inReplyToText = OptionalField(fields[8], "inReplyToText", MaxInReplyToTextLength, errors);
            if (inReplyToText is not null && inReplyTo is null)
            {
                Add(errors, "/inReplyToText", "needs inReplyTo: the id of the message it quotes.");
            }

            var links = Links(fields[9], errors);
            var callbackUrl = CallbackUrlField(fields[11], webhooks, errors);
            var mediaCount = 0;
            var media = fields[10];
            if (media.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
            {
                if (media.ValueKind != JsonValueKind.Number || !media.TryGetInt32(out mediaCount) || mediaCount < 0 || mediaCount > MaxMediaCount)
                {
                    Add(errors, "/mediaCount", $"must be a whole number from 0 to {MaxMediaCount}.");
                }
            }

            if (errors.Count > 0 || accountId is null || text is null)
            {
                return new Result(null, errors);
            }

            var draft = new Draft
            {
                AccountId = accountId,
                Channel = channel,
                Text = text,
                ScheduledAt = scheduledAt,
                DraftId = draftId,
                Author = author,
                Campaign = campaign,
                InReplyTo = inReplyTo,
                InReplyToText = inReplyToText,
                Links = links,
                MediaCount = mediaCount,
            };
            return new Result(draft, errors) { CallbackUrl = callbackUrl };
        }
    }

    private static string? CallbackUrlField(JsonElement field, WebhookOptions? webhooks, Dictionary<string, string[]> errors)
    {
        var text = OptionalField(field, "callbackUrl", CallbackUrl.MaxLength, errors);
        if (text is null)
        {
            return null;
        }

        if (CallbackUrl.Check(text, webhooks?.AllowedHosts ?? [], out var uri) is { } reason)
        {
            Add(errors, "/callbackUrl", reason);
            return null;
        }

        return uri!.AbsoluteUri;
    }

    private static bool HasOffset(string value) =>
        value.EndsWith('Z') || value.EndsWith('z') || (value.Length > 6 && value[^6] is '+' or '-' && value[^3] == ':');

    /// <summary>The field <paramref name="name"/> of the object <paramref name="root"/> as a required string.</summary>
    internal static string? RequiredString(JsonElement root, string name, int maxLength, Dictionary<string, string[]> errors, bool checkBlank = false) =>
        RequiredField(root.TryGetProperty(name, out var element) ? element : default, name, maxLength, errors, checkBlank);

    /// <summary>The field <paramref name="name"/> of the object <paramref name="root"/> as an optional string.</summary>
    internal static string? OptionalString(JsonElement root, string name, int maxLength, Dictionary<string, string[]> errors) =>
        OptionalField(root.TryGetProperty(name, out var element) ? element : default, name, maxLength, errors);

    /// <summary>A required string field's value, <paramref name="element"/> (<c>default</c> when the field is missing).</summary>
    private static string? RequiredField(in JsonElement element, string name, int maxLength, Dictionary<string, string[]> errors, bool checkBlank)
    {
        if (element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            Add(errors, "/" + name, "is required.");
            return null;
        }

        var value = ReadString(element, name, maxLength, errors);
        if (value is not null && (value.Length == 0 || (checkBlank && string.IsNullOrWhiteSpace(value))))
        {
            Add(errors, "/" + name, "must not be empty.");
            return null;
        }

        return value;
    }

    /// <summary>An optional string field's value, <paramref name="element"/> (<c>default</c> when the field is missing).</summary>
    private static string? OptionalField(in JsonElement element, string name, int maxLength, Dictionary<string, string[]> errors)
    {
        if (element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }

        var value = ReadString(element, name, maxLength, errors);
        if (value is { Length: 0 })
        {
            Add(errors, "/" + name, "must not be empty; leave it out instead.");
            return null;
        }

        return value;
    }

    private static string? ReadString(JsonElement element, string name, int maxLength, Dictionary<string, string[]> errors)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            Add(errors, "/" + name, $"must be a string (was {Describe(element.ValueKind)}).");
            return null;
        }

        if (!TryGetString(element, out var value))
        {
            Add(errors, "/" + name, "holds an unpaired surrogate escape (\\uD800-\\uDFFF).");
            return null;
        }

        if (value.Length > maxLength)
        {
            Add(errors, "/" + name, $"must be at most {maxLength} characters (was {value.Length}).");
            return null;
        }

        return value;
    }

    private static string[] Links(JsonElement element, Dictionary<string, string[]> errors)
    {
        if (element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return [];
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            Add(errors, "/links", $"must be an array of strings (was {Describe(element.ValueKind)}).");
            return [];
        }

        if (element.GetArrayLength() > MaxLinks)
        {
            Add(errors, "/links", $"must hold at most {MaxLinks} links.");
            return [];
        }

        var links = new List<string>();
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            var pointer = $"/links/{i}";
            if (item.ValueKind != JsonValueKind.String || !TryGetString(item, out var link) || string.IsNullOrWhiteSpace(link))
            {
                Add(errors, pointer, "must be a non-empty string.");
            }
            else if (link.Length > MaxLinkLength)
            {
                Add(errors, pointer, $"must be at most {MaxLinkLength} characters.");
            }
            else
            {
                links.Add(link);
            }

            i++;
        }

        return [.. links];
    }

    /// <summary>
    /// The string, or false when it holds an unpaired surrogate escape such as <c>"\uD800"</c>: valid JSON, but
    /// System.Text.Json refuses to turn it into a .NET string.
    /// </summary>
    private static bool TryGetString(JsonElement element, [NotNullWhen(true)] out string? value)
    {
        try
        {
            value = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = null;
            return false;
        }
    }

    internal static bool TryGetName(JsonProperty property, [NotNullWhen(true)] out string? name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = null;
            return false;
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    /// <summary>JSON pointer escaping (RFC 6901).</summary>
    internal static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    internal static void Add(Dictionary<string, string[]> errors, string pointer, string reason) =>
        errors[pointer] = errors.TryGetValue(pointer, out var existing) ? [.. existing, reason] : [reason];

    /// <summary>The known fields of a body, in the order of <see cref="Known"/>; <c>default</c> where one is missing.</summary>
    [InlineArray(12)]
    private struct Fields
    {
        private JsonElement _first;
    }
}
