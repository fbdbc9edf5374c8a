using CsCheck;
using PostGate.Rules.Tests.TestSupport;
using PostGate.Rules.Text;
using Xunit;

namespace PostGate.Rules.Tests.Text;

public sealed class SimHashTests
{
    [Theory]
    [InlineData("")]
    [InlineData("spring")]
    [InlineData("spring notes are up")]                 // four words: one short of MinWords
    [InlineData("spring, notes; are... up!!!")]
    [InlineData("🌷 🌷 🌷 🌷 🌷 🌷")]                     // no words at all
    [InlineData("- - - - - - - -")]
    public void Of_FewerThanFiveWords_IsZero(string text)
    {
        Assert.Equal(0UL, SimHash.Of(text));
    }

    [Theory]
    [InlineData("spring notes are up today")]
    [InlineData("a b c d e")]                           // single letters are words
    [InlineData("1 2 3 4 5")]                           // so are numbers
    [InlineData("aa aa aa aa aa")]                      // the same pair four times still fingerprints
    [InlineData("été déjà vu ça là")]
    public void Of_FiveWordsOrMore_IsNotZero(string text)
    {
        Assert.NotEqual(0UL, SimHash.Of(text));
    }

    [Fact]
    public void Of_KnownText_HasAPinnedFingerprint()
    {
        // NOTE: fingerprints are stored with every timeline entry, with the version of their definition; a change to
        // the hash makes the stored ones incomparable, so it must be deliberate and come with a new version, never
        // incidental.
        Assert.Equal(2, SimHash.Version);
        Assert.Equal(4072604461527246401UL, SimHash.Of("one two three four five"));
    }

    [Theory]
    [InlineData("one two three four five", "one, two; three. four! five?")]     // only letters and digits make words
    [InlineData("one two three four five", "  one\ttwo\nthree   four five  ")]
    public void Of_SameWordsWhateverTheSeparators_IsTheSame(string a, string b)
    {
        Assert.Equal(SimHash.Of(a), SimHash.Of(b));
    }

    [Theory]
    [InlineData("one two three four five", "five four three two one")]  // word pairs keep the order
    [InlineData("one two three four five", "ONE TWO THREE FOUR FIVE")]  // no case folding: the engine normalizes first
    public void Of_DifferentWordsOrOrder_Differs(string a, string b)
    {
        Assert.NotEqual(SimHash.Of(a), SimHash.Of(b));
    }

    [Fact]
    public void Of_OneWordEdited_IsCloserThanAnUnrelatedText()
    {
        var original = SimHash.Of("our spring notes are up three new sizes a calmer colour range and the same repairs promise as always");
        var edited = SimHash.Of("our spring notes are up four new sizes a calmer colour range and the same repairs promise as always");
        var unrelated = SimHash.Of("we fixed the export bug that hid your reports on monday your files were safe the whole time");

        Assert.True(SimHash.Distance(original, edited) < SimHash.Distance(original, unrelated));
        Assert.InRange(SimHash.Distance(original, unrelated), 21, 64);
    }

