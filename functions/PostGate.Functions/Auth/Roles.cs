namespace PostGate.Functions.Auth;

/// <summary>The API's roles, as they appear in configuration and in App Service principal claims.</summary>
public static class Roles
{
    /// <summary>Checks posts and reads the decisions of their own accounts.</summary>
    public const string Marketer = "marketer";

    /// <summary>Reads every account's decisions, reviews them, verifies chains and exports.</summary>
    public const string Compliance = "compliance";

    public static IReadOnlyList<string> All { get; } = [Marketer, Compliance];

    public static bool IsKnown(string? role) => role is Marketer or Compliance;
}
