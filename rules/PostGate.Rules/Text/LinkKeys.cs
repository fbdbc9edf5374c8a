namespace PostGate.Rules.Text;

/// <summary>A link reduced to what identifies its destination: host without "www." and path, lower case, no scheme, query or fragment.</summary>
public static class LinkKeys
{
    public static string Of(string link)
    {
        ArgumentNullException.ThrowIfNull(link);
        var text = link.Trim();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            text = text[(scheme + 3)..];
        }

        var end = text.AsSpan().IndexOfAny('?', '#');
        if (end >= 0)
        {
            text = text[..end];
        }

        text = text.TrimEnd('/').ToLowerInvariant();
        return text.StartsWith("www.", StringComparison.Ordinal) ? text[4..] : text;
    }
}
