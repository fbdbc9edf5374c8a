using Microsoft.Extensions.Options;

namespace PostGate.Functions.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// Webhook settings (validated at start-up), the sender with its SSRF-guarded handler (or the one a
    /// <see cref="WebhookHandlerFactory"/> registration supplies), the wake-up signal and the dispatcher.
    /// </summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton(sp => new WebhookSender(
            sp.GetService<WebhookHandlerFactory>()?.Invoke() ?? WebhookHttp.CreateHandler(sp.GetRequiredService<IOptions<WebhookOptions>>().Value),
            sp.GetRequiredService<IOptions<WebhookOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<WebhookSender>>()));
        services.AddHostedService<WebhookDispatcher>();
        return services;
    }
}
