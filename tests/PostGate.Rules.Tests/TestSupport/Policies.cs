using System.Text.Json;
using System.Text.Json.Nodes;
using PostGate.Rules.Engine;
using PostGate.Rules.Policy;
using Xunit;
using GatePolicy = PostGate.Rules.Policy.Policy;

namespace PostGate.Rules.Tests.TestSupport;

/// <summary>Policies for tests: the shipped default (loaded once) and policies that run a single rule.</summary>
internal static class Policies
{
    public static readonly string DefaultPath = Path.Combine(AppContext.BaseDirectory, "policies", "default.json");

    private static readonly Lazy<GatePolicy> LazyDefault = new(() => PolicyLoader.LoadFile(DefaultPath));

    /// <summary>The shipped default policy.</summary>
    public static GatePolicy Default => LazyDefault.Value;

    /// <summary>
    /// A policy in which only <paramref name="ruleName"/> runs, with <paramref name="options"/> (a JSON object), and
    /// <paramref name="scope"/>: more top-level members, such as <c>"timeZone": "America/New_York"</c>.
    /// </summary>
    public static GatePolicy Only(string ruleName, string options = "{}", string scope = "")
    {
        var rules = RuleCatalog.All.Select(r => r.Descriptor.Name == ruleName
            ? $"\"{ruleName}\": {options}"
            : $"\"{r.Descriptor.Name}\": {{ \"severity\": \"off\" }}");
        var more = string.IsNullOrWhiteSpace(scope) ? string.Empty : ", " + scope;
        return PolicyLoader.Load($$"""{ "name": "test", "rules": { {{string.Join(", ", rules)}} }{{more}} }""");
    }

    /// <summary>
    /// A policy in which only the rules named in <paramref name="rules"/> (members of a JSON object, rule name to
    /// options) run, with <paramref name="scope"/> as in <see cref="Only"/>.
    /// </summary>
    public static GatePolicy Running(string rules, string scope = "")
    {
        var configured = JsonNode.Parse($"{{ {rules} }}")!.AsObject();
        foreach (var rule in RuleCatalog.All.Where(r => !configured.ContainsKey(r.Descriptor.Name)))
        {
            configured[rule.Descriptor.Name] = new JsonObject { ["severity"] = "off" };
        }

        var more = string.IsNullOrWhiteSpace(scope) ? string.Empty : ", " + scope;
        return PolicyLoader.Load($$"""{ "name": "test", "rules": {{configured.ToJsonString()}}{{more}} }""");
    }

    /// <summary>The shipped default policy with every rule but <paramref name="ruleName"/> switched off.</summary>
    public static GatePolicy DefaultOnly(string ruleName)
    {
        var root = JsonNode.Parse(
            File.ReadAllText(DefaultPath),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
        var rules = root["rules"]!.AsObject();
        foreach (var rule in RuleCatalog.All.Where(r => r.Descriptor.Name != ruleName))
        {
            rules[rule.Descriptor.Name] = new JsonObject { ["severity"] = "off" };
        }

        return PolicyLoader.Load(root.ToJsonString());
    }

    /// <summary>The errors a policy raises, as "path: reason" lines.</summary>
    public static string[] ErrorsOf(string json)
    {
        var ex = Assert.Throws<PolicyException>(() => PolicyLoader.Load(json));
        return [.. ex.Errors.Select(e => e.ToString())];
    }
}

/// <summary>Runs the engine and picks findings out of the result.</summary>
internal static class Gate
{
    public static Evaluation Check(GatePolicy policy, Draft draft, params TimelineEntry[] timeline) =>
        PolicyEngine.Evaluate(draft, timeline, policy);

    /// <summary>The one finding of <paramref name="ruleId"/>; fails when there is none or more than one.</summary>
    public static Finding Single(this Evaluation evaluation, string ruleId) =>
        Assert.Single(evaluation.Findings, f => f.RuleId == ruleId);

    /// <summary>The quoted text of each span, cut from <paramref name="text"/>.</summary>
    public static string[] Quotes(this Finding finding, string text) =>
        [.. finding.Spans.Select(s => text.Substring(s.Start, s.Length))];

    public static int[] Starts(this Finding finding) => [.. finding.Spans.Select(s => s.Start)];
}
