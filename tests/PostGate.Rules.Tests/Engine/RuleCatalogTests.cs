using System.Text.Json;
using PostGate.Rules.Engine;
using PostGate.Rules.Policy;
using PostGate.Rules.Tests.TestSupport;
using Xunit;

namespace PostGate.Rules.Tests.Engine;

public sealed class RuleCatalogTests
{
    public static TheoryData<string> Ids => [.. RuleCatalog.All.Select(r => r.Descriptor.Id)];

    [Fact]
    public void All_HasTheShippedRulesInReportingOrder()
    {
        Assert.Equal(
            [
                "PG101", "PG102", "PG103", "PG104", "PG105", "PG106", "PG107",
                "PG201", "PG202", "PG203",
                "PG301", "PG302", "PG303", "PG304", "PG305", "PG306",
                "PG401",
            ],
            RuleCatalog.All.Select(r => r.Descriptor.Id));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_IsCompleteAndWellFormed(string id)
    {
        var descriptor = RuleCatalog.All.Single(r => r.Descriptor.Id == id).Descriptor;

        Assert.Matches("^PG[1-4][0-9]{2}$", descriptor.Id);
        Assert.Matches("^[a-z]+(-[a-z]+)*/[a-z]+(-[a-z]+)*$", descriptor.Name);
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Title));
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Message));
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Coaching));
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Action));
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Why));
        Assert.NotEqual(Severity.Off, descriptor.DefaultSeverity);
        Assert.Equal($"docs/rules/{id}.md", descriptor.HelpUri);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_IdBandMatchesItsFamily(string id)
    {
        var family = RuleCatalog.All.Single(r => r.Descriptor.Id == id).Descriptor.Name.Split('/')[0];

        var band = family switch
        {
            "link-dropping" => '1',
            "hard-sell" => '2',
            "cadence" => '3',
            _ => '4',
        };
        Assert.Equal(band, id[2]);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_TemplatesUseOnlyThePlaceholdersTheRuleOffers(string id)
    {
        var rule = RuleCatalog.All.Single(r => r.Descriptor.Id == id);
        var offered = rule.CreateDefaultOptions().Placeholders;

        Assert.Empty(Templates.UnknownPlaceholders(rule.Descriptor.Message, offered));
        Assert.Empty(Templates.UnknownPlaceholders(rule.Descriptor.Coaching, offered));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void DefaultOptions_AreValid(string id)
    {
        var rule = RuleCatalog.All.Single(r => r.Descriptor.Id == id);

        Assert.Empty(rule.CreateDefaultOptions().Validate());
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_HasADocsPageAndARulesTableRow(string id)
    {
        var descriptor = RuleCatalog.All.Single(r => r.Descriptor.Id == id).Descriptor;

        var page = File.ReadAllLines(Repo.PathOf("docs", "rules", $"{id}.md"));
        Assert.Equal($"# {id} `{descriptor.Name}`: {descriptor.Title}", page[0]);
        Assert.Contains(
            $"| [{id}](../docs/rules/{id}.md) | `{descriptor.Name}` | {descriptor.Title} | {descriptor.DefaultSeverity.ToWire()} |",
            File.ReadAllText(Repo.PathOf("rules", "RULES.md")),
            StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Descriptor_NameIsAPropertyOfThePolicySchema(string id)
    {
        var name = RuleCatalog.All.Single(r => r.Descriptor.Id == id).Descriptor.Name;

        Assert.Contains($"\"{name}\"", File.ReadAllText(Repo.PathOf("rules", "policies", "policy.schema.json")), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Options_AreExactlyThePropertiesTheSchemaDescribes(string id)
    {
        var rule = RuleCatalog.All.Single(r => r.Descriptor.Id == id);
        using var schema = JsonDocument.Parse(File.ReadAllText(Repo.PathOf("rules", "policies", "policy.schema.json")));

        var described = schema.RootElement.GetProperty("$defs").GetProperty("rules").GetProperty("properties")
            .GetProperty(rule.Descriptor.Name).GetProperty("properties").EnumerateObject().Select(p => p.Name);

        Assert.Equal(OptionNames(rule).Order(StringComparer.Ordinal), described.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Options_EachHasARowOnTheDocsPageWithThePlaceholders(string id)
    {
        var rule = RuleCatalog.All.Single(r => r.Descriptor.Id == id);
        var page = File.ReadAllText(Repo.PathOf("docs", "rules", $"{id}.md"));

        // NOTE: the options every rule takes are described once, in the sentence above each options table.
        Assert.All(
            OptionNames(rule).Except(["severity", "mode", "message", "coaching"], StringComparer.Ordinal),
            option => Assert.Contains($"| `{option}` |", page, StringComparison.Ordinal));
        Assert.Contains(
            "Placeholders for `message` and `coaching`: " + string.Join(", ", rule.CreateDefaultOptions().Placeholders.Select(p => $"`{{{p}}}`")) + ".",
            page,
            StringComparison.Ordinal);
    }

    [Fact]
    public void All_IdsAndNamesAreUnique()
    {
        var descriptors = RuleCatalog.All.Select(r => r.Descriptor).ToList();

        Assert.Equal(descriptors.Count, descriptors.Select(d => d.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(descriptors.Count, descriptors.Select(d => d.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(descriptors.Count, descriptors.Select(d => d.Action).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("link-dropping/shortener", "PG102")]
    [InlineData("cadence/no-conversation", "PG303")]
    public void Find_KnownName_ReturnsTheRule(string name, string id)
    {
        Assert.Equal(id, RuleCatalog.Find(name)?.Descriptor.Id);
    }

    [Theory]
    [InlineData("PG102")]
    [InlineData("Link-Dropping/Shortener")] // names are matched exactly
    [InlineData("shortener")]
    public void Find_UnknownName_ReturnsNull(string name)
    {
        Assert.Null(RuleCatalog.Find(name));
    }

    /// <summary>The option names a policy may set for a rule: what the policy's JSON reader can set.</summary>
    private static IEnumerable<string> OptionNames(IRule rule) =>
        PolicyJsonContext.Default.GetTypeInfo(rule.CreateDefaultOptions().GetType())!.Properties
            .Where(p => p.Set is not null)
            .Select(p => p.Name);
}
