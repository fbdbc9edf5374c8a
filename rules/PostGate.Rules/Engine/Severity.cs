namespace PostGate.Rules.Engine;

/// <summary>How much a finding weighs. The verdict is the most severe finding's severity.</summary>
public enum Severity
{
    /// <summary>The rule is switched off.</summary>
    Off = 0,

    /// <summary>Advice only; the post may be published.</summary>
    Coach = 1,

    /// <summary>Hold the post for a compliance decision.</summary>
    Review = 2,

    /// <summary>The post must change before it can pass.</summary>
    Block = 3,
}

/// <summary>How a rule's findings count.</summary>
public enum RuleMode
{
    /// <summary>Findings set the verdict.</summary>
    Enforce = 0,

    /// <summary>Findings are shown but leave the verdict alone.</summary>
    Warn = 1,

    /// <summary>Findings are logged only: not shown, verdict untouched.</summary>
    Shadow = 2,
}

/// <summary>The gate's answer for one draft.</summary>
public enum Verdict
{
    Allow = 0,
    Coach = 1,
    Review = 2,
    Block = 3,
}

public static class SeverityNames
{
    public static string ToWire(this Severity severity) => severity switch
    {
        Severity.Off => "off",
        Severity.Coach => "coach",
        Severity.Review => "review",
        Severity.Block => "block",
        _ => throw new ArgumentOutOfRangeException(nameof(severity)),
    };

    public static string ToWire(this Verdict verdict) => verdict switch
    {
        Verdict.Allow => "allow",
        Verdict.Coach => "coach",
        Verdict.Review => "review",
        Verdict.Block => "block",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };

    public static string ToWire(this RuleMode mode) => mode switch
    {
        RuleMode.Enforce => "enforce",
        RuleMode.Warn => "warn",
        RuleMode.Shadow => "shadow",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    public static bool TryParseVerdict(string? value, out Verdict verdict)
    {
        switch (value)
        {
            case "allow": verdict = Verdict.Allow; return true;
            case "coach": verdict = Verdict.Coach; return true;
            case "review": verdict = Verdict.Review; return true;
            case "block": verdict = Verdict.Block; return true;
            default: verdict = default; return false;
        }
    }
}
