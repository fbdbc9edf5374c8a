using PostGate.Rules.Engine;
using Xunit;

namespace PostGate.Rules.Tests.Engine;

public sealed class RuleDescriptorTests
{
    [Fact]
    public void Create_ValidMetadata_KeepsIt()
    {
        var descriptor = Create();

        Assert.Equal("PG401", descriptor.Id);
        Assert.Equal("channel-fit/too-long", descriptor.Name);
        Assert.Equal(Severity.Review, descriptor.DefaultSeverity);
        Assert.Equal("docs/rules/PG401.md", descriptor.HelpUri);
    }

    [Theory]
    [InlineData("PG1")]
    [InlineData("PG501")]   // no band beyond channel fit
    [InlineData("PG001")]
    [InlineData("pg101")]
    [InlineData("XX101")]
    public void Create_MalformedId_Throws(string id)
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(id: id));

        Assert.Equal("id", ex.ParamName);
    }

    [Theory]
    [InlineData("too-long")]          // a family is required
    [InlineData("Channel-Fit/too-long")]
    [InlineData("channel_fit/too_long")]
    [InlineData("channel-fit/")]
    public void Create_MalformedName_Throws(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(name: name));

        Assert.Equal("name", ex.ParamName);
    }

    [Theory]
    [InlineData("", "m", "c")]
    [InlineData("t", " ", "c")]
    [InlineData("t", "m", "")]
    public void Create_BlankText_Throws(string title, string message, string coaching)
    {
        Assert.ThrowsAny<ArgumentException>(() => Create(title: title, message: message, coaching: coaching));
    }

    [Fact]
    public void Create_DefaultSeverityOff_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(severity: Severity.Off));

        Assert.Equal("defaultSeverity", ex.ParamName);
    }

    private static RuleDescriptor Create(
        string id = "PG401",
        string name = "channel-fit/too-long",
        string title = "Too long for the channel",
        string message = "This post has {length} characters.",
        string coaching = "Cut it to what matters.",
        Severity severity = Severity.Review) =>
        RuleDescriptor.Create(id, name, title, message, coaching, "Shorten the post", "Long posts get cut off.", severity);
}
