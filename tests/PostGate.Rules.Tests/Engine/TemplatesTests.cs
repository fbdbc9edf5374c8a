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
    public void QuoteList_LongListWithRepeats_KeepsFirstOfEachInOrder()
    {
        var items = Enumerable.Range(0, 60).Select(i => (i % 3 == 0 ? "Item " : "item ") + (i * 7 % 25)).ToArray();
        var distinct = items.Distinct(StringComparer.OrdinalIgnoreCase).Select(s => $"\"{s}\"").ToList();

        Assert.Equal(25, distinct.Count);
        Assert.Equal(string.Join(", ", distinct.Take(distinct.Count - 1)) + " and " + distinct[^1], Templates.QuoteList(items));
    }

    [Fact]
    public void FillValues_ValueThatBuildsAQuotedList_KeepsTheTextAroundIt()
    {
        // NOTE: a text built first leaves this thread's builder ready to be reused, as it is in a running gate.
        Assert.Equal("before", Templates.Fill("{x}", ("x", "before")));
        var values = new ValuesWrittenWhenAsked(("quotes", TemplateValue.Quotes(["buy now", "act fast"])), ("count", 2));

        var text = Templates.FillValues("The post says {quotes} ({count} phrases); {quotes} again.", values);

        Assert.Equal("The post says \"buy now\" and \"act fast\" (2 phrases); \"buy now\" and \"act fast\" again.", text);
        Assert.Equal("after", Templates.Fill("{x}", ("x", "after")));
    }

    [Fact]
    public void UnknownPlaceholders_NamesEachOneNotAllowed()
    {
        Assert.Equal(["foo", "bar"], Templates.UnknownPlaceholders("{count} {foo} {bar} {max}", ["count", "max"]));
    }

    /// <summary>Values written out each time a template asks for one, as a finding writes its values on first read.</summary>
    private sealed class ValuesWrittenWhenAsked(params (string Name, TemplateValue Value)[] values) : ITemplateSource
    {
        public string? TextOf(ReadOnlySpan<char> name)
        {
            foreach (var (known, value) in values)
            {
                if (name.SequenceEqual(known))
                {
                    return value.ToString();
                }
            }

            return null;
        }
    }
}
