namespace PostGate.Rules.Tests.TestSupport;

/// <summary>The words of a text found character by character, as the definition of a word reads: runs of letters and digits.</summary>
internal static class ReferenceWords
{
    public static List<(int Start, int End)> Split(string text)
    {
        var words = new List<(int Start, int End)>();
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetterOrDigit(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && char.IsLetterOrDigit(text[i]))
            {
                i++;
            }

            words.Add((start, i));
        }

        return words;
    }
}
