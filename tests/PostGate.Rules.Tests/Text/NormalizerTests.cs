using CsCheck;
using PostGate.Rules.Engine;
using PostGate.Rules.Text;
using Xunit;

namespace PostGate.Rules.Tests.Text;

public sealed class NormalizerTests
{
    public static TheoryData<string, string> Folds => new()
    {
        { "Buy Now", "buy now" },
        { "ＢＵＹ　ＮＯＷ", "buy now" },          // fullwidth letters and an ideographic space (NFKC)
        { "𝐁𝐔𝐘 𝐍𝐎𝐖", "buy now" },                // mathematical bold, one surrogate pair per letter
        { "𝘽𝙪𝙮 𝓷𝓸𝔀", "buy now" },               // sans-serif bold italic and bold script
        { "ℬuy ℕow", "buy now" },                 // letterlike symbols that stand in the gaps of the math alphabets
        { "ⓑⓤⓨ ⓝⓞⓦ", "buy now" },                // circled letters
        { "ВUY NОW", "buy now" },                 // Cyrillic В and О
        { "ΒUΥ ΝΟW", "buy now" },                 // Greek capitals Beta, Upsilon, Nu, Omicron
        { "bυу", "buy" },                         // Greek small upsilon, Cyrillic small u
        { "frée gïft", "free gift" },             // diacritics on Latin letters
        { "b\u200Bu\u200Cy n\u2060o\uFEFFw", "buy now" }, // zero-width space, non-joiner, word joiner, BOM
        { "B U Y  N-O-W", "buy now" },
        { "b.u.y n.o.w", "buy now" },
        { "B_U_Y N*O*W", "buy now" },
        { "nowwww", "now" },
        { "freeeee", "fre" },                     // a stretched letter folds to one; phrases are squeezed to match
        { "free", "free" },                       // a doubled letter is a spelling, not a stretch
        { "fr3e", "free" },
        { "0rder n0w", "order now" },
        { "$ale", "sale" },
        { "50% off", "50% off" },                 // a number stays a number
        { "2026", "2026" },
        { "$20", "$20" },
        { "@acme1", "@acmei" },                   // a mention keeps its '@'
        { "don’t", "don't" },                     // typographic apostrophe
        { "  lots   of\t\nspace ", "lots of space " }, // runs of whitespace collapse; leading whitespace goes
        { "must-have", "must have" },             // hyphens and underscores between words read as a space
        { "e.g.", "e.g." },                       // two single letters are an abbreviation, not spaced-out letters
        { "a b", "a b" },
        { "", "" },
    };

    [Theory]
    [MemberData(nameof(Folds))]
    public void Normalize_FoldsEvasionsToPlainWords(string original, string expected)
    {
        var normalized = Normalizer.Normalize(original);

        Assert.Equal(expected, normalized.Text);
        Assert.Equal(original, normalized.Original);
    }

    public static TheoryData<string, string, int, int> Spans => new()
    {
        // original, a stretch of the normalized text, where it starts and how long it is in the original
        { "BUY NOWWWW!", "now", 4, 6 },           // the stretched letters all map to the one folded letter
        { "B U Y  N-O-W", "buy now", 0, 12 },
        { "Get 𝐁𝐔𝐘 now", "buy", 4, 6 },           // surrogate pairs: two code units per letter
        { "Hi b\u200Bu\u200By", "buy", 3, 5 },    // dropped zero-width characters stay inside the span
        { "ＢＵＹ", "buy", 0, 3 },
        { "Get it fr3e today", "free", 7, 4 },
        { "so   much", "so much", 0, 9 },         // the folded space covers the whole run of blanks
    };