    [Fact]
    public void Of_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => SimHash.Of(null!));
    }

    [Fact]
    public void Of_AnyFiveWordsOrMore_IsNeverZero()
    {
        // NOTE: 0 means "no fingerprint", so a real text must never hash to it.
        var word = Gen.Char['a', 'z'].Array[1, 8].Select(c => new string(c));
        word.Array[SimHash.MinWords, 40].Sample(words => Assert.NotEqual(0UL, SimHash.Of(string.Join(' ', words))), iter: 2000);
    }

    [Theory]
    [InlineData(0UL, 0UL, 0)]
    [InlineData(0UL, ulong.MaxValue, 64)]
    [InlineData(0b1011UL, 0b0001UL, 2)]
    [InlineData(0x8000_0000_0000_0000UL, 1UL, 2)]
    public void Distance_CountsTheBitsThatDiffer(ulong a, ulong b, int expected)
    {
        Assert.Equal(expected, SimHash.Distance(a, b));
        Assert.Equal(expected, SimHash.Distance(b, a));
    }

    [Fact]
    public void Of_AnyText_EqualsTheVotesCountedBitByBit()
    {
        // NOTE: separators of every kind and runs of them, words that end the text, non-ASCII letters and digits, and
        // long texts, whose vote counts run high.
        var piece = Gen.Frequency(
            (6, Gen.Char['a', 'z'].Array[1, 9].Select(c => new string(c))),
            (3, Gen.OneOf(" ", "  ", ", ", "\n", "-", "'", "🌷", "\u00A0")),
            (2, Gen.OneOf("été", "日本語", "٣٤", "ß", "x1", "42")),
            (1, Gen.Char.Select(c => c.ToString())));
        var text = Gen.Frequency((9, piece.Array[0, 60]), (1, piece.Array[600, 1400])).Select(string.Concat);
        text.Sample(t => Assert.Equal(Reference(t), SimHash.Of(t)), iter: 3000);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    public void NextCloser_StopsAtTheFirstBlockWithACloserFingerprint(int width)
    {
        // NOTE: a screen the machine cannot run is never used (the near-duplicate rule compares post by post, or four at
        // a time without AVX-512). Fingerprints near the one compared, some of them closer than the limit, in arrays
        // that end inside a block or not.
        if (width == 4 ? !SimHash.CanScreen : !SimHash.CanScreenEight)
        {
            return;
        }

        var near = Gen.Select(Gen.ULong, Gen.ULong, Gen.ULong, Gen.ULong).Select((a, b, c, d) => a & b & c & d);
        Gen.Select(Gen.ULong, near.Array[0, 40], Gen.Int[0, 12], Gen.Int[0, 66]).Sample((print, flips, from, limit) =>
        {
            ulong[] prints = [.. flips.Select(f => print ^ f)];
            from = Math.Min(from, prints.Length);
            var expected = from;
            while (expected + width <= prints.Length && !prints.Skip(expected).Take(width).Any(f => SimHash.Distance(print, f) < limit))
            {
                expected += width;
            }

            var next = width == 4 ? SimHash.NextCloserOfFour(print, prints, from, limit) : SimHash.NextCloserOfEight(print, prints, from, limit);
            Assert.Equal(expected, next);
        }, iter: 20_000);
    }

    [Fact]
    public void Of_TextsOfOneLetterWords_CountsEveryPairAtEveryLength()
    {
        // NOTE: one-letter words pack the most pairs a text of its length can hold, and the same pair over and over
        // makes a bit's count reach the number of pairs: the counters must hold it at every length, around the
        // lengths where they need one more bit.
        var lengths = Enumerable.Range(3, 12).SelectMany(p => new[] { (1 << p) - 1, 1 << p, (1 << p) + 1 }).Concat(Enumerable.Range(9, 300));
        foreach (var length in lengths)
        {
            foreach (var letters in (string[])["a", "ab", "abc"])
            {
                var text = string.Concat(Enumerable.Range(0, length).Select(k => k % 2 == 1 ? ' ' : letters[k / 2 % letters.Length]));
                Assert.Equal(Reference(text), SimHash.Of(text));
            }
        }
    }

    /// <summary>
    /// The fingerprint as its definition reads: words split character by character, each word's units packed eight at
    /// a time into two lanes and multiplied as 128-bit numbers, every pair's 64 votes added one bit at a time.
    /// </summary>
    private static ulong Reference(string text)
    {
        var counts = new int[64];
        var words = ReferenceWords.Split(text).Select(w => text[w.Start..w.End]).ToList();
        if (words.Count < SimHash.MinWords)
        {
            return 0;
        }

        for (var w = 1; w < words.Count; w++)
        {
            var pair = Multiply(WordHash(words[w - 1]) ^ 0xE703_7ED1_A0B4_28DBUL, WordHash(words[w]) ^ 0x8EBC_6AF0_9C88_C6E3UL);
            for (var bit = 0; bit < 64; bit++)
            {
                counts[bit] += (int)((pair >> bit) & 1);
            }
        }

        ulong result = 0;
        for (var bit = 0; bit < 64; bit++)
        {
            if (2 * counts[bit] > words.Count - 1)
            {
                result |= 1UL << bit;
            }
        }

        return result == 0 ? 1 : result;

        static ulong WordHash(string word)
        {
            ulong hash = 0;
            var padded = word.PadRight((word.Length + 7) / 8 * 8, '\0');
            for (var at = 0; at < padded.Length; at += 8)
            {
                hash = Multiply(Lane(padded, at) ^ 0xD8F1_3C6E_A54F_F53AUL ^ hash, Lane(padded, at + 4) ^ 0xDB07_51E0_9B05_688CUL);
            }

            return hash;
        }

        static ulong Lane(string units, int at) =>
            units[at] | ((ulong)units[at + 1] << 16) | ((ulong)units[at + 2] << 32) | ((ulong)units[at + 3] << 48);

        static ulong Multiply(ulong a, ulong b)
        {
            var product = (UInt128)a * b;
            return (ulong)(product >> 64) ^ (ulong)product;
        }
    }
}
