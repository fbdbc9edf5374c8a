using System.Net;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using PostGate.Functions.Auth;
using PostGate.Functions.Problems;
using Xunit;

namespace PostGate.Functions.Tests.Auth;

/// <summary>When the gate is open (no identity checked) and when it must refuse callers.</summary>
public sealed class CredentialsTests
{
    public static TheoryData<string, string?, bool, bool, bool> OpenCases => new()
    {
        // Environment, Mode, keys configured, principal trusted → open.
        { "Development", null, false, false, true },
        { "Development", "auto", false, false, true },
        { "Development", "open", false, false, true },
        { "Production", "open", false, false, true },
        { "Staging", "open", false, false, true },
        // The production default: nothing configured is closed, never open.
        { "Production", null, false, false, false },
        { "Production", "auto", false, false, false },
        { "Staging", null, false, false, false },
        { "Development", "enforce", false, false, false },
        // Anything configured is enforced, whatever the mode.
        { "Development", null, true, false, false },
        { "Development", "open", true, false, false },
        { "Production", "open", false, true, false },
        { "Development", null, false, true, false },
    };

    [Theory]
    [MemberData(nameof(OpenCases))]
    public void Create_IsOpenOnlyWhenAskedAndNothingIsConfigured(string environment, string? mode, bool keys, bool trust, bool open)
    {
        var options = new AuthOptions { Mode = mode, TrustAppServicePrincipal = trust };
        if (keys)
        {
            var key = new ApiKeyOptions { Name = "a", Role = Roles.Compliance, Sha256 = Callers.Sha256(Callers.ComplianceKey) };
            options.Keys.Add(key);
        }

        var credentials = Credentials.Create(options, new HostingEnvironment { EnvironmentName = environment }, NullLogger.Instance);

        Assert.Equal(open, credentials.Open);
    }

    [Theory]
    [InlineData("Development", null)]
    [InlineData("Production", "open")]
    public async Task Open_AdmitsAnonymousCallersAndWarnsAtStartUp(string environment, string? mode)
    {
        using var app = GateApp.WithAuth(
            new Dictionary<string, string?> { [AuthOptions.Section + ":Mode"] = mode ?? string.Empty }, environment);
        var client = app.CreateClient();

        await (await client.CheckAsync(TestHttp.ExamplePost)).ReadDecisionAsync();
        await TestHttp.AssertStatusAsync(await client.GetAsync("/api/decisions/acme/verify"), HttpStatusCode.OK);
        Assert.Contains(app.LogLines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("[4001]", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Production", null)]
    [InlineData("Production", "auto")]
    [InlineData("Development", "enforce")]
    public async Task NothingConfigured_RefusesEveryCallerButHealth(string environment, string? mode)
    {
        using var app = GateApp.WithAuth(
            new Dictionary<string, string?> { [AuthOptions.Section + ":Mode"] = mode ?? string.Empty }, environment);

        foreach (var caller in new[] { Callers.Anonymous, Callers.Compliance, Callers.ForgedPrincipal })
        {
            var client = app.CreateClient(caller);
            await (await client.CheckAsync(TestHttp.ExamplePost)).AssertProblemAsync(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
            await (await client.GetAsync("/api/policy")).AssertProblemAsync(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
            await TestHttp.AssertStatusAsync(await client.GetAsync("/api/health"), HttpStatusCode.OK);
        }

        Assert.Contains(app.LogLines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("[4003]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenModeWithKeys_EnforcesTheKeys()
    {
        var settings = Callers.Keys();
        settings[AuthOptions.Section + ":Mode"] = "open";
        using var app = GateApp.WithAuth(settings, "Development");

        await (await app.CreateClient().GetAsync("/api/policy")).AssertProblemAsync(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        await TestHttp.AssertStatusAsync(await app.CreateClient(Callers.Compliance).GetAsync("/api/policy"), HttpStatusCode.OK);
        Assert.Contains(app.LogLines, l => l.Contains("[4002]", StringComparison.Ordinal));
        Assert.DoesNotContain(app.LogLines, l => l.Contains("[4001]", StringComparison.Ordinal));
    }

    [Fact]
    public void InvalidSettings_StopTheAppFromStarting()
    {
        using var app = GateApp.WithAuth(new Dictionary<string, string?>
        {
            [AuthOptions.Section + ":Keys:0:name"] = "pasted",
            [AuthOptions.Section + ":Keys:0:role"] = Roles.Compliance,
            [AuthOptions.Section + ":Keys:0:sha256"] = Callers.ComplianceKey,
        });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        // NOTE: the key pasted where its hash belongs must not be echoed.
        Assert.DoesNotContain(Callers.ComplianceKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Find_OnOneThread_AnswersEachKeyPresentedInTurn()
    {
        // NOTE: keys of one length that differ in one character, so the key a thread found last is never taken for
        // its neighbour; then a second set of credentials on the same thread, which must not answer from the first.
        const string First = "pgk_000000000000000000000000000000000000000000000001";
        const string Second = "pgk_000000000000000000000000000000000000000000000002";
        const string Unknown = "pgk_000000000000000000000000000000000000000000000003";
        var credentials = Make(("first", First), ("second", Second));
        var others = Make(("other", Second));

        foreach (var (presented, expected) in new[] { (First, "first"), (First, "first"), (Second, "second"), (Unknown, null), (First, "first"), ("pgk_0", null), (Second, "second") })
        {
            Assert.Equal(expected, credentials.Find(presented)?.Name);
        }

        Assert.Null(others.Find(First));
        Assert.Equal("other", others.Find(Second)?.Name);
        Assert.Equal("second", credentials.Find(Second)?.Name);
        Assert.Equal("first", credentials.Find(First)?.Name);
        Assert.Null(others.Find(First));
    }

    private static Credentials Make(params (string Name, string Key)[] keys)
    {
        var options = new AuthOptions();
        foreach (var (name, key) in keys)
        {
            options.Keys.Add(new ApiKeyOptions { Name = name, Role = Roles.Marketer, Sha256 = Callers.Sha256(key), Accounts = { "*" } });
        }

        return Credentials.Create(options, new HostingEnvironment { EnvironmentName = "Production" }, NullLogger.Instance);
    }
}