    [Theory]
    [MemberData(nameof(Spans))]
    public void ToOriginal_MapsNormalizedStretchToOriginalText(string original, string stretch, int start, int length)
    {
        var normalized = Normalizer.Normalize(original);
        var at = normalized.Text.IndexOf(stretch, StringComparison.Ordinal);

        var span = normalized.ToOriginal(at, stretch.Length);

        Assert.Equal(new TextSpan(start, length), span);
    }

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(0, 0)]
    [InlineData(2, 2)]
    public void ToOriginal_SpanOutsideNormalizedText_Throws(int start, int length)
    {
        var normalized = Normalizer.Normalize("abc");

        Assert.Throws<ArgumentOutOfRangeException>(() => normalized.ToOriginal(start, length));
    }

    [Theory]
    [InlineData("  Buy-Now  ", "buy now")]
    [InlineData("Don’t miss", "don't miss")]
    [InlineData("\u200B", "")]
    public void NormalizePhrase_FoldsAndTrims(string phrase, string expected)
    {
        Assert.Equal(expected, Normalizer.NormalizePhrase(phrase));
    }

    [Fact]
    public void Normalize_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => Normalizer.Normalize(null!));
    }

    [Fact]
    public void Normalize_ArbitraryText_NeverThrowsAndMapsEveryCharInsideOriginal()
    {
        // NOTE: plain chars include lone surrogates; the pieces add the cases the normalizer treats specially.
        var piece = Gen.Frequency(
            (4, Gen.Char.Select(c => c.ToString())),
            (3, Gen.OneOf(
                "𝐁", "😀", "Ｂ", "ℬ", "ⓑ", "В", "Ν", "é", "e\u0301", "ﬁ", "\u200B", "\uFEFF", "\uD835", "\uDC01",
                " ", "  ", "\t", "\n", ".", "-", "_", "*", "·", "b", "B", "w", "3", "0", "$", "@", "'", "’")));
        var text = piece.Array[0, 40].Select(pieces => string.Concat(pieces));

        text.Sample(original =>
        {
            var normalized = Normalizer.Normalize(original);
            for (var i = 0; i < normalized.Text.Length; i++)
            {
                var span = normalized.ToOriginal(i, 1);
                Assert.InRange(span.Start, 0, original.Length - 1);
                Assert.InRange(span.Length, 1, original.Length - span.Start);
            }

            if (normalized.Text.Length > 0)
            {
                var whole = normalized.ToOriginal(0, normalized.Text.Length);
                Assert.InRange(whole.End, whole.Start + 1, original.Length);
            }
        }, iter: 2000);
    }

    [Fact]
    public void Normalize_AsciiRunsAndOneCharAtATime_GiveTheSameTextAndOffsets()
    {
        // NOTE: mostly ASCII with now and then a character the long way handles, as posts are.
        var piece = Gen.Frequency(
            (8, Gen.Char['\0', '\u007F'].Select(c => c.ToString())),
            (4, Gen.OneOf("Buy", "NOW", "fr3e", "0rder", "$ale", "@acme1", "b u y", "n-o-w", "nowwww", "e.g.", "50%", " ", "  ", "\t", "\n")),
            (1, Gen.Char.Select(c => c.ToString())),
            (1, Gen.OneOf("𝐁", "😀", "🌱", "Ｂ", "ℬ", "В", "é", "e\u0301", "\u200B", "\uD835", "’", "·")));
        var text = piece.Array[0, 60].Select(pieces => string.Concat(pieces));

        text.Sample(original =>
        {
            var runs = Normalizer.Normalize(original, pooled: false, asciiRuns: true);
            var single = Normalizer.Normalize(original, pooled: false, asciiRuns: false);
            var pooled = Normalizer.Normalize(original, pooled: true, asciiRuns: true);
            try
            {
                Assert.Equal(single.Text, runs.Text);
                Assert.Equal(single.Starts.ToArray(), runs.Starts.ToArray());
                Assert.Equal(single.Ends.ToArray(), runs.Ends.ToArray());
                Assert.Equal(single.Text, pooled.Chars.ToString());
                Assert.Equal(single.Starts.ToArray(), pooled.Starts.ToArray());
                Assert.Equal(single.Ends.ToArray(), pooled.Ends.ToArray());
            }
            finally
            {
                pooled.Release();
            }
        }, iter: 3000);
    }

    [Fact]
    public void Normalize_MatchesTheReferenceTextAndOffsets()
    {
        // NOTE: words, runs of letters and spaces, spaced-out letters and swaps side by side with what folds the long
        // way, so that the copied stretches and the pieces of the offset map meet every case at their edges.
        var piece = Gen.Frequency(
            (6, Gen.Char['\0', '\u007F'].Select(c => c.ToString())),
            (6, Gen.OneOf("Buy", "now", "free", "NOW", "aa", "aaa", "wwww", "e", "a", "I", "b u y", "n-o-w", "e e e", "x.y.z", "b*u*y", "1", "000", "fr3e", "0rder", "$ale", "@acme1", "e.g.", "50%")),
            (4, Gen.OneOf(" ", "  ", "\t", "\n", " - ", "_", "-", ".", "!", "?")),
            (2, Gen.Char.Select(c => c.ToString())),
            (2, Gen.OneOf("𝐁", "😀", "🌱", "Ｂ", "ℬ", "В", "é", "ée", "e\u0301", "ß", "ﬁ", "\u200B", "\uD835", "’", "·", "•", "\u00A0", "ⓑ", "ＢＵＹ")));
        var text = piece.Array[0, 50].Select(pieces => string.Concat(pieces));

        text.Sample(original =>
        {
            var (expected, starts, ends) = ReferenceNormalizer.Normalize(original);
            var owned = Normalizer.Normalize(original);
            var single = Normalizer.Normalize(original, pooled: false, asciiRuns: false);
            Assert.Equal(expected, owned.Text);
            Assert.Equal(starts, owned.Starts.ToArray());
            Assert.Equal(ends, owned.Ends.ToArray());
            Assert.Equal(expected, single.Text);
            Assert.Equal(starts, single.Starts.ToArray());
            Assert.Equal(ends, single.Ends.ToArray());
            for (var i = 0; i < expected.Length; i++)
            {
                var length = Math.Min(3, expected.Length - i);
                Assert.Equal(new TextSpan(starts[i], ends[i + length - 1] - starts[i]), owned.ToOriginal(i, length));
            }
        }, iter: 5000);
    }

    [Fact]
    public void Normalize_LongAsciiStretches_MatchTheReference()
    {
        // NOTE: long runs of ASCII words and spaces, as most posts are, with now and then what ends a stretch copied
        // whole: two spaces, a letter three times, single letters side by side ("b u y", "b.u.y"), a digit run.
        var piece = Gen.Frequency(
            (10, Gen.OneOf("buy", "now", "spring", "planting", "guide", "is", "out", "limited", "time", "free", "week", "Seed", "KITS")),
            (10, Gen.Const(" ")),
            (3, Gen.OneOf("a", "b", "u", "y", "I", "x", "1", "e")),
            (1, Gen.OneOf("  ", "eee", "wwww", "000", "aa", "b u y", "b.u.y", "n-o-w", ".", "!", "?", "\t", "-", "_", "é", "🌱", "fr3e", "@acme")));
        AssertMatchesReference(piece.Array[0, 80].Select(pieces => string.Concat(pieces)));
    }

    [Fact]
    public void Normalize_LongStretchesWithPunctuation_MatchTheReference()
    {
        // NOTE: words, single spaces and punctuation as links, mentions and sentences have them, copied whole up to
        // what ends a stretch: a space before a space, a letter three times, single letters with a separator between
        // them ("b.u.y", "x*y*z"), '-', '_', control characters and what lies beyond ASCII.
        var piece = Gen.Frequency(
            (10, Gen.OneOf("buy", "now", "https", "acme", "com", "guides", "utm", "source", "is", "Seed", "KITS", "1", "2026")),
            (8, Gen.OneOf(" ", ".", "/", ":", "?", "!", ",", "=", "@", "#", "&", "'", "%", "(", ")", "*", "...")),
            (4, Gen.OneOf("a", "b", "u", "y", "I", "x", "e", "z")),
            (1, Gen.OneOf("  ", "eee", "aa", "b u y", "b.u.y", "x*y*z", "n-o-w", "-", "_", "\t", "\n", "\u007F", "é", "·", "•", "🌱", "\u00A0", "fr3e")));
        AssertMatchesReference(piece.Array[0, 80].Select(pieces => string.Concat(pieces)));
    }

    /// <summary>Normalizes 5,000 texts of <paramref name="texts"/> and holds text and offsets to the reference.</summary>
    private static void AssertMatchesReference(Gen<string> texts) =>
        texts.Sample(original =>
        {
            var (expected, starts, ends) = ReferenceNormalizer.Normalize(original);
            var normalized = Normalizer.Normalize(original);
            Assert.Equal(expected, normalized.Text);
            Assert.Equal(starts, normalized.Starts.ToArray());
            Assert.Equal(ends, normalized.Ends.ToArray());
        }, iter: 5000);

    [Fact]
    public void FirstStop_MatchesACheckOfEveryPosition()
    {
        // NOTE: the vectors check eight positions at once against their neighbours; a check of each position in turn
        // must find the same first stop from every start.
        var piece = Gen.Frequency(
            (8, Gen.OneOf("buy", "now", "free", "acme", "com", "e", "a", "x", "1")),
            (6, Gen.OneOf(" ", ".", "/", "?", "*", "@")),
            (2, Gen.OneOf("  ", "eee", "aa", "b u y", "b.u.y", "a b", "-", "_", "\t", "é", "·", "🌱")),
            (1, Gen.Char.Select(c => c.ToString())));
        var text = piece.Array[0, 40].Select(pieces => string.Concat(pieces));

        text.Sample(s =>
        {
            for (var i = 0; i < s.Length; i++)
            {
                var expected = i;
                while (expected < s.Length && !Normalizer.IsStopAt(s, expected))
                {
                    expected++;
                }

                Assert.Equal(expected, Normalizer.FirstStop(s, i));
            }
        }, iter: 3000);
    }

    [Theory]
    [InlineData("Plain ASCII text, all of it.")]
    [InlineData("Spring 🌱 planting: ＢＵＹ NOW!")]
    [InlineData("")]
    public void Normalize_Pooled_MatchesTheOwnedResult(string original)
    {
        var owned = Normalizer.Normalize(original);
        var pooled = Normalizer.Normalize(original, pooled: true, asciiRuns: true);
        try
        {
            Assert.Equal(owned.Text, pooled.Text);
            Assert.Equal(owned.Length, pooled.Length);
        }
        finally
        {
            pooled.Release();
        }
    }
}
