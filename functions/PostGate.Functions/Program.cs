using System.Globalization;
using Microsoft.Extensions.Options;
using PostGate.Functions;
using PostGate.Functions.Auth;
using PostGate.Functions.Contracts;
using PostGate.Functions.Endpoints;
using PostGate.Functions.OpenApi;
using PostGate.Functions.Storage;
using PostGate.Functions.Webhooks;
using PostGate.Rules.Policy;

var builder = WebApplication.CreateBuilder(args);

// NOTE: Azure Functions starts a custom handler with FUNCTIONS_CUSTOMHANDLER_PORT and forwards /api/... to it.
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
{
    var port = int.TryParse(Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 7071;
    builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(port));
}

builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = PostGate.Functions.Problems.Problems.Customize);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddGateAuth(builder.Configuration);
builder.Services.AddGateOpenApi();
builder.Services.Configure<StorageOptions>(builder.Configuration.GetSection(StorageOptions.Section));
builder.Services.AddSingleton(sp => PolicyHolder.Load(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<ILogger<PolicyHolder>>()));
builder.Services.AddSingleton(sp => TableDecisionLog.CreateClient(sp.GetRequiredService<IOptions<StorageOptions>>(), sp.GetService<HttpPipelineTransportFactory>()));
builder.Services.AddSingleton(sp => new TableDecisionLog(
    sp.GetRequiredService<Azure.Data.Tables.TableClient>(),
    StoragePipeline.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TableDecisionLog>>()),
    sp.GetRequiredService<ILogger<TableDecisionLog>>(),
    sp.GetRequiredService<TimeProvider>(),
    sp.GetRequiredService<IOptions<StorageOptions>>().Value));
builder.Services.AddSingleton<IDecisionLog>(sp => sp.GetRequiredService<TableDecisionLog>());
builder.Services.AddSingleton<IReviewLog>(sp => sp.GetRequiredService<TableDecisionLog>());
builder.Services.AddSingleton<IWebhookOutbox>(sp => sp.GetRequiredService<TableDecisionLog>());
builder.Services.AddSingleton<IDecisionStats>(sp => sp.GetRequiredService<TableDecisionLog>());
builder.Services.AddWebhooks(builder.Configuration);

var app = builder.Build();

// NOTE: resolving the policy and the credentials here makes the app refuse to start on an invalid policy file or
// auth settings, and logs at start-up whether authentication is on.
try
{
    app.Services.GetRequiredService<PolicyHolder>();
    app.Services.GetRequiredService<Credentials>();
    _ = app.Services.GetRequiredService<IOptions<WebhookOptions>>().Value;
}
catch (PolicyException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, ex.Failures));
    return 2;
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

var api = app.MapGroup("/api").ProducesAccessProblems();
api.MapCheckEndpoints();
api.MapDecisionEndpoints();
api.MapReviewEndpoints();
api.MapPolicyEndpoints();
api.MapDashboardEndpoints();
api.MapConsoleEndpoints();
app.MapConsoleRedirect();
app.MapGateOpenApi();

await app.RunAsync();
return 0;

/// <summary>The app's entry point, public for WebApplicationFactory.</summary>
public partial class Program;
