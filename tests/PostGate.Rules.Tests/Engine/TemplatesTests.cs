using PostGate.Rules.Engine;
using Xunit;

namespace PostGate.Rules.Tests.Engine;

public sealed class TemplatesTests
{
    public static TheoryData<string, string> Fills => new()
    {
        { "{count} links; {max} allowed.", "3 links; 1 allowed." },
        { "No placeholders.", "No placeholders." },
        { "{unknown} stays", "{unknown} stays" },      // an unknown name is left as written
        { "open { brace", "open { brace" },            // an unclosed brace is text
        { "{count}{count}", "33" },
        { "", "" },
    };

    [Theory]
    [MemberData(nameof(Fills))]
    public void Fill_ReplacesKnownPlaceholders(string template, string expected)
    {
        Assert.Equal(expected, Templates.Fill(template, ("count", 3), ("max", 1)));
    }

    [Fact]
    public void Fill_FormatsNumbersInvariantly()
    {
        Assert.Equal("share 0.25", Templates.Fill("share {share}", ("share", 0.25)));
    }

    public static TheoryData<string[], string> Quotes => new()
    {
        { [], "" },
        { ["a"], "\"a\"" },
        { ["a", "b"], "\"a\" and \"b\"" },
        { ["a", "b", "c"], "\"a\", \"b\" and \"c\"" },
        { ["Buy now", "BUY NOW", "act fast"], "\"Buy now\" and \"act fast\"" }, // repeats differing only in case are quoted once
    };

    [Theory]
    [MemberData(nameof(Quotes))]
    public void QuoteList_JoinsInPlainEnglish(string[] items, string expected)
    {
        Assert.Equal(expected, Templates.QuoteList(items));
    }

    [Fact]
    public void UnknownPlaceholders_NamesEachOneNotAllowed()
    {
        Assert.Equal(["foo", "bar"], Templates.UnknownPlaceholders("{count} {foo} {bar} {max}", ["count", "max"]));
    }
}
