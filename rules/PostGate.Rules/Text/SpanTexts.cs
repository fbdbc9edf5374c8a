using System.Collections;
using PostGate.Rules.Engine;

namespace PostGate.Rules.Text;

/// <summary>The texts of some spans of a post, cut out of it when they are first read.</summary>
internal sealed class SpanTexts(string text, IReadOnlyList<TextSpan> spans) : IReadOnlyList<string>
{
    private string[]? _texts;

    /// <summary>The text the spans are in.</summary>
    public string Text => text;

    public int Count => spans.Count;

    public string this[int index] => Texts[index];

    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)Texts).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private string[] Texts
    {
        get
        {
            if (_texts is null)
            {
                var texts = new string[spans.Count];
                for (var i = 0; i < texts.Length; i++)
                {
                    texts[i] = text.Substring(spans[i].Start, spans[i].Length);
                }

                _texts = texts;
            }

            return _texts;
        }
    }
}
