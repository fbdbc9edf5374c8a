using CsCheck;
using PostGate.Rules.Tests.TestSupport;
using PostGate.Rules.Text;
using Xunit;

namespace PostGate.Rules.Tests.Text;

public sealed class TextWordsTests
{
    [Fact]
    public void Of_AnyText_FindsTheRunsOfLettersAndDigitsCharacterByCharacter()
    {
        // NOTE: words at both ends, runs of separators, non-ASCII letters and digits among ASCII ones, surrogates and
        // stray units, long words (hashed eight units at a time) and texts long enough for many bitmap blocks.
        var piece = Gen.Frequency(
            (6, Gen.Char['a', 'z'].Array[1, 9].Select(c => new string(c))),
            (3, Gen.OneOf(" ", "  ", ", ", "\n", "-", "'", "🌷", "\u00A0", "_")),
            (2, Gen.OneOf("été", "日本語", "٣٤", "ß", "x1", "42", "internationalization", "ab\u0301c")),
            (1, Gen.Char.Select(c => c.ToString())));
        var text = Gen.Frequency((9, piece.Array[0, 60]), (1, piece.Array[300, 900])).Select(string.Concat);
        text.Sample(t =>
        {
            var words = TextWords.Of(t);
            var expected = ReferenceWords.Split(t);
            Assert.Equal(t.Length, words.TextLength);
            Assert.Equal(expected.Count, words.Count);
            for (var w = 0; w < expected.Count; w++)
            {
                Assert.Equal(expected[w].Start, words.Starts[w]);
                Assert.Equal(TextWords.Hash(t.AsSpan(expected[w].Start, expected[w].End - expected[w].Start)), words.Hashes[w]);
            }
        }, iter: 3000);
    }

    [Fact]
    public void Hash_IsTheDefinitionsPackingOfUnitsEightAtATime()
    {
        // NOTE: the lanes of a word of at most eight units, written out; a longer word folds its first eight in first.
        var lanes = Multiply(('s' | ((ulong)'p' << 16) | ((ulong)'r' << 32) | ((ulong)'i' << 48)) ^ 0xD8F1_3C6E_A54F_F53AUL, ('n' | ((ulong)'g' << 16)) ^ 0xDB07_51E0_9B05_688CUL);
        Assert.Equal(lanes, TextWords.Hash("spring"));

        var first = Multiply(Pack("inte") ^ 0xD8F1_3C6E_A54F_F53AUL, Pack("rnat") ^ 0xDB07_51E0_9B05_688CUL);
        var second = Multiply(Pack("iona") ^ 0xD8F1_3C6E_A54F_F53AUL ^ first, Pack("l") ^ 0xDB07_51E0_9B05_688CUL);
        Assert.Equal(second, TextWords.Hash("international"));

        static ulong Pack(string units) => units.Select((c, i) => (ulong)c << (16 * i)).Aggregate(0UL, (a, b) => a | b);

        static ulong Multiply(ulong a, ulong b)
        {
            var product = (UInt128)a * b;
            return (ulong)(product >> 64) ^ (ulong)product;
        }
    }

    [Fact]
    public void Hash_SameWordAnywhereInAnyText_IsTheSame()
    {
        // NOTE: the phrase matcher looks words up by hash: a word read from a text (two lanes at once, or unit by unit
        // at the text's end) must hash as the word alone does.
        var words = TextWords.Of("spring, Spring; springtime spring");

        Assert.Equal(4, words.Count);
        Assert.Equal(TextWords.Hash("spring"), words.Hashes[0]);
        Assert.Equal(TextWords.Hash("spring"), words.Hashes[3]);
        Assert.NotEqual(words.Hashes[0], words.Hashes[1]);
        Assert.NotEqual(words.Hashes[0], words.Hashes[2]);
    }

    [Fact]
    public void For_TheSameNormalizedTextAgain_ReusesItsWordsUntilAnotherTextIsAskedFor()
    {
        var first = Normalizer.Normalize("Our spring notes are up");
        var second = Normalizer.Normalize("A different post entirely");

        var words = TextWords.For(first);
        var count = words.Count;
        var starts = words.Starts;
        Assert.Same(words, TextWords.For(first));
        Assert.Same(starts, TextWords.For(first).Starts);

        var others = TextWords.For(second);
        Assert.Equal(ReferenceWords.Split(second.Text).Count, others.Count);
        Assert.Equal(count, TextWords.For(first).Count);
        Assert.Equal(ReferenceWords.Split(first.Text).Select(w => w.Start), TextWords.For(first).Starts.Take(count));

        // NOTE: words found for a plain span are never mistaken for a normalized text's.
        TextWords.Of("x y");
        Assert.Equal(5, TextWords.For(first).Count);
    }

    [Fact]
    public void Of_ATextLongerThanAThreadKeeps_GetsItsOwnBuffers()
    {
        var kept = TextWords.Of("one two");
        var longText = string.Concat(Enumerable.Repeat("word ", 20_000));

        var words = TextWords.Of(longText);

        Assert.NotSame(kept, words);
        Assert.Equal(20_000, words.Count);
        Assert.Same(kept, TextWords.Of("three four"));
    }
}
