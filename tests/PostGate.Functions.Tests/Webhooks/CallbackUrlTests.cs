using NSubstitute;
using PostGate.Functions.Contracts;
using PostGate.Functions.Storage;
using PostGate.Functions.Webhooks;
using PostGate.Rules.Engine;
using Xunit;

namespace PostGate.Functions.Tests.Webhooks;

public sealed class CallbackUrlTests : IClassFixture<GateApp>
{
    private static readonly string[] Allowed = ["hooks.example.com", "*.partner.example"];

    private readonly GateApp _app;

    public CallbackUrlTests(GateApp app)
    {
        _app = app;
        _app.Reset();
    }

    public static TheoryData<string, string> ValidUrls => new()
    {
        { "https://hooks.example.com/postgate", "https://hooks.example.com/postgate" },
        { "https://hooks.example.com:443/postgate?token=abc", "https://hooks.example.com/postgate?token=abc" },
        // Host names compare without case and without the root's trailing dot.
        { "https://HOOKS.Example.COM/x", "https://hooks.example.com/x" },
        { "https://hooks.example.com./x", "https://hooks.example.com./x" },
        { "https://a.partner.example/x", "https://a.partner.example/x" },
        { "https://deep.a.partner.example/x", "https://deep.a.partner.example/x" },
    };

    [Theory]
    [MemberData(nameof(ValidUrls))]
    public void Check_Allowed_ReturnsTheUrl(string value, string expected)
    {
        Assert.Null(CallbackUrl.Check(value, Allowed, out var uri));
        Assert.Equal(expected, uri!.AbsoluteUri);
    }

    public static TheoryData<string> InvalidUrls => new()
    {
        "hooks.example.com/postgate",
        "/postgate",
        "",
        "http://hooks.example.com/postgate",
        "ftp://hooks.example.com/postgate",
        "https://user:pass@hooks.example.com/postgate",
        "https://user@hooks.example.com/postgate",
        "https://hooks.example.com:8443/postgate",
        // Port 80 over https is not the default port either.
        "https://hooks.example.com:80/postgate",
        "https://localhost/postgate",
        "https://LOCALHOST./postgate",
        "https://api.localhost/postgate",
        "https://127.0.0.1/postgate",
        // 127.0.0.1 written as one number and in hex: refused whether or not Uri reads them as IPv4.
        "https://2130706433/postgate",
        "https://0x7f.0.0.1/postgate",
        "https://10.0.0.1/postgate",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/postgate",
        "https://[fd00::1]/postgate",
        "https://[::ffff:127.0.0.1]/postgate",
        // Not on the list, or only looks like it.
        "https://example.com/postgate",
        "https://partner.example/postgate",
        "https://hooks.example.com.evil.example/postgate",
        "https://evilhooks.example.com/postgate",
        "https://xpartner.example/postgate",
        // A public IP literal is refused unless it is on the list.
        "https://93.184.216.34/postgate",
        "https://hooks.example.com/" + new string('a', CallbackUrl.MaxLength),
        // Not on the list in any spelling; an internationalized name must not throw either.
        "https://bücher.example/postgate",
        "https://hooks.example.com\\@evil.example/postgate",
    };

    [Theory]
    [MemberData(nameof(InvalidUrls))]
    public void Check_Refused_SaysWhy(string value)
    {
        Assert.NotNull(CallbackUrl.Check(value, Allowed, out var uri));
        Assert.Null(uri);
    }

    [Fact]
    public void Check_NothingAllowed_RefusesEverything()
    {
        Assert.NotNull(CallbackUrl.Check("https://hooks.example.com/postgate", [], out _));
    }

    private static string CheckBody(string callbackJson) =>
        $$"""{"accountId":"acme","channel":"x","text":"Our winter menu is out; the soup is back.","scheduledAt":"2026-12-01T09:00:00Z","callbackUrl":{{callbackJson}}}""";

    private WebApplicationFactoryClient Client() => new(_app.WithWebHostBuilder(b => b.UseSetting(WebhookOptions.Section + ":AllowedHosts:0", "hooks.example.com")));

    [Fact]
    public async Task CheckEndpoint_AllowedCallback_IsStoredWithTheDecision()
    {
        using var client = Client();

        var decision = await (await client.Http.CheckAsync(CheckBody("\"https://hooks.example.com/postgate?token=abc\""))).ReadDecisionAsync();

        Assert.Equal("https://hooks.example.com/postgate?token=abc", decision.CallbackUrl);
        await _app.Log.Received(1).AppendAsync(
            Arg.Is<DecisionResponse>(d => d.CallbackUrl == "https://hooks.example.com/postgate?token=abc"),
            Arg.Any<TimelineEntry>(),
            Arg.Any<IdempotencyKey?>(),
            Arg.Any<CancellationToken>());
    }

    [Theory]
    [InlineData("\"https://evil.example.net/postgate\"")]
    [InlineData("\"https://10.0.0.1/postgate\"")]
    [InlineData("\"http://hooks.example.com/postgate\"")]
    [InlineData("\"\"")]
    [InlineData("42")]
    public async Task CheckEndpoint_RefusedCallback_Returns400AtCallbackUrl(string callbackJson)
    {
        using var client = Client();

        var response = await client.Http.CheckAsync(CheckBody(callbackJson));

        await response.AssertInvalidAsync("/callbackUrl");
        await _app.Log.DidNotReceiveWithAnyArgs().AppendAsync(default!, default!, default, default);
    }

    [Fact]
    public async Task CheckEndpoint_NoAllowedHostsConfigured_RefusesEveryCallback()
    {
        var response = await _app.CreateClient().CheckAsync(CheckBody("\"https://hooks.example.com/postgate\""));

        await response.AssertInvalidAsync("/callbackUrl");
    }

    [Fact]
    public async Task CheckEndpoint_NoCallback_DecisionHasNone()
    {
        var response = await _app.CreateClient().CheckAsync(TestHttp.ExamplePost);

        Assert.Null((await response.ReadDecisionAsync()).CallbackUrl);
        Assert.DoesNotContain("callbackUrl", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>A derived app and its client, disposed together.</summary>
    private sealed class WebApplicationFactoryClient(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory) : IDisposable
    {
        public HttpClient Http { get; } = factory.CreateClient();

        public void Dispose()
        {
            Http.Dispose();
            factory.Dispose();
        }
    }
}
