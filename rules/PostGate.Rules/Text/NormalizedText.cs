using System.Buffers;
using PostGate.Rules.Engine;

namespace PostGate.Rules.Text;

/// <summary>Text folded for matching, with every character mapped back to the original.</summary>
public sealed class NormalizedText
{
    private char[] _chars;
    private int[] _starts;
    private int[] _ends;
    private readonly int _length;
    private readonly bool _pooled;
    private string? _text;

    internal NormalizedText(string original, char[] chars, int[] starts, int[] ends, int length, bool pooled)
    {
        Original = original;
        _chars = chars;
        _starts = starts;
        _ends = ends;
        _length = length;
        _pooled = pooled;
    }

    public string Original { get; }

    /// <summary>The folded text: lower case, Latin look-alikes, split letters rejoined, whitespace collapsed.</summary>
    public string Text => _text ??= new string(_chars, 0, _length);

    /// <summary>The folded text without making a string of it.</summary>
    public ReadOnlySpan<char> Chars => _chars.AsSpan(0, _length);

    /// <summary>The length of the folded text.</summary>
    public int Length => _length;

    /// <summary>Maps a stretch of <see cref="Text"/> to the original text it came from.</summary>
    public TextSpan ToOriginal(int start, int length)
    {
        if (length <= 0 || start < 0 || start + length > _length)
        {
            throw new ArgumentOutOfRangeException(nameof(start), "The span lies outside the normalized text.");
        }

        var from = _starts[start];
        var to = _ends[start + length - 1];
        return new TextSpan(from, to - from);
    }

    /// <summary>The original offset where each folded character starts, and where it ends.</summary>
    internal ReadOnlySpan<int> Starts => _starts.AsSpan(0, _length);

    internal ReadOnlySpan<int> Ends => _ends.AsSpan(0, _length);

    /// <summary>Gives pooled buffers back; the instance must not be read afterwards.</summary>
    internal void Release()
    {
        if (!_pooled)
        {
            return;
        }

        ReturnBuffers(_chars, _starts, _ends);
        _chars = [];
        _starts = [];
        _ends = [];
    }

    /// <summary>Gives the three rented arrays of a normalization back to the shared pools.</summary>
    internal static void ReturnBuffers(char[] chars, int[] starts, int[] ends)
    {
        ArrayPool<char>.Shared.Return(chars);
        ArrayPool<int>.Shared.Return(starts);
        ArrayPool<int>.Shared.Return(ends);
    }
}
