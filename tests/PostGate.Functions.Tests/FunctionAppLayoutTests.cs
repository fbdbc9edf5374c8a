using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace PostGate.Functions.Tests;

/// <summary>
/// The Functions host only forwards routes that a <c>functions/&lt;Name&gt;/function.json</c> declares, so every
/// endpoint the app maps under /api needs one, and every function.json needs an endpoint.
/// </summary>
public sealed class FunctionAppLayoutTests : IClassFixture<GateApp>
{
    private const string RoutePrefix = "api/";

    private static readonly string RepoRoot = RepoPaths.Root;
    private static readonly string FunctionsSource = Path.Combine(RepoRoot, "functions", "PostGate.Functions", "functions");

    private readonly GateApp _app;

    public FunctionAppLayoutTests(GateApp app) => _app = app;

    private sealed record Binding(string Name, string Route, string[] Methods);

    private IReadOnlyList<Binding> MappedEndpoints() =>
        [.. _app.Services.GetServices<EndpointDataSource>()
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith(RoutePrefix, StringComparison.Ordinal) == true)
            .Select(e => new Binding(
                e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? e.DisplayName ?? "?",
                e.RoutePattern.RawText!.TrimStart('/')[RoutePrefix.Length..],
                [.. (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => m.ToUpperInvariant()).Order(StringComparer.Ordinal)]))];

    private static Binding ReadFunctionJson(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var bindings = document.RootElement.GetProperty("bindings").EnumerateArray().ToList();
        var name = Path.GetFileName(Path.GetDirectoryName(path))!;
        var triggers = bindings.Where(b => b.GetProperty("type").GetString() == "httpTrigger").ToList();
        var trigger = Assert.Single(triggers);
        Assert.Equal("in", trigger.GetProperty("direction").GetString());
        Assert.Contains(trigger.GetProperty("authLevel").GetString(), new[] { "anonymous", "function", "admin" });
        var output = Assert.Single(bindings, b => b.GetProperty("type").GetString() == "http");
        Assert.Equal("out", output.GetProperty("direction").GetString());
        Assert.Equal(2, bindings.Count);
        return new Binding(
            name,
            trigger.GetProperty("route").GetString()!,
            [.. trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).Order(StringComparer.Ordinal)]);
    }

    public static TheoryData<string> FunctionJsonFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(FunctionsSource, "function.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(FunctionsSource, file));
        }

        return data;
    }

    [Fact]
    public void EveryApiEndpoint_HasMatchingFunctionJson()
    {
        var endpoints = MappedEndpoints();
        Assert.NotEmpty(endpoints);
        foreach (var endpoint in endpoints)
        {
            var path = Path.Combine(FunctionsSource, endpoint.Name, "function.json");
            Assert.True(File.Exists(path), $"{string.Join(',', endpoint.Methods)} /api/{endpoint.Route} ({endpoint.Name}) has no {path}.");
            var function = ReadFunctionJson(path);
            Assert.Equal(endpoint.Route, function.Route);
            Assert.Equal(endpoint.Methods, function.Methods);
        }
    }

    [Theory]
    [MemberData(nameof(FunctionJsonFiles))]
    public void EveryFunctionJson_MatchesAMappedEndpoint(string relativePath)
    {
        var function = ReadFunctionJson(Path.Combine(FunctionsSource, relativePath));

        var endpoint = Assert.Single(MappedEndpoints(), e => e.Route == function.Route && e.Methods.SequenceEqual(function.Methods));
        Assert.Equal(function.Name, endpoint.Name);
        Assert.Equal(Path.Combine(function.Name, "function.json"), relativePath);
    }

    [Theory]
    [MemberData(nameof(FunctionJsonFiles))]
    public void EveryFunctionJson_IsCopiedToTheOutputRoot(string relativePath)
    {
        var source = File.ReadAllText(Path.Combine(FunctionsSource, relativePath));

        // NOTE: the test output holds the functions project's content too, so both roots are checked: the app's
        // own build output (what `func start` and publish use) and this test's.
        foreach (var root in OutputRoots())
        {
            var copied = Path.Combine(root, relativePath);
            Assert.True(File.Exists(copied), $"{relativePath} was not copied to the output root {root}.");
            Assert.Equal(source, File.ReadAllText(copied));
            Assert.False(Directory.Exists(Path.Combine(root, "functions")), $"{root} holds a nested functions/ folder the host would not read.");
        }
    }

    [Fact]
    public void HostJson_RunsTheAppAsForwardingCustomHandler()
    {
        foreach (var path in OutputRoots().Select(root => Path.Combine(root, "host.json")).Prepend(Path.Combine(RepoRoot, "host.json")))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var handler = document.RootElement.GetProperty("customHandler");
            Assert.True(handler.GetProperty("enableForwardingHttpRequest").GetBoolean(), path);
            Assert.Equal("PostGate.Functions", handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString());
            Assert.Equal("api", document.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        }
    }

    /// <summary>The functions project's build output for this configuration, and this test's output.</summary>
    private static IEnumerable<string> OutputRoots()
    {
        var configuration = typeof(FunctionAppLayoutTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var targetFramework = Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var appOutput = Path.Combine(RepoRoot, "functions", "PostGate.Functions", "bin", configuration, targetFramework);
        Assert.True(Directory.Exists(appOutput), $"The functions app's build output {appOutput} does not exist.");
        return [appOutput, AppContext.BaseDirectory];
    }
}
