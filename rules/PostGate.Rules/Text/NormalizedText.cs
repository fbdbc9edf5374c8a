using System.Buffers;
using PostGate.Rules.Engine;

namespace PostGate.Rules.Text;

/// <summary>Text folded for matching, with every character mapped back to the original.</summary>
public sealed class NormalizedText
{
    private char[] _chars;
    private int[] _pieces;
    private readonly int _pieceCount;
    private readonly int _length;
    private readonly bool _pooled;
    private string? _text;

    internal NormalizedText(string original, char[] chars, int length, int[] pieces, int pieceCount, bool pooled)
    {
        Original = original;
        _chars = chars;
        _length = length;
        _pieces = pieces;
        _pieceCount = pieceCount;
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

        var from = StartOf(start);
        var to = EndOf(start + length - 1);
        return new TextSpan(from, to - from);
    }

    /// <summary>The original offset where each folded character starts (made on each read; for tests).</summary>
    internal ReadOnlySpan<int> Starts
    {
        get
        {
            var starts = new int[_length];
            for (var k = 0; k < starts.Length; k++)
            {
                starts[k] = StartOf(k);
            }

            return starts;
        }
    }

    /// <summary>The original offset where each folded character ends (made on each read; for tests).</summary>
    internal ReadOnlySpan<int> Ends
    {
        get
        {
            var ends = new int[_length];
            for (var k = 0; k < ends.Length; k++)
            {
                ends[k] = EndOf(k);
            }

            return ends;
        }
    }

    /// <summary>Gives pooled buffers back; the instance must not be read afterwards.</summary>
    internal void Release()
    {
        if (!_pooled)
        {
            return;
        }

        ArrayPool<char>.Shared.Return(_chars);
        ArrayPool<int>.Shared.Return(_pieces);
        _chars = [];
        _pieces = [];
    }

    private int StartOf(int index) => OffsetMap.StartIn(_pieces, OffsetMap.PieceOf(_pieces, _pieceCount, index), index);

    private int EndOf(int index) => OffsetMap.EndIn(_pieces, OffsetMap.PieceOf(_pieces, _pieceCount, index), index);
}
