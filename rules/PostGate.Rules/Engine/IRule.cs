using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using PostGate.Rules.Policy;

namespace PostGate.Rules.Engine;

/// <summary>A rule: a descriptor plus one pure behaviour.</summary>
public interface IRule
{
    RuleDescriptor Descriptor { get; }

    RuleOptions CreateDefaultOptions();

    /// <summary>Reads the rule's options from a policy; throws <see cref="JsonException"/> on wrong shapes.</summary>
    RuleOptions ReadOptions(JsonElement element);

    void Evaluate(PostContext post, RuleOptions options, FindingSink sink);
}

/// <summary>Base for rules with typed options.</summary>
public abstract class Rule<TOptions> : IRule, IBindableRule
    where TOptions : RuleOptions, new()
{
    public abstract RuleDescriptor Descriptor { get; }

    protected abstract JsonTypeInfo<TOptions> OptionsTypeInfo { get; }

    public RuleOptions CreateDefaultOptions() => new TOptions();

    public RuleOptions ReadOptions(JsonElement element) =>
        element.Deserialize(OptionsTypeInfo) ?? throw new JsonException("Rule options must be an object.");

    public void Evaluate(PostContext post, RuleOptions options, FindingSink sink) =>
        Evaluate(post, (TOptions)options, sink);

    protected abstract void Evaluate(PostContext post, TOptions options, FindingSink sink);

    BoundRule? IBindableRule.Bind(RuleOptions options) => options is TOptions typed ? new BoundRule<TOptions>(this, typed) : null;

    /// <summary>Evaluates with options of the rule's type, for <see cref="BoundRule{TOptions}"/>.</summary>
    internal void Run(PostContext post, TOptions options, FindingSink sink) => Evaluate(post, options, sink);
}
