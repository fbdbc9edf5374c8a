using System.Buffers;

namespace PostGate.Rules.Text;

/// <summary>A phrase found in a normalized text.</summary>
public readonly record struct PhraseHit(int PhraseIndex, int Start, int Length);

/// <summary>
/// Finds every phrase of a lexicon in one pass over normalized text, whole words only.
/// Phrases are folded with <see cref="Normalizer"/>, so "B U Y  N-O-W" meets "buy now".
/// </summary>
public sealed class PhraseMatcher
{
    private readonly SearchValues<string>? _values;
    private readonly Dictionary<char, List<(string Form, int Phrase)>> _byFirstChar = [];

    public PhraseMatcher(IReadOnlyList<string> phrases)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        var forms = new HashSet<string>(StringComparer.Ordinal);
        for (var p = 0; p < phrases.Count; p++)
        {
            var form = Normalizer.NormalizePhrase(phrases[p]);
            if (form.Length == 0)
            {
                continue;
            }

            Add(form, p, forms);
            var squeezed = Squeeze(form);
            if (squeezed is not null)
            {
                Add(squeezed, p, forms);
            }
        }

        foreach (var list in _byFirstChar.Values)
        {
            list.Sort((a, b) => b.Form.Length.CompareTo(a.Form.Length));
        }

        _values = forms.Count > 0 ? SearchValues.Create([.. forms], StringComparison.Ordinal) : null;
    }

    /// <summary>All whole-word hits, leftmost first; at one position the longest phrase wins and hits do not overlap.</summary>
    public List<PhraseHit> FindAll(string text)
    {
        var hits = new List<PhraseHit>();
        if (_values is null)
        {
            return hits;
        }

        var span = text.AsSpan();
        var offset = 0;
        while (offset < span.Length)
        {
            var found = span[offset..].IndexOfAny(_values);
            if (found < 0)
            {
                break;
            }

            var at = offset + found;
            var matched = MatchAt(text, at);
            if (matched.Length > 0)
            {
                hits.Add(matched);
                offset = at + matched.Length;
            }
            else
            {
                offset = at + 1;
            }
        }

        return hits;
    }

    /// <summary>Every whole-word hit at every position, overlapping ones included.</summary>
    public List<PhraseHit> FindAllOverlapping(string text)
    {
        var hits = new List<PhraseHit>();
        if (_values is null)
        {
            return hits;
        }

        var offset = 0;
        while (offset < text.Length)
        {
            var found = text.AsSpan(offset).IndexOfAny(_values);
            if (found < 0)
            {
                break;
            }

            var at = offset + found;
            var matched = MatchAt(text, at);
            if (matched.Length > 0)
            {
                hits.Add(matched);
            }

            offset = at + 1;
        }

        return hits;
    }

    private PhraseHit MatchAt(string text, int at)
    {
        if (!_byFirstChar.TryGetValue(text[at], out var candidates))
        {
            return default;
        }

        foreach (var (form, phrase) in candidates)
        {
            if (string.CompareOrdinal(text, at, form, 0, form.Length) == 0 && IsWholeWord(text, at, form))
            {
                return new PhraseHit(phrase, at, form.Length);
            }
        }

        return default;
    }

    private static bool IsWholeWord(string text, int at, string form)
    {
        var end = at + form.Length;
        var startOk = !char.IsLetterOrDigit(form[0]) || at == 0 || !char.IsLetterOrDigit(text[at - 1]);
        var endOk = !char.IsLetterOrDigit(form[^1]) || end == text.Length || !char.IsLetterOrDigit(text[end]);
        return startOk && endOk;
    }

    private void Add(string form, int phrase, HashSet<string> forms)
    {
        if (!forms.Add(form))
        {
            return;
        }

        if (!_byFirstChar.TryGetValue(form[0], out var list))
        {
            list = [];
            _byFirstChar[form[0]] = list;
        }

        list.Add((form, phrase));
    }

    /// <summary>"free" → "fre", the form a stretched "freeeee" folds to; null when nothing changes or a word would shrink to two letters.</summary>
    private static string? Squeeze(string form)
    {
        var chars = new List<char>(form.Length);
        foreach (var c in form)
        {
            if (chars.Count > 0 && chars[^1] == c && char.IsLetter(c))
            {
                continue;
            }

            chars.Add(c);
        }

        if (chars.Count == form.Length)
        {
            return null;
        }

        var squeezed = new string([.. chars]);
        foreach (var word in squeezed.Split(' '))
        {
            if (word.Length <= 2 && !form.Split(' ').Contains(word, StringComparer.Ordinal))
            {
                // NOTE: "off" must not become "of", nor "too" become "to": those are everyday words.
                return null;
            }
        }

        return squeezed;
    }
}
