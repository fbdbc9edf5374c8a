namespace PostGate.Rules.Text;

/// <summary>A link reduced to what identifies its destination: host without "www." and path, lower case, no scheme, query or fragment.</summary>
public static class LinkKeys
{
    public const int MaxLength = 256;

    public static string Of(string link)
    {
        ArgumentNullException.ThrowIfNull(link);
        var text = link.Trim();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);

        // NOTE: only a "://" before any '/', '?' or '#' is a scheme; acme.com/go?to=https://x.com is acme.com's link.
        if (scheme >= 0 && text.AsSpan(0, scheme).IndexOfAny("/?#") < 0)
        {
            text = text[(scheme + 3)..];
        }

        var end = text.AsSpan().IndexOfAny('?', '#');
        if (end >= 0)
        {
            text = text[..end];
        }

        text = text.TrimEnd('/').ToLowerInvariant();
        text = text.StartsWith("www.", StringComparison.Ordinal) ? text[4..] : text;

        // NOTE: keys are stored with every timeline entry; 256 characters tell destinations apart well enough.
        return text.Length <= MaxLength ? text : text[..MaxLength];
    }
}
