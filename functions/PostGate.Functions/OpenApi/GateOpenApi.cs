using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace PostGate.Functions.OpenApi;

/// <summary>The API description at <c>/api/openapi.json</c>, built by Microsoft.AspNetCore.OpenApi from the endpoints' metadata.</summary>
public static class GateOpenApi
{
    public const string Route = "/api/openapi.json";
    public const string EndpointName = "OpenApi";

    public static IServiceCollection AddGateOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<GateDocumentTransformer>();
            options.AddOperationTransformer<GateOperationTransformer>();
            options.AddOperationTransformer<CheckExamples>();
            options.AddOperationTransformer<DecisionQueryParameters>();
            options.AddSchemaTransformer<WireValuesSchemaTransformer>();
        });

    /// <summary>Serves the document anonymously: it says what the API is, nothing about its data.</summary>
    public static IEndpointConventionBuilder MapGateOpenApi(this IEndpointRouteBuilder app) =>
        app.MapOpenApi(Route).WithName(EndpointName).AllowAnonymous();

    /// <summary>
    /// Documents the 401 and 403 problems of every endpoint that requires authorization, from the same metadata the
    /// authorization middleware reads, so the description cannot miss a protected route.
    /// </summary>
    public static TBuilder ProducesAccessProblems<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        // NOTE: Finally runs after each endpoint's own conventions, so it sees their RequireAuthorization/AllowAnonymous.
        builder.Finally(endpoint =>
        {
            if (endpoint.Metadata.OfType<IAllowAnonymous>().Any() || !endpoint.Metadata.OfType<IAuthorizeData>().Any())
            {
                return;
            }

            endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(ProblemDetails), ["application/problem+json"]));
            endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status403Forbidden, typeof(ProblemDetails), ["application/problem+json"]));
        });
        return builder;
    }
}
