using PostGate.Rules.Policy;
using PostGate.Rules.Rules.Cadence;

namespace PostGate.Rules.Engine;

/// <summary>
/// The rules of a scope bound to their options, in the order of the scope's list: each is run with one virtual call,
/// without an interface call or a cast of its options.
/// </summary>
internal sealed class RulePlan
{
    public RulePlan(IReadOnlyList<ConfiguredRule> rules)
    {
        Rules = rules;
        var bound = new BoundRule[rules.Count];
        for (var r = 0; r < bound.Length; r++)
        {
            var configured = rules[r];
            bound[r] = configured.Rule is IBindableRule bindable && bindable.Bind(configured.Options) is { } typed
                ? typed
                : new InterfaceBoundRule(configured.Rule, configured.Options);
            if (Promotional is null && configured.Options is PromotionalShareOptions promotional)
            {
                Promotional = promotional;
            }
        }

        Bound = bound;
    }

    /// <summary>The list the plan was made from.</summary>
    public IReadOnlyList<ConfiguredRule> Rules { get; }

    public BoundRule[] Bound { get; }

    /// <summary>The options of the first rule with <see cref="PromotionalShareOptions"/>, or null.</summary>
    public PromotionalShareOptions? Promotional { get; }
}

/// <summary>A rule that can bind itself to options of its own type.</summary>
internal interface IBindableRule
{
    /// <summary>The rule bound to <paramref name="options"/>, or null when they are not of the rule's type.</summary>
    BoundRule? Bind(RuleOptions options);
}

/// <summary>A rule and its options.</summary>
internal abstract class BoundRule
{
    /// <summary>Runs the rule unless the severity the options give it (see <see cref="ConfiguredRule.Severity"/>) is off.</summary>
    public abstract void Evaluate(PostContext post, FindingSink sink);
}

/// <summary>A rule with typed options.</summary>
internal sealed class BoundRule<TOptions>(Rule<TOptions> rule, TOptions options) : BoundRule
    where TOptions : RuleOptions, new()
{
    public override void Evaluate(PostContext post, FindingSink sink)
    {
        if ((options.Severity ?? rule.Descriptor.DefaultSeverity) != Severity.Off)
        {
            rule.Run(post, options, sink);
        }
    }
}

/// <summary>Any other rule, called through its interface.</summary>
internal sealed class InterfaceBoundRule(IRule rule, RuleOptions options) : BoundRule
{
    public override void Evaluate(PostContext post, FindingSink sink)
    {
        if (FindingSink.SeverityOf(rule.Descriptor, options) != Severity.Off)
        {
            rule.Evaluate(post, options, sink);
        }
    }
}
