using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PostGate.Rules.Text;

/// <summary>Character classes of many UTF-16 units (or bytes) at once: all bits of a lane set where the class holds.</summary>
internal static class AsciiVector
{
    /// <summary>'A'–'Z' and 'a'–'z'.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ushort> IsLetter(Vector128<ushort> v) =>
        Vector128.LessThanOrEqual((v | Vector128.Create((ushort)0x20)) - Vector128.Create((ushort)'a'), Vector128.Create((ushort)('z' - 'a')));

    /// <summary>'A'–'Z', 'a'–'z' and '0'–'9'.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ushort> IsLetterOrDigit(Vector128<ushort> v) =>
        IsLetter(v) | Vector128.LessThanOrEqual(v - Vector128.Create((ushort)'0'), Vector128.Create((ushort)9));

    /// <summary>'A'–'Z' and 'a'–'z', for sixteen bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> IsLetter(Vector128<byte> v) =>
        Vector128.LessThanOrEqual((v | Vector128.Create((byte)0x20)) - Vector128.Create((byte)'a'), Vector128.Create((byte)('z' - 'a')));

    /// <summary>'A'–'Z', 'a'–'z' and '0'–'9', for sixteen bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> IsLetterOrDigit(Vector128<byte> v) =>
        IsLetter(v) | Vector128.LessThanOrEqual(v - Vector128.Create((byte)'0'), Vector128.Create((byte)9));

    /// <summary>'A'–'Z' and 'a'–'z', for thirty-two units.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ushort> IsLetter(Vector512<ushort> v) =>
        Vector512.LessThanOrEqual((v | Vector512.Create((ushort)0x20)) - Vector512.Create((ushort)'a'), Vector512.Create((ushort)('z' - 'a')));

    /// <summary>'A'–'Z', 'a'–'z' and '0'–'9', for thirty-two units.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ushort> IsLetterOrDigit(Vector512<ushort> v) =>
        IsLetter(v) | Vector512.LessThanOrEqual(v - Vector512.Create((ushort)'0'), Vector512.Create((ushort)9));
}
