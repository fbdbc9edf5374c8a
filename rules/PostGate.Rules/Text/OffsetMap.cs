using System.Buffers;
using System.Runtime.CompilerServices;

namespace PostGate.Rules.Text;

/// <summary>
/// Where each character of a folded text came from in the original, stored per stretch rather than per character:
/// a stretch copied from the original one to one ("linear") is a single piece however long it is, and only the
/// characters that fold differently (a surrogate pair, a collapsed run of spaces, a squeezed letter) need one each.
/// </summary>
/// <remarks>
/// Piece <c>p</c> is three ints: the first character it covers, the original start, and the original end of every one
/// of its characters, or <see cref="Linear"/> when character <c>k</c> maps to [start + k - first, start + k - first + 1).
/// A piece covers the characters up to the next piece's first. The array is rented and grows as pieces are added.
/// </remarks>
internal struct OffsetMap
{
    private const int Linear = -1;
    private const int InitialPieces = 32;

    private int[] _pieces;
    private int _count;

    public OffsetMap()
    {
        _pieces = ArrayPool<int>.Shared.Rent(3 * InitialPieces);
        _count = 0;
    }

    public readonly int PieceCount => _count;

    public readonly int[] Pieces => _pieces;

    /// <summary>Character <paramref name="index"/>, the next one, maps to [<paramref name="start"/>, <paramref name="end"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int index, int start, int end)
    {
        if (_count > 0)
        {
            var last = 3 * (_count - 1);
            var lastEnd = _pieces[last + 2];
            if (lastEnd == Linear
                ? end == start + 1 && _pieces[last + 1] + (index - _pieces[last]) == start
                : _pieces[last + 1] == start && lastEnd == end)
            {
                return;
            }
        }

        Push(index, start, end == start + 1 ? Linear : end);
    }

    /// <summary>Characters from <paramref name="index"/> on, up to the next piece added, map one to one from <paramref name="start"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddRun(int index, int start)
    {
        if (_count > 0)
        {
            var last = 3 * (_count - 1);
            if (_pieces[last + 2] == Linear && _pieces[last + 1] + (index - _pieces[last]) == start)
            {
                return;
            }
        }

        Push(index, start, Linear);
    }

    /// <summary>Drops what maps characters from <paramref name="length"/> on, once the text is cut to that length.</summary>
    public void Truncate(int length)
    {
        while (_count > 0 && _pieces[3 * (_count - 1)] >= length)
        {
            _count--;
        }
    }

    /// <summary>The last character, <paramref name="index"/>, now ends at <paramref name="end"/> in the original.</summary>
    public void SetLastEnd(int index, int end)
    {
        var last = 3 * (_count - 1);
        var first = _pieces[last];
        var start = _pieces[last + 2] == Linear ? _pieces[last + 1] + (index - first) : _pieces[last + 1];
        var kind = end == start + 1 ? Linear : end;
        if (first == index)
        {
            _pieces[last + 1] = start;
            _pieces[last + 2] = kind;
        }
        else
        {
            Push(index, start, kind);
        }
    }

    /// <summary>The piece that covers character <paramref name="index"/>, found by binary search.</summary>
    public static int PieceOf(ReadOnlySpan<int> pieces, int count, int index)
    {
        int low = 0, high = count - 1;
        while (low < high)
        {
            var middle = low + ((high - low + 1) / 2);
            if (pieces[3 * middle] <= index)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low;
    }

    /// <summary>The original start of character <paramref name="index"/> in piece <paramref name="piece"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int StartIn(ReadOnlySpan<int> pieces, int piece, int index) =>
        pieces[(3 * piece) + 2] == Linear ? pieces[(3 * piece) + 1] + (index - pieces[3 * piece]) : pieces[(3 * piece) + 1];

    /// <summary>The original end of character <paramref name="index"/> in piece <paramref name="piece"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int EndIn(ReadOnlySpan<int> pieces, int piece, int index) =>
        pieces[(3 * piece) + 2] == Linear ? pieces[(3 * piece) + 1] + (index - pieces[3 * piece]) + 1 : pieces[(3 * piece) + 2];

    /// <summary>Whether piece <paramref name="piece"/> maps its characters one to one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsLinear(ReadOnlySpan<int> pieces, int piece) => pieces[(3 * piece) + 2] == Linear;

    /// <summary>Hands the rented array over; nothing is left to return.</summary>
    public int[] Detach()
    {
        var pieces = _pieces;
        _pieces = [];
        return pieces;
    }

    public void Return()
    {
        if (_pieces.Length > 0)
        {
            ArrayPool<int>.Shared.Return(_pieces);
            _pieces = [];
        }
    }

    private void Push(int first, int start, int end)
    {
        var at = 3 * _count;
        if (at + 3 > _pieces.Length)
        {
            var bigger = ArrayPool<int>.Shared.Rent(2 * _pieces.Length);
            _pieces.AsSpan(0, at).CopyTo(bigger);
            ArrayPool<int>.Shared.Return(_pieces);
            _pieces = bigger;
        }

        _pieces[at] = first;
        _pieces[at + 1] = start;
        _pieces[at + 2] = end;
        _count++;
    }

    /// <summary>Reads a map forward: each look-up is at the character of the one before or further on.</summary>
    public ref struct Cursor(ReadOnlySpan<int> pieces, int count)
    {
        private readonly ReadOnlySpan<int> _pieces = pieces;
        private readonly int _count = count;
        private int _piece;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Start(int index) => StartIn(_pieces, MoveTo(index), index);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int End(int index) => EndIn(_pieces, MoveTo(index), index);

        /// <summary>
        /// How far from <paramref name="index"/>, up to <paramref name="end"/>, the characters lie in one piece that
        /// maps them one to one; <paramref name="index"/> when its piece does not.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int LinearEnd(int index, int end)
        {
            var piece = MoveTo(index);
            if (!IsLinear(_pieces, piece))
            {
                return index;
            }

            return piece + 1 == _count ? end : Math.Min(end, _pieces[3 * (piece + 1)]);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int MoveTo(int index)
        {
            var piece = _piece;
            while (piece + 1 < _count && _pieces[3 * (piece + 1)] <= index)
            {
                piece++;
            }

            _piece = piece;
            return piece;
        }
    }
}
