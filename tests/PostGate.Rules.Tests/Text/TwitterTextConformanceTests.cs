using PostGate.Rules.Tests.TestSupport;
using PostGate.Rules.Text;
using Xunit;

namespace PostGate.Rules.Tests.Text;

/// <summary>
/// LinkScanner against twitter-text's own conformance suite (extract.yml): every case of the sections
/// <c>urls</c>, <c>urls_with_indices</c>, <c>urls_with_directional_markers</c> and <c>tco_urls_with_params</c> is a row.
/// </summary>
// NOTE: the yml gives indices in code points, LinkScanner spans are UTF-16 units; the expected indices are converted
// with TwitterText.Utf16Index. No case of these four sections has a character outside the BMP, so the conversion is
// the identity today, but it keeps the table honest if the suite grows.
public sealed class TwitterTextConformanceTests
{
    public static TheoryData<string, string, string[]> Urls => Strings("urls");

    public static TheoryData<string, string, string[]> TcoUrlsWithParams => Strings("tco_urls_with_params");

    public static TheoryData<string, string, string[], int[]> UrlsWithIndices => Indexed("urls_with_indices");

    public static TheoryData<string, string, string[], int[]> UrlsWithDirectionalMarkers => Indexed("urls_with_directional_markers");

    [Theory]
    [MemberData(nameof(Urls))]
    public void Scan_Urls_AgreesWithTwitterText(string description, string text, string[] expected)
    {
        Assert.NotNull(description);
        Assert.Equal(expected, LinkScanner.Scan(text).Select(l => l.Text));
    }

    [Theory]
    [MemberData(nameof(TcoUrlsWithParams))]
    public void Scan_TcoUrlsWithParams_AgreesWithTwitterText(string description, string text, string[] expected)
    {
        Assert.NotNull(description);
        Assert.Equal(expected, LinkScanner.Scan(text).Select(l => l.Text));
    }

    [Theory]
    [MemberData(nameof(UrlsWithIndices))]
    public void Scan_UrlsWithIndices_AgreesWithTwitterText(string description, string text, string[] expected, int[] indices)
    {
        Assert.NotNull(description);
        var links = LinkScanner.Scan(text);

        Assert.Equal(expected, links.Select(l => l.Text));
        Assert.Equal(indices, links.SelectMany(l => new[] { l.Span.Start, l.Span.End }));
    }

    [Theory]
    [MemberData(nameof(UrlsWithDirectionalMarkers))]
    public void Scan_UrlsWithDirectionalMarkers_AgreesWithTwitterText(string description, string text, string[] expected, int[] indices)
    {
        Assert.NotNull(description);
        var links = LinkScanner.Scan(text);

        Assert.Equal(expected, links.Select(l => l.Text));
        Assert.Equal(indices, links.SelectMany(l => new[] { l.Span.Start, l.Span.End }));
    }

    [Fact]
    public void Suite_HasEveryCaseOfTheFourSections()
    {
        Assert.Equal(64, Urls.Count);
        Assert.Equal(10, UrlsWithIndices.Count);
        Assert.Equal(2, UrlsWithDirectionalMarkers.Count);
        Assert.Equal(5, TcoUrlsWithParams.Count);
    }

    private static TheoryData<string, string, string[]> Strings(string section)
    {
        var data = new TheoryData<string, string, string[]>();
        foreach (var test in TwitterText.ExtractCases(section))
        {
            var expected = test["expected"] is List<object> list ? list.Select(o => (string)o).ToArray() : [];
            data.Add((string)test["description"]!, (string)test["text"]!, expected);
        }

        return data;
    }

    private static TheoryData<string, string, string[], int[]> Indexed(string section)
    {
        var data = new TheoryData<string, string, string[], int[]>();
        foreach (var test in TwitterText.ExtractCases(section))
        {
            var text = (string)test["text"]!;
            var expected = ((List<object>)test["expected"]!).Cast<Dictionary<object, object>>().ToList();
            var indices = expected
                .SelectMany(e => ((List<object>)e["indices"]).Select(i => TwitterText.Utf16Index(text, int.Parse((string)i, System.Globalization.CultureInfo.InvariantCulture))))
                .ToArray();
            data.Add((string)test["description"]!, text, [.. expected.Select(e => (string)e["url"])], indices);
        }

        return data;
    }
}
