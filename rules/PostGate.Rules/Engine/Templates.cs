using System.Globalization;
using System.Text;

namespace PostGate.Rules.Engine;

/// <summary>Fills <c>{name}</c> placeholders in messages and coaching written by people.</summary>
public static class Templates
{
    public static string Fill(string template, params ReadOnlySpan<(string Name, object Value)> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        var converted = new (string Name, TemplateValue Value)[values.Length];
        for (var k = 0; k < values.Length; k++)
        {
            converted[k] = (values[k].Name, Convert.ToString(values[k].Value, CultureInfo.InvariantCulture) ?? string.Empty);
        }

        return FillValues(template, converted, new string?[converted.Length]);
    }

    /// <summary>
    /// Fills <paramref name="template"/>; each value is written out once into <paramref name="texts"/>, which the
    /// message and the coaching of a finding share.
    /// </summary>
    internal static string FillValues(string template, ReadOnlySpan<(string Name, TemplateValue Value)> values, string?[] texts)
    {
        var builder = new StringBuilder(template.Length + 32);
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

            var name = template.AsSpan(open + 1, close - open - 1);
            var found = false;
            for (var k = 0; k < values.Length; k++)
            {
                if (name.SequenceEqual(values[k].Name))
                {
                    builder.Append(texts[k] ??= values[k].Value.ToString());
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                builder.Append(template, open, close - open + 1);
            }

            i = close + 1;
        }

        return builder.ToString();
    }

    /// <summary>"a", "a" and "b", "a", "b" and "c", each in double quotes.</summary>
    public static string QuoteList(IEnumerable<string> items)
    {
        var list = items.Distinct(StringComparer.OrdinalIgnoreCase).Select(s => $"\"{s}\"").ToList();
        return list.Count switch
        {
            0 => string.Empty,
            1 => list[0],
            _ => string.Join(", ", list.Take(list.Count - 1)) + " and " + list[^1],
        };
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
