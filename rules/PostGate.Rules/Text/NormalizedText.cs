using PostGate.Rules.Engine;

namespace PostGate.Rules.Text;

/// <summary>Text folded for matching, with every character mapped back to the original.</summary>
public sealed class NormalizedText
{
    private readonly int[] _starts;
    private readonly int[] _ends;

    internal NormalizedText(string original, string text, int[] starts, int[] ends)
    {
        Original = original;
        Text = text;
        _starts = starts;
        _ends = ends;
    }

    public string Original { get; }

    /// <summary>The folded text: lower case, Latin look-alikes, split letters rejoined, whitespace collapsed.</summary>
    public string Text { get; }

    /// <summary>Maps a stretch of <see cref="Text"/> to the original text it came from.</summary>
    public TextSpan ToOriginal(int start, int length)
    {
        if (length <= 0 || start < 0 || start + length > Text.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(start), "The span lies outside the normalized text.");
        }

        var from = _starts[start];
        var to = _ends[start + length - 1];
        return new TextSpan(from, to - from);
    }
}
