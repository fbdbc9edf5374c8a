using System.Globalization;
using System.Text;

namespace PostGate.Rules.Engine;

/// <summary>Fills <c>{name}</c> placeholders in messages and coaching written by people.</summary>
public static class Templates
{
    public static string Fill(string template, params ReadOnlySpan<(string Name, object Value)> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        var names = new string[values.Length];
        var texts = new string[values.Length];
        for (var k = 0; k < values.Length; k++)
        {
            names[k] = values[k].Name;
            texts[k] = Convert.ToString(values[k].Value, CultureInfo.InvariantCulture) ?? string.Empty;
        }

        return FillValues(template, new NamedTexts(names, texts));
    }

    /// <summary>Fills <paramref name="template"/> with the texts of <paramref name="source"/>; an unknown placeholder stays as written.</summary>
    internal static string FillValues(string template, ITemplateSource source)
    {
        var builder = RentBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                builder.Append(template, i, template.Length - i);
                break;
            }

            builder.Append(template, i, open - i);
            var close = template.IndexOf('}', open + 1);
            if (close < 0)
            {
                builder.Append(template, open, template.Length - open);
                break;
            }

            if (source.TextOf(template.AsSpan(open + 1, close - open - 1)) is { } text)
            {
                builder.Append(text);
            }
            else
            {
                builder.Append(template, open, close - open + 1);
            }

            i = close + 1;
        }

        return ToStringAndReturn(builder);
    }

    /// <summary>"a", "a" and "b", "a", "b" and "c", each in double quotes; an item repeated (ignoring case) is quoted once.</summary>
    public static string QuoteList(IEnumerable<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var distinct = new List<string>();
        HashSet<string>? seen = null;
        foreach (var item in items)
        {
            // NOTE: a short list is searched as it is; a long one (hundreds of hits in a long post) through a set.
            if (seen is null && distinct.Count < 16)
            {
                if (!ContainsIgnoringCase(distinct, item))
                {
                    distinct.Add(item);
                }

                continue;
            }

            seen ??= new HashSet<string>(distinct, StringComparer.OrdinalIgnoreCase);
            if (seen.Add(item))
            {
                distinct.Add(item);
            }
        }

        if (distinct.Count == 0)
        {
            return string.Empty;
        }

        var builder = RentBuilder();
        for (var k = 0; k < distinct.Count; k++)
        {
            if (k > 0)
            {
                builder.Append(k == distinct.Count - 1 ? " and " : ", ");
            }

            builder.Append('"').Append(distinct[k]).Append('"');
        }

        return ToStringAndReturn(builder);
    }

    private static bool ContainsIgnoringCase(List<string> list, string item)
    {
        foreach (var existing in list)
        {
            if (string.Equals(existing, item, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    [ThreadStatic]
    private static StringBuilder? t_builder;

    /// <summary>
    /// This thread's builder, emptied, or a new one while it is in use: a value written into a text may build a text
    /// of its own (a quoted list inside a message).
    /// </summary>
    private static StringBuilder RentBuilder()
    {
        var builder = t_builder;
        if (builder is null)
        {
            return new StringBuilder(256);
        }

        t_builder = null;
        return builder.Clear();
    }

    /// <summary>The text built, the builder kept for the next one unless a very long text grew it.</summary>
    private static string ToStringAndReturn(StringBuilder builder)
    {
        var text = builder.ToString();
        if (builder.Capacity <= 4096)
        {
            t_builder = builder;
        }

        return text;
    }

    private sealed class NamedTexts(string[] names, string[] texts) : ITemplateSource
    {
        public string? TextOf(ReadOnlySpan<char> name)
        {
            for (var k = 0; k < names.Length; k++)
            {
                if (name.SequenceEqual(names[k]))
                {
                    return texts[k];
                }
            }

            return null;
        }
    }

    /// <summary>Names the placeholders a template may use that are not in <paramref name="allowed"/>.</summary>
    public static IEnumerable<string> UnknownPlaceholders(string template, IReadOnlyCollection<string> allowed)
    {
        var i = 0;
        while ((i = template.IndexOf('{', i)) >= 0)
        {
            var close = template.IndexOf('}', i + 1);
            if (close < 0)
            {
                yield break;
            }

            var name = template[(i + 1)..close];
            if (!allowed.Contains(name))
            {
                yield return name;
            }

            i = close + 1;
        }
    }
}

/// <summary>The texts that fill a template's placeholders, each written when first asked for.</summary>
internal interface ITemplateSource
{
    /// <summary>The text of the value named <paramref name="name"/>, or null when there is none of that name.</summary>
    string? TextOf(ReadOnlySpan<char> name);
}
