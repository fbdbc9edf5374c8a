using Microsoft.AspNetCore.Http.HttpResults;
using PostGate.Functions.Auth;
using PostGate.Functions.Contracts;
using PostGate.Rules.Engine;

namespace PostGate.Functions.Endpoints;

/// <summary><c>GET /api/policy</c> (the active policy) and <c>GET /api/health</c>.</summary>
public static class PolicyEndpoints
{
    public static RouteGroupBuilder MapPolicyEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/policy", GetPolicy)
            .WithName("GetPolicy")
            .RequireAuthorization(AccessPolicies.AnyRole)
            .WithSummary("The active content policy: name, version (SHA-256 of its canonical JSON), rules and severities.");
        api.MapGet("/health", GetHealth)
            .WithName("Health")
            .AllowAnonymous()
            .WithSummary("Liveness and the active policy version.");
        return api;
    }

    public static Ok<PolicyResponse> GetPolicy(PolicyHolder policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var active = policy.Policy;
        return TypedResults.Ok(new PolicyResponse(
            active.Name,
            active.Version,
            [.. active.Rules.Select(r => new PolicyRuleResponse(
                r.Rule.Descriptor.Id,
                r.Rule.Descriptor.Name,
                r.Rule.Descriptor.Title,
                r.Severity.ToWire(),
                r.Rule.Descriptor.HelpUri))]));
    }

    public static Ok<HealthResponse> GetHealth(PolicyHolder policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return TypedResults.Ok(new HealthResponse("ok", policy.Policy.Version));
    }
}
