using System.Security.Claims;

namespace PostGate.Functions.Auth;

/// <summary>Which accounts a caller may act for. Compliance reads every account; a marketer only their own.</summary>
public static class AccountScope
{
    /// <summary>
    /// The claim listing a marketer's accounts: one account per claim once authenticated. An App Service principal
    /// carries it comma-separated, as <c>postgate_accounts</c>.
    /// </summary>
    public const string ClaimType = "postgate_accounts";

    /// <summary>The account entry that stands for every account.</summary>
    public const string Everything = "*";

    /// <summary>A marketer may check posts for the accounts they hold.</summary>
    public static bool MayCheck(ClaimsPrincipal user, string accountId)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(Roles.Marketer) && Holds(user, accountId);
    }

    /// <summary>
    /// Compliance may read any account's decisions; a marketer those of the accounts they hold. A read that names no
    /// account (<paramref name="accountId"/> null or empty) spans accounts, so it is for compliance only.
    /// </summary>
    public static bool MayRead(ClaimsPrincipal user, string? accountId)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(Roles.Compliance)
            || (!string.IsNullOrEmpty(accountId) && user.IsInRole(Roles.Marketer) && Holds(user, accountId));
    }

    private static bool Holds(ClaimsPrincipal user, string accountId) =>
        user.FindAll(ClaimType).Any(c => c.Value == Everything || string.Equals(c.Value, accountId, StringComparison.Ordinal));
}
