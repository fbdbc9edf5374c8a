using System.Collections.Frozen;
using System.Text.RegularExpressions;
using PostGate.Rules.Engine;

namespace PostGate.Rules.Text;

/// <summary>A link as a reader would see it in a post.</summary>
public sealed record LinkMatch(string Text, TextSpan Span, string Host, bool HasScheme)
{
    /// <summary>The host without a leading "www.", lower case.</summary>
    public string Domain => Host.StartsWith("www.", StringComparison.Ordinal) ? Host[4..] : Host;
}

/// <summary>
/// Finds links with and without a scheme: <c>https://…</c>, <c>www.…</c> and bare domains whose
/// top-level domain is real (<c>bit.ly/deal</c>, <c>acme.shop</c>), and not the domain of an e-mail address.
/// </summary>
public static partial class LinkScanner
{
    private static readonly FrozenSet<string> Tlds = ReadResource("PostGate.Rules.tlds.txt");

    /// <summary>Shortener domains bundled with the engine.</summary>
    public static FrozenSet<string> BuiltInShorteners { get; } = ReadResource("PostGate.Rules.shorteners.txt");

    public static IReadOnlyList<LinkMatch> Scan(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        List<LinkMatch>? links = null;
        foreach (var match in Candidate().EnumerateMatches(text))
        {
            var candidate = text.AsSpan(match.Index, match.Length);
            var length = TrimTrailing(candidate);
            if (length == 0)
            {
                continue;
            }

            var value = text.Substring(match.Index, length);
            var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
            var hostStart = schemeEnd >= 0 ? schemeEnd + 3 : 0;
            var hostEnd = value.AsSpan(hostStart).IndexOfAny(":/?#");
            var host = (hostEnd < 0 ? value[hostStart..] : value.Substring(hostStart, hostEnd)).ToLowerInvariant().TrimEnd('.');
            if (host.Length == 0)
            {
                continue;
            }

            if (schemeEnd < 0 && !host.StartsWith("www.", StringComparison.Ordinal))
            {
                var dot = host.LastIndexOf('.');
                if (dot < 0 || !Tlds.Contains(host[(dot + 1)..]))
                {
                    continue;
                }
            }

            (links ??= []).Add(new LinkMatch(value, new TextSpan(match.Index, length), host, schemeEnd >= 0));
        }

        return links ?? (IReadOnlyList<LinkMatch>)[];
    }

    /// <summary>The host of an explicit link (a link card), or null when it is not a link.</summary>
    public static string? HostOf(string link)
    {
        var found = Scan(link);
        return found.Count == 1 ? found[0].Host : null;
    }

    public static bool IsShortener(string host, IReadOnlySet<string> shorteners)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(shorteners);
        var domain = host;
        while (true)
        {
            if (shorteners.Contains(domain))
            {
                return true;
            }

            var dot = domain.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0 || domain.IndexOf('.', dot + 1) < 0)
            {
                return false;
            }

            domain = domain[(dot + 1)..];
        }
    }

    private static int TrimTrailing(ReadOnlySpan<char> candidate)
    {
        var length = candidate.Length;
        while (length > 0)
        {
            var last = candidate[length - 1];
            if (last is '.' or ',' or ';' or ':' or '!' or '?' or '\'' or '"' or '*' or '…')
            {
                length--;
            }
            else if (last == ')' && candidate[..length].Count('(') < candidate[..length].Count(')'))
            {
                length--;
            }
            else
            {
                break;
            }
        }

        return length;
    }

    private static FrozenSet<string> ReadResource(string name)
    {
        using var stream = typeof(LinkScanner).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Missing embedded resource {name}.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var trimmed = line.Trim();
            if (trimmed.Length > 0 && !trimmed.StartsWith('#'))
            {
                set.Add(trimmed.ToLowerInvariant());
            }
        }

        return set.ToFrozenSet(StringComparer.Ordinal);
    }

    // NOTE: the look-behind keeps e-mail domains (sam@acme.com) and the middle of longer tokens out.
    [GeneratedRegex(
        @"(?<![\p{L}\p{N}@._/-])(?:(?:https?|ftp)://[^\s<>""'`]+|(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,63}(?![\p{L}\p{N}@-])(?::\d{1,5})?(?:[/?#][^\s<>""'`]*)?)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Candidate();
}
