using System.Collections.Frozen;
using PostGate.Rules.Engine;

namespace PostGate.Rules.Text;

/// <summary>A link as a reader would see it in a post.</summary>
public sealed record LinkMatch(string Text, TextSpan Span, string Host, bool HasScheme)
{
    /// <summary>The host without a leading "www.", lower case.</summary>
    public string Domain => Host.StartsWith("www.", StringComparison.Ordinal) ? Host[4..] : Host;

    /// <summary>
    /// Whether the link is written so that link scanners miss it ("example[.]com", "example dot com/path",
    /// "hxxps://example.com"); <see cref="Host"/> is then the host it stands for ("example.com").
    /// </summary>
    public bool Obfuscated { get; init; }
}

/// <summary>
/// Finds links the way X does (a port of twitter-text's URL extraction: with and without a scheme, known TLDs only,
/// Unicode and punycode domains, t.co slugs, path and query ending rules, balanced parentheses; never an e-mail
/// address), plus links written to slip past such scanners.
/// </summary>
public static class LinkScanner
{
    /// <summary>Shortener domains bundled with the engine.</summary>
    public static FrozenSet<string> BuiltInShorteners { get; } = ReadResource("PostGate.Rules.shorteners.txt", StringComparer.Ordinal);

    /// <summary>Every link in the text, in order, with spans in UTF-16 units of <paramref name="text"/>.</summary>
    /// <remarks>
    /// A link's <see cref="LinkMatch.Text"/> is always the text of its span. Where twitter-text reports a URL shorter
    /// than its own indices (a domain without a scheme whose last ASCII part is not at its end), the span wins.
    /// </remarks>
    public static IReadOnlyList<LinkMatch> Scan(string text) => Scan(text, reuseStrings: true);

    /// <summary>
    /// <see cref="Scan(string)"/>; with <paramref name="reuseStrings"/> a link written as an earlier one shares its
    /// text and host strings.
    /// </summary>
    internal static IReadOnlyList<LinkMatch> Scan(string text, bool reuseStrings)
    {
        ArgumentNullException.ThrowIfNull(text);
        // NOTE: the matches are gathered in this thread's list and handed out as an array of the right size.
        var links = t_links ?? [];
        t_links = null;
        try
        {
            var sink = new MatchSink(text, links, reuseStrings);
            UrlExtractor.Find(text, withoutProtocol: true, ref sink);
            List<LinkMatch>? found = links;
            ObfuscatedLinks.Find(text, ref found);
            return links.Count == 0 ? [] : links.ToArray();
        }
        finally
        {
            links.Clear();
            t_links = links;
        }
    }

    [ThreadStatic]
    private static List<LinkMatch>? t_links;

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

    internal static FrozenSet<string> ReadResource(string name, StringComparer comparer)
    {
        using var stream = typeof(LinkScanner).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Missing embedded resource {name}.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(comparer);
        while (reader.ReadLine() is { } line)
        {
            var trimmed = line.Trim();
            if (trimmed.Length > 0 && !trimmed.StartsWith('#'))
            {
                set.Add(trimmed.ToLowerInvariant());
            }
        }

        return set.ToFrozenSet(comparer);
    }

    private readonly struct MatchSink(string text, List<LinkMatch> links, bool reuseStrings) : IUrlSink
    {
        /// <summary>How many earlier links are compared with a new one for strings to share.</summary>
        private const int Lookback = 8;

        private const int MaxSharedHost = 256;

        public void Add(UrlSpan url)
        {
            var span = new TextSpan(url.Start, url.End - url.Start);
            var hostLength = url.HostEnd - url.HostStart;
            if (reuseStrings && hostLength <= MaxSharedHost)
            {
                var written = text.AsSpan(url.Start, url.End - url.Start);
                Span<char> host = stackalloc char[hostLength];
                text.AsSpan(url.HostStart, hostLength).ToLowerInvariant(host);
                for (var i = links.Count - 1; i >= Math.Max(0, links.Count - Lookback); i--)
                {
                    var earlier = links[i];
                    if (written.SequenceEqual(earlier.Text) && host.SequenceEqual(earlier.Host))
                    {
                        links.Add(new LinkMatch(earlier.Text, span, earlier.Host, url.HasScheme));
                        return;
                    }
                }

                links.Add(new LinkMatch(written.ToString(), span, new string(host), url.HasScheme));
                return;
            }

            links.Add(new LinkMatch(
                text[url.Start..url.End],
                span,
                text[url.HostStart..url.HostEnd].ToLowerInvariant(),
                url.HasScheme));
        }
    }
}
