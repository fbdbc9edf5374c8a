using System.Text.RegularExpressions;

namespace PostGate.Rules.Engine;

/// <summary>The stable, documented identity of a rule.</summary>
public sealed partial record RuleDescriptor
{
    private RuleDescriptor(string id, string name, string title, string message, string coaching, string action, string why, Severity defaultSeverity)
    {
        Id = id;
        Name = name;
        Title = title;
        Message = message;
        Coaching = coaching;
        Action = action;
        Why = why;
        DefaultSeverity = defaultSeverity;
    }

    /// <summary>PG1xx links, PG2xx sales tone, PG3xx cadence, PG4xx channel fit.</summary>
    public string Id { get; }

    /// <summary>Kebab-case family/rule name, the key of the rule's options in a policy.</summary>
    public string Name { get; }

    public string Title { get; }

    /// <summary>Default message template; placeholders such as <c>{quoted}</c> are filled per finding.</summary>
    public string Message { get; }

    /// <summary>Default coaching template: what to do instead.</summary>
    public string Coaching { get; }

    /// <summary>Imperative for the verdict summary, e.g. "Keep one link".</summary>
    public string Action { get; }

    /// <summary>Why the behaviour costs the brand, for docs and help.</summary>
    public string Why { get; }

    public Severity DefaultSeverity { get; }

    public string HelpUri => $"docs/rules/{Id}.md";

    public static RuleDescriptor Create(string id, string name, string title, string message, string coaching, string action, string why, Severity defaultSeverity)
    {
        if (!IdPattern().IsMatch(id))
        {
            throw new ArgumentException($"Rule id '{id}' must look like PG101.", nameof(id));
        }

        if (!NamePattern().IsMatch(name))
        {
            throw new ArgumentException($"Rule name '{name}' must be kebab-case family/rule.", nameof(name));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        ArgumentException.ThrowIfNullOrWhiteSpace(coaching);
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        ArgumentException.ThrowIfNullOrWhiteSpace(why);
        if (defaultSeverity == Severity.Off)
        {
            throw new ArgumentException("A shipped rule is on by default.", nameof(defaultSeverity));
        }

        return new RuleDescriptor(id, name, title, message, coaching, action, why, defaultSeverity);
    }

    [GeneratedRegex("^PG[1-4][0-9]{2}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-z]+(-[a-z]+)*/[a-z]+(-[a-z]+)*$")]
    private static partial Regex NamePattern();
}
