namespace PostGate.Rules.Policy;

/// <summary>One problem in a policy file: where (a JSON path) and why.</summary>
public sealed record PolicyError(string Path, string Reason)
{
    public override string ToString() => $"{Path}: {Reason}";
}

/// <summary>A policy that cannot be used; carries every problem found.</summary>
public sealed class PolicyException : Exception
{
    public PolicyException()
        : this([])
    {
    }

    public PolicyException(string message)
        : this([new PolicyError("$", message)])
    {
    }

    public PolicyException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [new PolicyError("$", message)];
    }

    public PolicyException(IReadOnlyList<PolicyError> errors)
        : base(FormatMessage(errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<PolicyError> Errors { get; }

    private static string FormatMessage(IReadOnlyList<PolicyError> errors) =>
        errors.Count == 0
            ? "The policy is invalid."
            : "The policy is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e));
}
