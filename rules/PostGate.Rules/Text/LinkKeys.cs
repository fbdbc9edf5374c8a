using System.Buffers;
using System.Text;

namespace PostGate.Rules.Text;

/// <summary>A link reduced to what identifies its destination: host without "www." and path, lower case, no scheme, query or fragment.</summary>
public static class LinkKeys
{
    public const int MaxLength = 256;

    /// <summary>How long a buffer <see cref="Write"/> needs.</summary>
    // NOTE: a key is at most MaxLength characters after a "www." of four; one more character lower-cased with them
    // keeps a surrogate pair at the cut whole, so the kept characters are lower-cased as in the whole link.
    internal const int BufferLength = MaxLength + 5;

    public static string Of(string link)
    {
        ArgumentNullException.ThrowIfNull(link);
        var key = Write(link, stackalloc char[BufferLength]);
        return key.SequenceEqual(link) ? link : new string(key);
    }

    /// <summary>
    /// The key of <paramref name="link"/> written into <paramref name="buffer"/> (at least <see cref="BufferLength"/>
    /// long), the same characters <see cref="Of"/> makes a string of.
    /// </summary>
    internal static ReadOnlySpan<char> Write(ReadOnlySpan<char> link, Span<char> buffer)
    {
        var text = link;
        if (text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])))
        {
            text = text.Trim();
        }

        // NOTE: only a "://" before any '/', '?' or '#' is a scheme; acme.com/go?to=https://x.com is acme.com's link.
        // Those characters and ':' are searched for together, a ':' not followed by "//" passed over.
        var at = text.IndexOfAny(":/?#");
        while (at >= 0 && text[at] == ':')
        {
            if (text[(at + 1)..].StartsWith("//", StringComparison.Ordinal))
            {
                text = text[(at + 3)..];
                break;
            }

            var next = text[(at + 1)..].IndexOfAny(":/?#");
            at = next < 0 ? -1 : at + 1 + next;
        }

        var end = text.IndexOfAny('?', '#');
        if (end >= 0)
        {
            text = text[..end];
        }

        text = text.TrimEnd('/');
        var lowered = buffer[..Math.Min(text.Length, BufferLength)];
        if (Ascii.ToLower(text[..lowered.Length], lowered, out _) != OperationStatus.Done)
        {
            text[..lowered.Length].ToLowerInvariant(lowered);
        }

        ReadOnlySpan<char> key = lowered[..Math.Min(text.Length, BufferLength - 1)];
        key = key.StartsWith("www.", StringComparison.Ordinal) ? key[4..] : key;

        // NOTE: keys are stored with every timeline entry; 256 characters tell destinations apart well enough.
        return key.Length <= MaxLength ? key : key[..MaxLength];
    }
}
