using PostGate.Rules.Text;

namespace PostGate.Rules.Tests.TestSupport;

/// <summary>A link's key made on strings, as the signature stores it: the reference the span-written keys are held to.</summary>
internal static class ReferenceLinkKeys
{
    /// <summary>The key made on strings, step by step, as the rule for a key reads.</summary>
    public static string Of(string link)
    {
        var text = link.Trim();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
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
        return text.Length <= LinkKeys.MaxLength ? text : text[..LinkKeys.MaxLength];
    }
}
