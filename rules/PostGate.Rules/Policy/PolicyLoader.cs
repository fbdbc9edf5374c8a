using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PostGate.Rules.Engine;

namespace PostGate.Rules.Policy;

/// <summary>Reads a policy file (JSON with comments), checks all of it, and reports every problem with its JSON path.</summary>
public static partial class PolicyLoader
{
    private static readonly string[] TopLevel = ["$schema", "name", "description", "rules"];

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

            var configured = ReadRules(root, errors);
            if (errors.Count > 0)
            {
                throw new PolicyException(errors);
            }

            var canonical = Canonicalize(root);
            var version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
            return new Policy(name, version, canonical, configured);
        }
    }

    private static List<ConfiguredRule> ReadRules(JsonElement root, List<PolicyError> errors)
    {
        var options = new Dictionary<string, RuleOptions>(StringComparer.Ordinal);
        if (root.TryGetProperty("rules", out var rules))
        {
            if (rules.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new PolicyError("$.rules", "must be an object keyed by rule name"));
            }
            else
            {
                foreach (var property in rules.EnumerateObject())
                {
                    var path = $"$.rules['{property.Name}']";
                    var rule = RuleCatalog.Find(property.Name);
                    if (rule is null)
                    {
                        errors.Add(new PolicyError(path, $"unknown rule{DidYouMean(property.Name, RuleCatalog.All.Select(r => r.Descriptor.Name))}"));
                        continue;
                    }

                    if (property.Value.ValueKind != JsonValueKind.Object)
                    {
                        errors.Add(new PolicyError(path, "must be an object of rule options"));
                        continue;
                    }

                    RuleOptions read;
                    try
                    {
                        read = rule.ReadOptions(property.Value);
                    }
                    catch (JsonException ex)
                    {
                        errors.Add(new PolicyError(path + TrimRoot(ex.Path), Explain(ex)));
                        continue;
                    }

                    var before = errors.Count;
                    CheckSeverity(property.Value, $"{path}.severity", errors);
                    foreach (var (member, reason) in read.Validate())
                    {
                        errors.Add(new PolicyError($"{path}.{member}", reason));
                    }

                    CheckTemplate(read.Message, $"{path}.message", read, errors);
                    CheckTemplate(read.Coaching, $"{path}.coaching", read, errors);
                    if (errors.Count == before)
                    {
                        options[property.Name] = read;
                    }
                }
            }
        }

        var configured = new List<ConfiguredRule>(RuleCatalog.All.Count);
        foreach (var rule in RuleCatalog.All)
        {
            var ruleOptions = options.GetValueOrDefault(rule.Descriptor.Name) ?? rule.CreateDefaultOptions();
            ruleOptions.Prepare();
            configured.Add(new ConfiguredRule(rule, ruleOptions));
        }

        return configured;
    }

    // NOTE: the enum converter also reads numbers and numeric strings ("severity": 7), which name no severity.
    private static void CheckSeverity(JsonElement options, string path, List<PolicyError> errors)
    {
        if (options.TryGetProperty("severity", out var severity)
            && severity.ValueKind != JsonValueKind.Null
            && (severity.ValueKind != JsonValueKind.String
                || !Enum.GetNames<Severity>().Contains(severity.GetString(), StringComparer.OrdinalIgnoreCase)))
        {
            errors.Add(new PolicyError(path, "must be \"off\", \"coach\", \"review\" or \"block\""));
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
