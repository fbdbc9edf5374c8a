using System.Security.Cryptography;

namespace PostGate.Functions.Storage;

/// <summary>
/// Cryptographically secure random bytes for ids, drawn from the system generator a block at a time per thread:
/// one call to the operating system serves many ids instead of one each.
/// </summary>
internal static class RandomBytes
{
    private const int BlockSize = 512;

    [ThreadStatic]
    private static byte[]? t_block;

    [ThreadStatic]
    private static int t_used;

    /// <summary>Fills <paramref name="destination"/> (at most a block) with bytes no other call is given.</summary>
    public static void Take(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(destination.Length, BlockSize, nameof(destination));
        var block = t_block;
        if (block is null || t_used + destination.Length > BlockSize)
        {
            block = t_block ??= new byte[BlockSize];
            RandomNumberGenerator.Fill(block);
            t_used = 0;
        }

        // NOTE: bytes handed out are cleared, so none of them is ever given twice or left readable in the block.
        var taken = block.AsSpan(t_used, destination.Length);
        taken.CopyTo(destination);
        taken.Clear();
        t_used += destination.Length;
    }
}
