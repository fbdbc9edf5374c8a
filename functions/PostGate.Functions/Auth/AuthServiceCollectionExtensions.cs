using Microsoft.Extensions.Options;

namespace PostGate.Functions.Auth;

public static class AuthServiceCollectionExtensions
{
    /// <summary>The gate's authentication scheme, its settings (validated at start-up) and the access policies.</summary>
    public static IServiceCollection AddGateAuth(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton(sp => Credentials.Create(
            sp.GetRequiredService<IOptions<AuthOptions>>(), sp.GetRequiredService<IHostEnvironment>(), sp.GetRequiredService<ILogger<Credentials>>()));

        // NOTE: AddAuthentication would also bring in Data Protection, which writes a key ring at start-up; no scheme
        // here needs it, so only the core services are added.
        services.AddAuthenticationCore(options =>
        {
            options.AddScheme<GateAuthenticationHandler>(GateAuthenticationHandler.SchemeName, displayName: null);
            options.DefaultScheme = GateAuthenticationHandler.SchemeName;
        });
        services.AddTransient<GateAuthenticationHandler>();
        services.AddAuthorizationBuilder().AddAccessPolicies();
        return services;
    }
}
