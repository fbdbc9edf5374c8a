using Microsoft.AspNetCore.Authorization;

namespace PostGate.Functions.Auth;

/// <summary>
/// The authorization policies endpoints declare with <c>.RequireAuthorization(…)</c>. Which accounts a marketer may
/// touch is checked by the handlers with <see cref="AccountScope"/>, since the account is in the body or the path.
/// </summary>
public static class AccessPolicies
{
    /// <summary><c>POST /api/posts/check</c>: marketers (for their own accounts).</summary>
    public const string CheckPosts = "check-posts";

    /// <summary>Reading decisions: compliance, or a marketer for their own accounts.</summary>
    public const string ReadDecisions = "read-decisions";

    /// <summary>Compliance only: reviews, chain verification, exports.</summary>
    public const string Compliance = "compliance-only";

    /// <summary>Any caller with a role.</summary>
    public const string AnyRole = "any-role";

    /// <summary>The roles each policy admits, for the API description.</summary>
    public static IReadOnlyDictionary<string, string[]> RolesOf { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [CheckPosts] = [Roles.Marketer],
        [ReadDecisions] = [Roles.Marketer, Roles.Compliance],
        [Compliance] = [Roles.Compliance],
        [AnyRole] = [Roles.Marketer, Roles.Compliance],
    };

    public static AuthorizationBuilder AddAccessPolicies(this AuthorizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var (name, roles) in RolesOf)
        {
            builder.AddPolicy(name, policy => policy.RequireRole(roles));
        }

        return builder;
    }
}
