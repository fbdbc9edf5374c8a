using PostGate.Rules.Policy;

namespace PostGate.Functions;

/// <summary>The active policy, loaded and validated once at start-up; the app refuses to start on an invalid one.</summary>
public sealed class PolicyHolder
{
    public const string PathKey = "PostGate:PolicyPath";

    public PolicyHolder(Policy policy) => Policy = policy;

    public Policy Policy { get; }

    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "policies", "default.json");

    public static PolicyHolder Load(IConfiguration configuration, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var path = configuration[PathKey] is { Length: > 0 } configured ? configured : DefaultPath;
        var policy = PolicyLoader.LoadFile(path);
        Log.PolicyLoaded(logger, policy.Name, policy.Version);
        return new PolicyHolder(policy);
    }
}
