using System.Buffers;
using System.Text;
using PostGate.Rules.Engine;

namespace PostGate.Rules.Text;

/// <summary>
/// Links written so that link scanners miss them: "example[.]com", "example(.)com", "example {dot} com",
/// "example [dot] com", "example dot com/path" and "hxxps://example.com". The last label must be a real TLD.
/// </summary>
// NOTE: a bare " dot " only counts with a path after the TLD ("example dot com/deal"): "the dot com era" is prose.
// A bracketed separator is never prose, so "example[.]com" counts on its own.
internal static class ObfuscatedLinks
{
    private static readonly SearchValues<string> Markers =
        SearchValues.Create(["[.]", "(.)", "{.}", "dot", "hxxp"], StringComparison.OrdinalIgnoreCase);

    /// <summary>Adds the obfuscated links of <paramref name="text"/> to <paramref name="links"/> (the plain ones), in order.</summary>
    public static void Find(string text, ref List<LinkMatch>? links)
    {
        var s = text.AsSpan();
        List<LinkMatch>? found = null;
        var position = 0;
        while (position < s.Length)
        {
            var hit = s[position..].IndexOfAny(Markers);
            if (hit < 0)
            {
                break;
            }

            hit += position;
            var link = At(text, hit);
            if (link is null || StartsInside(links, link.Span.Start))
            {
                position = hit + 1;
                continue;
            }

            (found ??= []).Add(link);
            position = link.Span.End;
        }

        if (found is null)
        {
            return;
        }

        links ??= [];
        Merge(links, found);
    }

    /// <summary>Adds <paramref name="found"/> to <paramref name="links"/>, in order.</summary>
    // NOTE: kept apart from Find, whose locals the lambdas would otherwise lift into an object made on every call.
    private static void Merge(List<LinkMatch> links, List<LinkMatch> found)
    {
        // NOTE: "www[.]acme.com" also holds the plain link "acme.com"; the obfuscated link, which covers it, stands instead.
        links.RemoveAll(l => found.Exists(o => l.Span.Start < o.Span.End && o.Span.Start < l.Span.End));
        links.AddRange(found);
        links.Sort((a, b) => a.Span.Start.CompareTo(b.Span.Start));
    }

    private static bool StartsInside(List<LinkMatch>? links, int start) =>
        links is not null && links.Exists(l => l.Span.Start < start && start < l.Span.End);

