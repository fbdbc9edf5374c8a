namespace PostGate.Functions.Storage;

/// <summary>Configuration section <c>PostGate:Storage</c> (environment: <c>PostGate__Storage__…</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "PostGate:Storage";

    /// <summary>Table Storage connection string. Default: Azurite on this machine.</summary>
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>Endpoint of the table service when a managed identity is used instead of a connection string.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>The decisions table. Default <c>PostGateDecisions</c>.</summary>
    public string TableName { get; set; } = "PostGateDecisions";

    /// <summary>Longest a storage call may take in all, retries included. Default 10 s.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest one attempt may take. Default 3 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Retries after the first attempt, on transient failures only. Default 3.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; later ones grow exponentially with jitter. Default 200 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long the circuit stays open after storage keeps failing. Default 5 s.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a preview may use the account timeline this instance already holds before it confirms the chain head
    /// again (one point read). A logged check never relies on it: its transaction is refused if the head moved.
    /// Default 2 s.
    /// </summary>
    public TimeSpan TimelineFreshness { get; set; } = TimeSpan.FromSeconds(2);
}
