using PostGate.Functions.Webhooks;
using Xunit;

namespace PostGate.Functions.Tests.Webhooks;

public sealed class WebhookOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new WebhookOptionsValidator().Validate(null, new WebhookOptions()).Succeeded);
    }

    [Theory]
    [InlineData("hooks.example.com")]
    [InlineData("*.example.com")]
    [InlineData("HOOKS.example.com.")]
    [InlineData("xn--bcher-kva.example")]
    public void Validate_HostPattern_IsAccepted(string host)
    {
        var options = new WebhookOptions { AllowedHosts = { host } };

        Assert.True(new WebhookOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    // A lone wildcard would allow every host.
    [InlineData("*")]
    [InlineData("*.")]
    [InlineData("https://hooks.example.com")]
    [InlineData("hooks.example.com/path")]
    [InlineData("hooks.example.com:443")]
    [InlineData("a.*.example.com")]
    [InlineData("")]
    [InlineData(" ")]
    public void Validate_BadHostPattern_NamesTheSetting(string host)
    {
        var options = new WebhookOptions { AllowedHosts = { "ok.example.com", host } };

        var result = new WebhookOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.StartsWith("PostGate:Webhooks:AllowedHosts:1:", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EveryProblem_IsReportedAtOnce()
    {
        var options = new WebhookOptions
        {
            MaxAttempts = 0,
            RetryDelay = TimeSpan.Zero,
            AttemptTimeout = TimeSpan.Zero,
            PollInterval = TimeSpan.Zero,
            Lease = TimeSpan.FromSeconds(1),
        };

        var result = new WebhookOptionsValidator().Validate(null, options);

        Assert.Equal(
            ["MaxAttempts", "RetryDelay", "AttemptTimeout", "PollInterval", "Lease"],
            result.Failures!.Select(f => f.Split(':')[2]));
    }
}
