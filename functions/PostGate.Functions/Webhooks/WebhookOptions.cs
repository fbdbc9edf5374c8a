using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace PostGate.Functions.Webhooks;

/// <summary>Configuration section <c>PostGate:Webhooks</c> (environment: <c>PostGate__Webhooks__…</c>).</summary>
public sealed class WebhookOptions
{
    public const string Section = "PostGate:Webhooks";

    /// <summary>
    /// Hosts a <c>callbackUrl</c> may point at: an exact host (<c>hooks.example.com</c>) or every subdomain of one
    /// (<c>*.example.com</c>, which does not admit <c>example.com</c> itself). Empty (the default): no callback is accepted.
    /// </summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>The HMAC-SHA256 key deliveries are signed with. Not set (the default): no webhook is queued or sent.</summary>
    public string? Secret { get; set; }

    /// <summary>Attempts per delivery in all, the first included. Default 6.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>First retry delay; later ones grow exponentially with jitter. Default 2 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest delay between two attempts. Default 1 min.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest one attempt may take, connecting included. Default 10 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the outbox is read when nothing signals new work. Default 30 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a claimed delivery stays with the instance that claimed it. Default 10 min.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(10);

    public bool Enabled => !string.IsNullOrEmpty(Secret);
}

/// <summary>Checks <see cref="WebhookOptions"/> at start-up and reports every problem at once, each with its setting path.</summary>
public sealed partial class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public const int MaxAttemptsLimit = 20;

    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        for (var i = 0; i < options.AllowedHosts.Count; i++)
        {
            var host = options.AllowedHosts[i];
            if (host is null || !HostPattern().IsMatch(host))
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{WebhookOptions.Section}:AllowedHosts:{i}: must be a host name such as 'hooks.example.com' or '*.example.com' (was '{host}')."));
            }
        }

        if (options.MaxAttempts is < 1 or > MaxAttemptsLimit)
        {
            errors.Add($"{WebhookOptions.Section}:MaxAttempts: must be from 1 to {MaxAttemptsLimit} (was {options.MaxAttempts}).");
        }

        if (options.RetryDelay <= TimeSpan.Zero || options.RetryDelay > options.MaxRetryDelay)
        {
            errors.Add($"{WebhookOptions.Section}:RetryDelay: must be positive and at most MaxRetryDelay ({options.MaxRetryDelay}).");
        }

        if (options.AttemptTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{WebhookOptions.Section}:AttemptTimeout: must be positive.");
        }

        if (options.PollInterval <= TimeSpan.Zero)
        {
            errors.Add($"{WebhookOptions.Section}:PollInterval: must be positive.");
        }

        // NOTE: a lease shorter than a whole round of attempts would let a second instance deliver the same review.
        var round = (options.AttemptTimeout + options.MaxRetryDelay) * Math.Max(options.MaxAttempts, 1);
        if (options.Lease <= round)
        {
            errors.Add($"{WebhookOptions.Section}:Lease: must be longer than a whole round of attempts, MaxAttempts × (AttemptTimeout + MaxRetryDelay) = {round}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex(@"^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$")]
    private static partial Regex HostPattern();
}