    private static LinkMatch? At(string text, int hit)
    {
        var s = text.AsSpan();
        int hostStart;
        var start = -1;
        var needsSeparator = true;
        if (s[hit] is 'h' or 'H')
        {
            // "hxxp://" or "hxxps://", not inside a word.
            var schemeEnd = hit + 4 + (hit + 4 < s.Length && s[hit + 4] is 's' or 'S' ? 1 : 0);
            if ((hit > 0 && char.IsLetterOrDigit(s[hit - 1])) || !s[schemeEnd..].StartsWith("://", StringComparison.Ordinal))
            {
                return null;
            }

            start = hit;
            hostStart = schemeEnd + 3;
            needsSeparator = false;
        }
        else
        {
            var separatorStart = hit;
            if (s[hit] is 'd' or 'D')
            {
                if (hit > 0 && s[hit - 1] is '[' or '(' or '{')
                {
                    separatorStart = hit - 1;
                }
                else if (hit == 0 || s[hit - 1] != ' ')
                {
                    return null;
                }
            }

            if (separatorStart > 0 && s[separatorStart - 1] == ' ' && s[separatorStart] != ' ')
            {
                separatorStart--;
            }

            if (Separator(s, separatorStart, out _, out _) < 0 || separatorStart == 0 || !IsLabelChar(s[separatorStart - 1]))
            {
                return null;
            }

            hostStart = separatorStart;
            while (hostStart > 0 && (IsLabelChar(s[hostStart - 1]) || s[hostStart - 1] == '.'))
            {
                hostStart--;
            }

            while (s[hostStart] is '.' or '-')
            {
                hostStart++;
            }

            if (hostStart >= 3 && s.Slice(hostStart - 3, 3).SequenceEqual("://"))
            {
                var schemeStart = hostStart - 3;
                while (schemeStart > 0 && char.IsAsciiLetter(s[schemeStart - 1]))
                {
                    schemeStart--;
                }

                var scheme = s[schemeStart..(hostStart - 3)];
                if (scheme.Equals("http", StringComparison.OrdinalIgnoreCase) || scheme.Equals("https", StringComparison.OrdinalIgnoreCase)
                    || scheme.Equals("hxxp", StringComparison.OrdinalIgnoreCase) || scheme.Equals("hxxps", StringComparison.OrdinalIgnoreCase))
                {
                    start = schemeStart;
                }
            }

            // An e-mail address or a mention, or the middle of a path, is not a link of its own.
            if (start < 0 && hostStart > 0 && (s[hostStart - 1] is '@' or '/' or '_' || char.IsLetterOrDigit(s[hostStart - 1])))
            {
                return null;
            }
        }

        // Labels and separators after the start: choose the last label that is a TLD with an obfuscated separator before it.
        Span<int> ends = stackalloc int[16];
        var labels = 0;
        var firstObfuscated = needsSeparator ? int.MaxValue : 0;
        var firstBare = int.MaxValue;
        var p = hostStart;
        while (labels < ends.Length)
        {
            if (p >= s.Length || !char.IsAsciiLetterOrDigit(s[p]))
            {
                break;
            }

            var e = p;
            while (e < s.Length && IsLabelChar(s[e]))
            {
                e++;
            }

            ends[labels++] = e;
            var next = Separator(s, e, out var obfuscated, out var bare);
            if (next < 0)
            {
                break;
            }

            if (obfuscated && firstObfuscated == int.MaxValue)
            {
                firstObfuscated = labels;
            }

            if (bare && firstBare == int.MaxValue)
            {
                firstBare = labels;
            }

            p = next;
        }

        for (var last = labels - 1; last >= 1 && last >= firstObfuscated; last--)
        {
            var hostEnd = ends[last];
            if (hostEnd < s.Length && (char.IsLetterOrDigit(s[hostEnd]) || s[hostEnd] is '@' or '_'))
            {
                continue;
            }

            var tldStart = hostEnd - 1;
            while (tldStart > hostStart && IsLabelChar(s[tldStart - 1]))
            {
                tldStart--;
            }

            if (!UrlExtractor.IsTld(s[tldStart..hostEnd]))
            {
                continue;
            }

            var end = hostEnd;
            if (end < s.Length && s[end] == '/')
            {
                end = UrlExtractor.PathEndFrom(s, end + 1);
            }

            if (end < s.Length && s[end] == '?' && UrlExtractor.QueryEndFrom(s, end + 1, s.Length) is var queryEnd and > 0)
            {
                end = queryEnd;
            }

            if (firstBare <= last && end <= hostEnd + 1)
            {
                return null;
            }

            start = start < 0 ? hostStart : start;
            return new LinkMatch(text[start..end], new TextSpan(start, end - start), Host(s, hostStart, hostEnd), start != hostStart)
            {
                Obfuscated = true,
            };
        }

        return null;
    }

    /// <summary>
    /// The separator between two labels at <paramref name="i"/>: '.', "[.]", "(.)", "{.}", "[dot]", "(dot)", "{dot}"
    /// (a space either side allowed) or " dot ". Returns where the next label starts, or -1.
    /// </summary>
    private static int Separator(ReadOnlySpan<char> s, int i, out bool obfuscated, out bool bare)
    {
        obfuscated = bare = false;
        if (i >= s.Length)
        {
            return -1;
        }

        int next;
        if (s[i] == '.')
        {
            next = i + 1;
        }
        else
        {
            var j = s[i] == ' ' ? i + 1 : i;
            if (j < s.Length && s[j] is '[' or '(' or '{' && Close(s[j]) is var close)
            {
                var inner = j + 1;
                if (inner < s.Length && s[inner] == '.')
                {
                    inner++;
                }
                else if (s[inner..].StartsWith("dot", StringComparison.OrdinalIgnoreCase))
                {
                    inner += 3;
                }
                else
                {
                    return -1;
                }

                if (inner >= s.Length || s[inner] != close)
                {
                    return -1;
                }

                next = inner + 1 < s.Length && s[inner + 1] == ' ' ? inner + 2 : inner + 1;
            }
            else if (s[i] == ' ' && s[(i + 1)..].StartsWith("dot ", StringComparison.OrdinalIgnoreCase))
            {
                next = i + 5;
                bare = true;
            }
            else
            {
                return -1;
            }

            obfuscated = true;
        }

        return next < s.Length && char.IsAsciiLetterOrDigit(s[next]) ? next : -1;
    }

    private static char Close(char open) => open switch
    {
        '[' => ']',
        '(' => ')',
        _ => '}',
    };

    private static bool IsLabelChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';

    /// <summary>The host the labels stand for: labels joined with '.', lower case.</summary>
    private static string Host(ReadOnlySpan<char> s, int from, int to)
    {
        var builder = new StringBuilder(to - from);
        var i = from;
        while (i < to)
        {
            if (IsLabelChar(s[i]))
            {
                builder.Append(char.ToLowerInvariant(s[i]));
                i++;
            }
            else
            {
                builder.Append('.');
                i = Separator(s, i, out _, out _);
            }
        }

        return builder.ToString();
    }
}
