using System.Globalization;

namespace PostGate.Rules.Engine;

/// <summary>A text written only when it is read.</summary>
public interface IDeferredText
{
    string Format();
}

/// <summary>
/// A value for a <c>{placeholder}</c> of a finding's message or coaching, kept as data: a number, a text, a list of
/// quotes or a text made on demand. It is turned into text only when the finding's texts are read.
/// </summary>
public readonly struct TemplateValue
{
    private readonly object? _reference;

    // NOTE: the kind in the high half, a number in the low half: every number a template shows is an int, and a
    // value of two words keeps a finding's list of values small.
    private readonly long _kindAndNumber;

    private TemplateValue(object? reference, int number, Kind kind)
    {
        _reference = reference;
        _kindAndNumber = ((long)kind << 32) | (uint)number;
    }

    private enum Kind
    {
        Text,
        Number,
        Quotes,
        Deferred,
    }

    public static implicit operator TemplateValue(string value) => new(value, 0, Kind.Text);

    public static implicit operator TemplateValue(int value) => new(null, value, Kind.Number);

    /// <summary>The items as <see cref="Templates.QuoteList"/> writes them.</summary>
    public static TemplateValue Quotes(IReadOnlyList<string> items) => new(items, 0, Kind.Quotes);

    public static TemplateValue Deferred(IDeferredText text) => new(text, 0, Kind.Deferred);

    public static TemplateValue FromString(string value) => value;

    public static TemplateValue FromInt32(int value) => value;

    public override string ToString() => (Kind)(_kindAndNumber >> 32) switch
    {
        Kind.Number => ((int)_kindAndNumber).ToString(CultureInfo.InvariantCulture),
        Kind.Quotes => Templates.QuoteList((IReadOnlyList<string>)_reference!),
        Kind.Deferred => ((IDeferredText)_reference!).Format(),
        _ => (string?)_reference ?? string.Empty,
    };
}
