using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using PostGate.Functions.Auth;

namespace PostGate.Functions.OpenApi;

/// <summary>The document's title, description and security schemes.</summary>
internal sealed class GateDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string ApiKeyScheme = "ApiKey";
    public const string AppServiceScheme = "AppServiceAuthentication";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Info = new OpenApiInfo
        {
            Title = "PostGate",
            Version = "v1",
            Description =
                "A content-policy gate for outgoing social posts: POST a draft to /api/posts/check and get a verdict "
                + "(allow, coach, review, block) with coaching; every decision is logged for compliance. Errors are RFC 9457 "
                + "problem details with a stable type (urn:postgate:problem:…). Roles: 'marketer' checks posts and reads the "
                + "decisions of their own accounts; 'compliance' reads every account's decisions. In Azure the Functions host "
                + "also wants a function key (x-functions-key header or code query parameter) on every route but health and openapi.json.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = GateAuthenticationHandler.ApiKeyHeader,
            Description = "A per-caller API key from PostGate:Auth:Keys. 'Authorization: ApiKey <key>' works too.",
        };
        document.Components.SecuritySchemes[AppServiceScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description =
                "In Azure: a Microsoft Entra ID token that App Service authentication validates; the app reads the caller from the "
                + $"{AppServicePrincipal.Header} header it sets (app roles 'marketer'/'compliance', a marketer's accounts in the "
                + $"'{AccountScope.ClaimType}' claim). Only when PostGate:Auth:TrustAppServicePrincipal is true.",
        };
        return Task.CompletedTask;
    }
}
