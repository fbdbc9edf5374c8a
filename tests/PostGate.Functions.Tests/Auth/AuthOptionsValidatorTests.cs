using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using PostGate.Functions.Auth;
using Xunit;

namespace PostGate.Functions.Tests.Auth;

public sealed class AuthOptionsValidatorTests
{
    private const string Hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private const string OtherHash = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";

    /// <summary>Settings under PostGate:Auth as "path=value" lines, and the paths of the errors expected.</summary>
    public static TheoryData<string[], string[]> Invalid => new()
    {
        { ["Mode=closed"], ["Mode"] },
        { ["Keys:0:role=marketer", $"Keys:0:sha256={Hash}", "Keys:0:accounts:0=acme"], ["Keys:0:name"] },
        { ["Keys:0:name=a", "Keys:0:role=admin", $"Keys:0:sha256={Hash}"], ["Keys:0:role"] },
        { ["Keys:0:name=a", "Keys:0:sha256=" + Hash, "Keys:0:accounts:0=acme"], ["Keys:0:role"] },
        { ["Keys:0:name=a", "Keys:0:role=compliance"], ["Keys:0:sha256"] },
        // The key itself pasted where its hash belongs.
        { ["Keys:0:name=a", "Keys:0:role=compliance", "Keys:0:sha256=pgk_live_0123456789"], ["Keys:0:sha256"] },
        { ["Keys:0:name=a", "Keys:0:role=compliance", "Keys:0:sha256=" + Hash[..63] + "g"], ["Keys:0:sha256"] },
        { ["Keys:0:name=a", "Keys:0:role=compliance", "Keys:0:sha256=" + Hash + "00"], ["Keys:0:sha256"] },
        { ["Keys:0:name=a", "Keys:0:role=marketer", "Keys:0:sha256=" + Hash], ["Keys:0:accounts"] },
        { ["Keys:0:name=a", "Keys:0:role=compliance", "Keys:0:sha256=" + Hash, "Keys:0:accounts:0=acme"], ["Keys:0:accounts"] },
        { ["Keys:0:name=a", "Keys:0:role=marketer", "Keys:0:sha256=" + Hash, "Keys:0:accounts:0=acme", "Keys:0:accounts:1="], ["Keys:0:accounts:1"] },
        // Names and keys are unique; the same hash in another case is the same key.
        {
            ["Keys:0:name=a", "Keys:0:role=compliance", "Keys:0:sha256=" + Hash, "Keys:1:name=a", "Keys:1:role=compliance", "Keys:1:sha256=" + OtherHash],
            ["Keys:1:name"]
        },
        {
            ["Keys:0:name=a", "Keys:0:role=compliance", "Keys:0:sha256=" + Hash, "Keys:1:name=b", "Keys:1:role=compliance", "Keys:1:sha256=" + Hash.ToUpperInvariant()],
            ["Keys:1:sha256"]
        },
        // Every problem at once.
        { ["Mode=off", "Keys:0:name=a", "Keys:0:role=boss"], ["Mode", "Keys:0:role", "Keys:0:sha256"] },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_Invalid_NamesEverySetting(string[] settings, string[] paths)
    {
        var result = new AuthOptionsValidator().Validate(null, Bind(settings));

        Assert.True(result.Failed);
        Assert.Equal(
            paths.Select(p => $"{AuthOptions.Section}:{p}").Order(StringComparer.Ordinal),
            result.Failures!.Select(f => f[..f.IndexOf(": ", StringComparison.Ordinal)]).Order(StringComparer.Ordinal));
    }

    public static TheoryData<string[]> Valid => new()
    {
        Array.Empty<string>(),
        new[] { "Mode=open" },
        new[] { "Mode=enforce", "TrustAppServicePrincipal=true" },
        new[] { "Keys:0:name=a", "Keys:0:role=marketer", "Keys:0:sha256=" + Hash, "Keys:0:accounts:0=*" },
        new[] { "Keys:0:name=a", "Keys:0:role=compliance", "Keys:0:sha256=" + Hash.ToUpperInvariant() },
        new[]
        {
            "Keys:0:name=a", "Keys:0:role=marketer", "Keys:0:sha256=" + Hash, "Keys:0:accounts:0=acme", "Keys:0:accounts:1=a/b #?",
            "Keys:1:name=b", "Keys:1:role=compliance", "Keys:1:sha256=" + OtherHash,
        },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Validate_Valid_Succeeds(string[] settings)
    {
        Assert.True(new AuthOptionsValidator().Validate(null, Bind(settings)).Succeeded);
    }

    [Fact]
    public void Bind_KeysFromConfiguration_FindTheirCallers()
    {
        var options = Bind([.. Callers.Keys().Select(s => $"{s.Key[(AuthOptions.Section.Length + 1)..]}={s.Value}")]);
        var credentials = Credentials.Create(options, new HostingEnvironment { EnvironmentName = "Production" }, NullLogger.Instance);

        var acme = credentials.Find(Callers.AcmeMarketerKey);
        Assert.NotNull(acme);
        Assert.Equal(("acme-scheduler", Roles.Marketer), (acme.Name, acme.Role));
        Assert.Equal(["acme", "acme-eu"], acme.Accounts);
        Assert.Equal(Roles.Compliance, credentials.Find(Callers.ComplianceKey)?.Role);
        Assert.Null(credentials.Find(Callers.ComplianceKey + "x"));
        Assert.Null(credentials.Find(Callers.Sha256(Callers.ComplianceKey)));
        Assert.Null(credentials.Find(string.Empty));
        Assert.False(credentials.Open);
        Assert.False(credentials.TrustAppServicePrincipal);
    }

    private static AuthOptions Bind(string[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(
                $"{AuthOptions.Section}:{s[..s.IndexOf('=', StringComparison.Ordinal)]}", s[(s.IndexOf('=', StringComparison.Ordinal) + 1)..])))
            .Build();
        var options = new AuthOptions();
        configuration.GetSection(AuthOptions.Section).Bind(options);
        return options;
    }
}
