using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PostGate.Rules.Engine;

namespace PostGate.Rules.Policy;

/// <summary>Reads a policy file (JSON with comments), checks all of it, and reports every problem with its JSON path.</summary>
public static partial class PolicyLoader
{
    private static readonly string[] TopLevel = ["$schema", "name", "description", "rules", "allowedDomains", "timeZone", "channels", "accounts"];
    private static readonly string[] AccountKeys = ["description", "rules", "allowedDomains", "timeZone", "channels"];
    private static readonly string[] ChannelKeys = ["rules"];

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 32,
    };

    public static Policy LoadFile(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            throw new PolicyException($"cannot read policy file '{path}': {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new PolicyException($"cannot read policy file '{path}': {ex.Message}", ex);
        }

        return Load(json);
    }

    public static Policy Load(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new PolicyException([new PolicyError("$", $"not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})")]);
        }

        using (document)
        {
            var errors = new List<PolicyError>();
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new PolicyException([new PolicyError("$", "must be an object")]);
            }

            foreach (var property in root.EnumerateObject())
            {
                if (!TopLevel.Contains(property.Name))
                {
                    errors.Add(new PolicyError($"$.{property.Name}", $"unknown property{DidYouMean(property.Name, TopLevel)}"));
                }
            }

            var name = "unnamed";
            if (root.TryGetProperty("name", out var nameElement))
            {
                if (nameElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(nameElement.GetString()))
                {
                    errors.Add(new PolicyError("$.name", "must be a non-empty string"));
                }
                else
                {
                    name = nameElement.GetString()!;
                }
            }
            else
            {
                errors.Add(new PolicyError("$.name", "is required"));
            }

            var scopes = ReadScopes(root, errors);
            if (errors.Count > 0)
            {
                throw new PolicyException([.. errors.Distinct()]);
            }

            var canonical = Canonicalize(root);
            var version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
            return new Policy(name, version, canonical, scopes.Default, scopes.ByChannel, scopes.ByAccount);
        }
    }

    private sealed record Scopes(
        PolicyScope Default,
        IReadOnlyDictionary<Channel, PolicyScope> ByChannel,
        IReadOnlyDictionary<string, IReadOnlyDictionary<Channel, PolicyScope>> ByAccount);

    /// <summary>One layer of rule options: where it sits in the file and what it says.</summary>
    private sealed record Layer(string Path, JsonObject Rules);

    /// <summary>
    /// Resolves every scope the policy defines: the defaults, each channel, and each account on each channel.
    /// Later layers override earlier ones option by option: policy → channel → account → account's channel.
    /// </summary>
    private static Scopes ReadScopes(JsonElement root, List<PolicyError> errors)
    {
        var baseLayer = ReadLayer(root, "$", errors);
        var allowed = ReadDomains(root, "$.allowedDomains", errors);
        var timeZone = ReadTimeZone(root, "$.timeZone", TimeZoneInfo.Utc, errors);
        var channelLayers = new Dictionary<Channel, Layer>();
        if (TryGetObject(root, "channels", "$.channels", errors, out var channels))
        {
            foreach (var channel in channels.EnumerateObject())
            {
                var path = $"$.channels['{channel.Name}']";
                if (!Channels.TryParse(channel.Name, out var parsed))
                {
                    errors.Add(new PolicyError(path, $"unknown channel{DidYouMean(channel.Name, Channels.WireNames)}"));
                    continue;
                }

                if (CheckKeys(channel.Value, path, ChannelKeys, errors) && ReadLayer(channel.Value, path, errors) is { } layer)
                {
                    channelLayers[parsed] = layer;
                }
            }
        }

        var defaultScope = Resolve([baseLayer], allowed, timeZone, errors);
        var byChannel = new Dictionary<Channel, PolicyScope>();
        foreach (var channel in Enum.GetValues<Channel>())
        {
            byChannel[channel] = channelLayers.TryGetValue(channel, out var layer)
                ? Resolve([baseLayer, layer], allowed, timeZone, errors)
                : defaultScope;
        }

        var byAccount = new Dictionary<string, IReadOnlyDictionary<Channel, PolicyScope>>(StringComparer.Ordinal);
        if (TryGetObject(root, "accounts", "$.accounts", errors, out var accounts))
        {
            foreach (var account in accounts.EnumerateObject())
            {
                var path = $"$.accounts['{account.Name}']";
                if (!CheckKeys(account.Value, path, AccountKeys, errors))
                {
                    continue;
                }

                var accountLayer = ReadLayer(account.Value, path, errors);
                var accountAllowed = allowed.Union(ReadDomains(account.Value, path + ".allowedDomains", errors)).ToFrozenSet(StringComparer.Ordinal);
                var accountZone = ReadTimeZone(account.Value, path + ".timeZone", timeZone, errors);
                var accountChannels = new Dictionary<Channel, Layer>();
                if (TryGetObject(account.Value, "channels", path + ".channels", errors, out var perChannel))
                {
                    foreach (var channel in perChannel.EnumerateObject())
                    {
                        var channelPath = $"{path}.channels['{channel.Name}']";
                        if (!Channels.TryParse(channel.Name, out var parsed))
                        {
                            errors.Add(new PolicyError(channelPath, $"unknown channel{DidYouMean(channel.Name, Channels.WireNames)}"));
                        }
                        else if (CheckKeys(channel.Value, channelPath, ChannelKeys, errors) && ReadLayer(channel.Value, channelPath, errors) is { } layer)
                        {
                            accountChannels[parsed] = layer;
                        }
                    }
                }

                var scopes = new Dictionary<Channel, PolicyScope>();
                foreach (var channel in Enum.GetValues<Channel>())
                {
                    var layers = new List<Layer?> { baseLayer, channelLayers.GetValueOrDefault(channel), accountLayer, accountChannels.GetValueOrDefault(channel) };
                    scopes[channel] = Resolve(layers, accountAllowed, accountZone, errors);
                }

                byAccount[account.Name] = scopes;
            }
        }

        return new Scopes(defaultScope, byChannel, byAccount);
    }

    private static PolicyScope Resolve(IReadOnlyList<Layer?> layers, FrozenSet<string> allowedDomains, TimeZoneInfo timeZone, List<PolicyError> errors)
    {
        var configured = new List<ConfiguredRule>(RuleCatalog.All.Count);
        foreach (var rule in RuleCatalog.All)
        {
            var name = rule.Descriptor.Name;
            JsonObject? merged = null;
            RuleOptions? read = null;
            var reported = new HashSet<PolicyError>();
            foreach (var layer in layers)
            {
                if (layer?.Rules[name] is JsonObject options)
                {
                    // NOTE: each layer is read on top of the ones before it and a problem is reported in the layer that
                    // brings it in, so an account's scope does not repeat the base policy's errors under its own path.
                    merged = merged is null ? (JsonObject)options.DeepClone() : Merge(merged, options);
                    read = ReadOptions(rule, merged, $"{layer.Path}.rules['{name}']", reported, errors);
                }
            }

            read ??= rule.CreateDefaultOptions();
            read.Prepare();
            configured.Add(new ConfiguredRule(rule, read));
        }

        // NOTE: the scope's rules are bound to their options once; a list no caller can change keeps them valid.
        return PolicyScope.WithPlan(configured.AsReadOnly(), allowedDomains, timeZone);
    }

    /// <summary>
    /// Reads merged rule options. Problems are found with paths relative to the rule; those not in
    /// <paramref name="reported"/> (found under an earlier layer) are reported under <paramref name="path"/>.
    /// </summary>
    private static RuleOptions? ReadOptions(IRule rule, JsonObject merged, string path, HashSet<PolicyError> reported, List<PolicyError> errors)
    {
        var problems = new List<PolicyError>();
        var read = ReadOptions(rule, merged, problems);
        foreach (var problem in problems)
        {
            if (reported.Add(problem))
            {
                errors.Add(problem with { Path = path + problem.Path });
            }
        }

        return problems.Count == 0 ? read : null;
    }

    private static RuleOptions? ReadOptions(IRule rule, JsonObject merged, List<PolicyError> problems)
    {
        using var document = JsonDocument.Parse(merged.ToJsonString());
        var element = document.RootElement;
        RuleOptions read;
        try
        {
            read = rule.ReadOptions(element);
        }
        catch (JsonException ex)
        {
            problems.Add(new PolicyError(TrimRoot(ex.Path), Explain(ex)));
            return null;
        }

        CheckName<Severity>(element, "severity", "must be \"off\", \"coach\", \"review\" or \"block\"", problems);
        CheckName<RuleMode>(element, "mode", "must be \"enforce\", \"warn\" or \"shadow\"", problems);
        foreach (var (member, reason) in read.Validate())
        {
            problems.Add(new PolicyError($".{member}", reason));
        }

        CheckTemplate(read.Message, ".message", read, problems);
        CheckTemplate(read.Coaching, ".coaching", read, problems);
        return read;
    }

    /// <summary>Reads the "rules" object of a layer, checking that every key names a rule and holds an object.</summary>
    private static Layer? ReadLayer(JsonElement owner, string ownerPath, List<PolicyError> errors)
    {
        if (!TryGetObject(owner, "rules", ownerPath + ".rules", errors, out var rules))
        {
            return null;
        }

        var node = new JsonObject();
        foreach (var property in rules.EnumerateObject())
        {
            var path = $"{ownerPath}.rules['{property.Name}']";
            if (RuleCatalog.Find(property.Name) is null)
            {
                errors.Add(new PolicyError(path, $"unknown rule{DidYouMean(property.Name, RuleCatalog.All.Select(r => r.Descriptor.Name))}"));
            }
            else if (property.Value.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new PolicyError(path, "must be an object of rule options"));
            }
            else
            {
                node[property.Name] = JsonNode.Parse(property.Value.GetRawText(), documentOptions: DocumentOptions);
            }
        }

        return new Layer(ownerPath, node);
    }

    /// <summary>Deep merge: objects merge member by member, anything else (arrays included) is replaced.</summary>
    private static JsonObject Merge(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source)
        {
            if (value is JsonObject sourceObject && target[key] is JsonObject targetObject)
            {
                Merge(targetObject, sourceObject);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }

        return target;
    }

    private static bool TryGetObject(JsonElement owner, string name, string path, List<PolicyError> errors, out JsonElement value)
    {
        if (!owner.TryGetProperty(name, out value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new PolicyError(path, "must be an object"));
            return false;
        }

        return true;
    }

    private static bool CheckKeys(JsonElement element, string path, string[] allowed, List<PolicyError> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new PolicyError(path, "must be an object"));
            return false;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                errors.Add(new PolicyError($"{path}.{property.Name}", $"unknown property{DidYouMean(property.Name, allowed)}"));
            }
        }

        return true;
    }

    private static FrozenSet<string> ReadDomains(JsonElement owner, string path, List<PolicyError> errors)
    {
        if (!owner.TryGetProperty("allowedDomains", out var domains) || domains.ValueKind == JsonValueKind.Null)
        {
            return FrozenSet<string>.Empty;
        }

        if (domains.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new PolicyError(path, "must be an array of domain names"));
            return FrozenSet<string>.Empty;
        }

        var set = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var item in domains.EnumerateArray())
        {
            var value = item.ValueKind == JsonValueKind.String ? item.GetString()!.Trim().ToLowerInvariant() : null;
            if (value is null || value.Length < 3 || !value.Contains('.', StringComparison.Ordinal) || !value.All(c => char.IsLetterOrDigit(c) || c is '.' or '-'))
            {
                errors.Add(new PolicyError($"{path}[{i}]", "must be a domain name such as help.acme.com"));
            }
            else
            {
                set.Add(value);
            }

            i++;
        }

        return set.ToFrozenSet(StringComparer.Ordinal);
    }

    private static TimeZoneInfo ReadTimeZone(JsonElement owner, string path, TimeZoneInfo fallback, List<PolicyError> errors)
    {
        if (!owner.TryGetProperty("timeZone", out var zone) || zone.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        // NOTE: the lookup ignores case only for zones .NET has already cached, so "america/new_york" would load or not
        // depending on what ran before; the id must be written exactly as the IANA database spells it.
        if (zone.ValueKind == JsonValueKind.String
            && TimeZoneInfo.TryFindSystemTimeZoneById(zone.GetString()!, out var found)
            && string.Equals(found.Id, zone.GetString(), StringComparison.Ordinal))
        {
            return found;
        }

        errors.Add(new PolicyError(path, "must be an IANA time zone such as Europe/Berlin"));
        return fallback;
    }

    // NOTE: the enum converter also reads numbers, numeric strings and flag lists ("severity": 7, "mode": "shadow, warn"),
    // which name no severity or mode and would fail only when a finding is written out.
    private static void CheckName<TEnum>(JsonElement options, string property, string reason, List<PolicyError> errors)
        where TEnum : struct, Enum
    {
        if (options.TryGetProperty(property, out var value)
            && value.ValueKind != JsonValueKind.Null
            && (value.ValueKind != JsonValueKind.String
                || !Enum.GetNames<TEnum>().Contains(value.GetString(), StringComparer.OrdinalIgnoreCase)))
        {
            errors.Add(new PolicyError("." + property, reason));
        }
    }

    private static void CheckTemplate(string? template, string path, RuleOptions options, List<PolicyError> errors)
    {
        if (template is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(template))
        {
            errors.Add(new PolicyError(path, "must not be empty"));
            return;
        }

        foreach (var unknown in Templates.UnknownPlaceholders(template, options.Placeholders))
        {
            errors.Add(new PolicyError(path, $"unknown placeholder {{{unknown}}}; this rule offers {string.Join(", ", options.Placeholders.Select(p => "{" + p + "}"))}"));
        }
    }

    private static string TrimRoot(string? path) => string.IsNullOrEmpty(path) || path == "$" ? string.Empty : path[1..];

    private static string Explain(JsonException ex)
    {
        var message = ex.Message;
        var unmapped = UnmappedProperty().Match(message);
        if (unmapped.Success)
        {
            return $"unknown option '{unmapped.Groups[1].Value}'";
        }

        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return "has the wrong type or an unknown value";
        }

        if (message.Contains("doesn't allow setting null values", StringComparison.Ordinal))
        {
            return "must not be null";
        }

        return "cannot be read";
    }

    internal static string DidYouMean(string name, IEnumerable<string> candidates)
    {
        var best = candidates
            .Select(c => (Candidate: c, Distance: Distance(name, c)))
            .OrderBy(x => x.Distance)
            .FirstOrDefault();
        return best.Candidate is not null && best.Distance <= Math.Max(2, name.Length / 3)
            ? $"; did you mean '{best.Candidate}'?"
            : string.Empty;
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>Sorted keys, no whitespace: the same policy always hashes to the same version.</summary>
    internal static string Canonicalize(JsonElement element)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteCanonical(writer, element);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    [GeneratedRegex("The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnmappedProperty();
}
