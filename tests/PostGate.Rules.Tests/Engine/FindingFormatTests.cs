using PostGate.Rules.Engine;
using PostGate.Rules.Policy;
using Xunit;

namespace PostGate.Rules.Tests.Engine;

public sealed class FindingFormatTests
{
    private static readonly RuleDescriptor Descriptor = RuleDescriptor.Create(
        id: "PG399",
        name: "cadence/test",
        title: "A test rule",
        message: "{count} posts, {quoted}; {unknown} stays.",
        coaching: "{quoted} again.",
        action: "Do less",
        why: "Tests need a rule.",
        defaultSeverity: Severity.Coach);

    private static int s_quotesWritten;

    private static readonly FindingFormat<(int Count, string[] Quotes)> Format = new(
        Descriptor,
        static v => $"{v.Count} posts",
        ("count", static v => v.Count),
        ("quoted", static v =>
        {
            Interlocked.Increment(ref s_quotesWritten);
            return TemplateValue.Quotes(v.Quotes);
        }
    ));

    [Fact]
    public void Report_WithoutEvidence_WritesTheFormatsEvidenceAndTextsWhenRead()
    {
        var sink = new FindingSink();
        sink.Report(Format, new TestOptions(), Severity.Review, [], (3, ["buy now", "act fast"]));

        var finding = Assert.Single(sink.Findings);
        Assert.Equal(("PG399", "cadence/test", "Do less", Severity.Review, RuleMode.Enforce), (finding.RuleId, finding.Rule, finding.Action, finding.Severity, finding.Mode));
        Assert.Equal(["3 posts"], finding.Evidence);
        Assert.Equal("3 posts, \"buy now\" and \"act fast\"; {unknown} stays.", finding.Message);
        Assert.Equal("\"buy now\" and \"act fast\" again.", finding.Coaching);
    }

    [Fact]
    public void Texts_ValueInTheMessageAndTheCoaching_IsWrittenOnce()
    {
        var sink = new FindingSink();
        sink.Report(Format, new TestOptions(), Severity.Coach, [], evidence: ["given"], (1, ["a"]));
        var finding = Assert.Single(sink.Findings);
        var before = Volatile.Read(ref s_quotesWritten);

        _ = (finding.Message, finding.Coaching, finding.Message);

        Assert.Equal(1, Volatile.Read(ref s_quotesWritten) - before);
        Assert.Equal(["given"], finding.Evidence);
    }

    [Fact]
    public void Report_OptionsTemplatesAndMode_AreTheFindings()
    {
        var sink = new FindingSink();
        sink.Report(Format, new TestOptions { Message = "{count}!", Coaching = "{quoted}?", Mode = RuleMode.Warn }, Severity.Coach, [], (2, ["x"]));

        var finding = Assert.Single(sink.Findings);
        Assert.Equal(("2!", "\"x\"?", RuleMode.Warn), (finding.Message, finding.Coaching, finding.Mode));
    }

    [Fact]
    public void Report_SeverityOff_ReportsNothing()
    {
        var sink = new FindingSink();

        sink.Report(Format, new TestOptions(), Severity.Off, [], (2, ["x"]));

        Assert.Empty(sink.Findings);
    }

    [Fact]
    public void Report_WithoutEvidenceWhenTheFormatWritesNone_Throws()
    {
        var format = new FindingFormat<int>(Descriptor, evidence: null, ("count", static v => v));

        Assert.Throws<ArgumentException>(() => new FindingSink().Report(format, new TestOptions(), Severity.Coach, [], 1));
    }

    [Theory]
    [InlineData("count", "count")] // a name given twice
    [InlineData("count", " ")]
    public void Create_BadNames_Throws(string first, string second)
    {
        Assert.ThrowsAny<ArgumentException>(() => new FindingFormat<int>(Descriptor, null, (first, static v => v), (second, static v => v)));
    }

    private sealed record TestOptions : RuleOptions;
}
