namespace PostGate.Rules.Engine;

/// <summary>
/// What a rule's findings carry besides its descriptor: the names of the values that fill the <c>{placeholders}</c>
/// of its message and coaching, and how its evidence is written when the rule reports none of its own.
/// </summary>
public abstract class FindingFormat
{
    private protected FindingFormat(RuleDescriptor descriptor, string[] names)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        for (var k = 0; k < names.Length; k++)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(names[k]);
            if (Array.IndexOf(names, names[k], 0, k) >= 0)
            {
                throw new ArgumentException($"The value name '{names[k]}' is given twice.", nameof(names));
            }
        }

        Descriptor = descriptor;
        NameArray = names;
    }

    public RuleDescriptor Descriptor { get; }

    /// <summary>The names of the values, in the order a finding keeps their texts.</summary>
    public IReadOnlyList<string> Names => NameArray;

    internal string[] NameArray { get; }

    /// <summary>The index of the value named <paramref name="name"/>, or -1.</summary>
    internal int IndexOf(ReadOnlySpan<char> name)
    {
        var names = NameArray;
        for (var k = 0; k < names.Length; k++)
        {
            if (name.SequenceEqual(names[k]))
            {
                return k;
            }
        }

        return -1;
    }
}

/// <summary>
/// A <see cref="FindingFormat"/> over <typeparamref name="TValues"/>, what the rule reports (a tuple of numbers and
/// texts): each named value and the evidence are read from it only when a finding's texts are first read.
/// </summary>
public sealed class FindingFormat<TValues> : FindingFormat
{
    private readonly Func<TValues, TemplateValue>[] _readers;

    /// <param name="descriptor">The rule's descriptor.</param>
    /// <param name="evidence">The one evidence text of a finding the rule reports without evidence; null when it always gives its own.</param>
    /// <param name="values">Each placeholder's name and how its value is read.</param>
    public FindingFormat(RuleDescriptor descriptor, Func<TValues, string>? evidence, params ReadOnlySpan<(string Name, Func<TValues, TemplateValue> Value)> values)
        : base(descriptor, NamesOf(values))
    {
        var readers = new Func<TValues, TemplateValue>[values.Length];
        for (var k = 0; k < values.Length; k++)
        {
            readers[k] = values[k].Value ?? throw new ArgumentException($"The value '{values[k].Name}' has no reader.", nameof(values));
        }

        _readers = readers;
        Evidence = evidence;
    }

    internal Func<TValues, string>? Evidence { get; }

    internal TemplateValue ValueAt(TValues values, int index) => _readers[index](values);

    private static string[] NamesOf(ReadOnlySpan<(string Name, Func<TValues, TemplateValue> Value)> values)
    {
        var names = new string[values.Length];
        for (var k = 0; k < values.Length; k++)
        {
            names[k] = values[k].Name;
        }

        return names;
    }
}
