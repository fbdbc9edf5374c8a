using System.Globalization;

namespace PostGate.Rules.Engine;

/// <summary>
/// A value for a <c>{placeholder}</c> of a finding's message or coaching: a number, a text or a list of quotes, read
/// from what the rule reported (see <see cref="FindingFormat{TValues}"/>) when the finding's texts are first read.
/// </summary>
public readonly struct TemplateValue
{
    private readonly object? _reference;
    private readonly int _number;
    private readonly Kind _kind;

    private TemplateValue(object? reference, int number, Kind kind)
    {
        _reference = reference;
        _number = number;
        _kind = kind;
    }

    private enum Kind
    {
        Text,
        Number,
        Quotes,
    }

    public static implicit operator TemplateValue(string value) => new(value, 0, Kind.Text);

    public static implicit operator TemplateValue(int value) => new(null, value, Kind.Number);

    /// <summary>The items as <see cref="Templates.QuoteList"/> writes them.</summary>
    public static TemplateValue Quotes(IReadOnlyList<string> items) => new(items, 0, Kind.Quotes);

    public static TemplateValue FromString(string value) => value;

    public static TemplateValue FromInt32(int value) => value;

    public override string ToString() => _kind switch
    {
        Kind.Number => _number.ToString(CultureInfo.InvariantCulture),
        Kind.Quotes => Templates.QuoteList((IReadOnlyList<string>)_reference!),
        _ => (string?)_reference ?? string.Empty,
    };
}
