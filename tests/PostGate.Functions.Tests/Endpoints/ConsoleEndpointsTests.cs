using System.Net;
using System.Text.RegularExpressions;
using PostGate.Functions.Endpoints;
using PostGate.Functions.Problems;
using Xunit;

namespace PostGate.Functions.Tests.Endpoints;

/// <summary>The console is served by the gate itself, offline, under a policy that runs no inline or foreign script.</summary>
public sealed partial class ConsoleEndpointsTests : IClassFixture<GateApp>
{
    private readonly HttpClient _client;

    public ConsoleEndpointsTests(GateApp app)
    {
        app.Reset();
        _client = app.CreateClient(new() { AllowAutoRedirect = false });
    }

    [Fact]
    public async Task Page_IsHtmlWithAStrictContentSecurityPolicy()
    {
        var response = await _client.GetAsync(ConsoleEndpoints.BasePath);

        await TestHttp.AssertStatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var csp = string.Join(';', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Theory]
    [InlineData("/api/console")]
    [InlineData("/console")]
    public async Task ShortAddress_RedirectsToThePage(string path)
    {
        var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(ConsoleEndpoints.BasePath, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task UnknownFile_Returns404Problem()
    {
        var response = await _client.GetAsync(ConsoleEndpoints.BasePath + "missing.js");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task Page_LoadsOnlyItsOwnFiles_AndHasNoInlineScriptOrStyle()
    {
        var html = await _client.GetStringAsync(ConsoleEndpoints.BasePath);

        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotMatch(InlineHandler(), html);
        Assert.DoesNotContain("style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        var references = Reference().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, url => Assert.DoesNotContain("//", url, StringComparison.Ordinal));
        foreach (var url in references)
        {
            var response = await _client.GetAsync(ConsoleEndpoints.BasePath + url);
            await TestHttp.AssertStatusAsync(response, HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Scripts_ImportOnlyEmbeddedModules()
    {
        var scripts = ConsoleEndpoints.Files.Where(f => f.EndsWith(".js", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(scripts);
        var imports = 0;
        foreach (var script in scripts)
        {
            var response = await _client.GetAsync(ConsoleEndpoints.BasePath + script);
            await TestHttp.AssertStatusAsync(response, HttpStatusCode.OK);
            Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
            var source = await response.Content.ReadAsStringAsync();
            foreach (Match import in Import().Matches(source))
            {
                imports++;
                var target = import.Groups["url"].Value;
                Assert.StartsWith("./", target);
                Assert.Contains(target[2..], ConsoleEndpoints.Files);
            }

            // The user's text reaches the page as text nodes only.
            Assert.DoesNotContain("innerHTML", source, StringComparison.Ordinal);
            Assert.DoesNotContain("insertAdjacentHTML", source, StringComparison.Ordinal);
            Assert.DoesNotContain("eval(", source, StringComparison.Ordinal);
        }

        Assert.True(imports > scripts.Count, $"only {imports} imports were found in {scripts.Count} modules");
    }

    [Fact]
    public async Task SameFileTwice_AnswersNotModified()
    {
        var first = await _client.GetAsync(ConsoleEndpoints.BasePath);
        using var again = new HttpRequestMessage(HttpMethod.Get, ConsoleEndpoints.BasePath);
        again.Headers.TryAddWithoutValidation("If-None-Match", first.Headers.ETag!.ToString());

        var second = await _client.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex("\\son[a-z]+=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();

    [GeneratedRegex("(?:src|href)=\"(?<url>[^\"#]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex Reference();

    [GeneratedRegex("^\\s*(?:import|export)\\b[^;'\"]*?\\bfrom\\s*['\"](?<url>[^'\"]+)['\"]", RegexOptions.Multiline)]
    private static partial Regex Import();
}
