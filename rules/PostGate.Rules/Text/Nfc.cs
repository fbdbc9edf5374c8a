using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace PostGate.Rules.Text;

/// <summary>
/// Unicode Normalization Form C, done in code: X measures a post after NFC ("A" + U+0301 counts once, U+FB2C three
/// times), and <see cref="string.Normalize()"/> returns its input unchanged under InvariantGlobalization.
/// </summary>
// NOTE: the canonical data (combining classes and one-level decompositions, Unicode 14) is Text/Data/nfc.txt, written
// by Text/Data/make-nfc.py. It is read the first time a text holds a character from U+0300 up; text below that is NFC
// by definition and costs one vectorized scan.
internal static class Nfc
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    private static readonly Lazy<Tables> Data = new(Tables.Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The text in NFC; the same instance when it already is.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().IndexOfAnyInRange('\u0300', '\uFFFF') < 0)
        {
            return text;
        }

        var tables = Data.Value;
        return tables.IsNormalized(text) ? text : tables.Compose(text);
    }

    private sealed class Tables
    {
        // Per code point: bits 0-7 the canonical combining class, bit 8 "NFC_QC=No", bit 9 "NFC_QC=Maybe".
        private const int QuickNo = 1 << 8, QuickMaybe = 1 << 9;

        private readonly ushort[] _bmp;
        private readonly FrozenDictionary<int, ushort> _astral;
        private readonly FrozenDictionary<int, int[]> _decompositions;
        private readonly FrozenDictionary<long, int> _compositions;

        private Tables(ushort[] bmp, Dictionary<int, ushort> astral, Dictionary<int, int[]> decompositions, Dictionary<long, int> compositions)
        {
            _bmp = bmp;
            _astral = astral.ToFrozenDictionary();
            _decompositions = decompositions.ToFrozenDictionary();
            _compositions = compositions.ToFrozenDictionary();
        }

        public static Tables Load()
        {
            var astral = new Dictionary<int, ushort>();
            var singleLevel = new Dictionary<int, int[]>();
            var compositions = new Dictionary<long, int>();
            var bmp = new ushort[0x10000];
            using (var stream = typeof(Nfc).Assembly.GetManifestResourceStream("PostGate.Rules.nfc.txt")
                ?? throw new InvalidOperationException("Missing embedded resource PostGate.Rules.nfc.txt."))
            using (var reader = new StreamReader(stream))
            {
                while (reader.ReadLine() is { } line)
                {
                    if (line.Length == 0 || line[0] == '#')
                    {
                        continue;
                    }

                    var parts = line.Split(' ');
                    switch (parts[0])
                    {
                        case "c":
                            var from = Hex(parts[1]);
                            var to = Hex(parts[2]);
                            var ccc = ushort.Parse(parts[3], CultureInfo.InvariantCulture);
                            for (var cp = from; cp <= to; cp++)
                            {
                                Set(bmp, astral, cp, ccc);
                            }

                            break;
                        case "d" or "x":
                            var composite = Hex(parts[1]);
                            var mapping = new int[parts.Length - 2];
                            for (var i = 0; i < mapping.Length; i++)
                            {
                                mapping[i] = Hex(parts[i + 2]);
                            }

                            singleLevel[composite] = mapping;
                            if (parts[0] == "d")
                            {
                                compositions[Key(mapping[0], mapping[1])] = composite;
                            }
                            else
                            {
                                Set(bmp, astral, composite, QuickNo);
                            }

                            break;
                    }
                }
            }

            foreach (var pair in compositions.Keys)
            {
                Set(bmp, astral, (int)(pair & 0x1FFFFF), QuickMaybe);
            }

            for (var cp = VBase; cp < VBase + VCount; cp++)
            {
                Set(bmp, astral, cp, QuickMaybe);
            }

            for (var cp = TBase + 1; cp < TBase + TCount; cp++)
            {
                Set(bmp, astral, cp, QuickMaybe);
            }

            var full = new Dictionary<int, int[]>(singleLevel.Count);
            foreach (var cp in singleLevel.Keys)
            {
                var expanded = new List<int>(4);
                Expand(cp, singleLevel, expanded);
                full[cp] = [.. expanded];
            }

            return new Tables(bmp, astral, full, compositions);
        }

        /// <summary>The UAX #15 quick check: true only when the answer is a sure "yes".</summary>
        public bool IsNormalized(string text)
        {
            var lastClass = 0;
            for (var i = 0; i < text.Length; i++)
            {
                int cp = text[i];
                if (cp < 0x300)
                {
                    lastClass = 0;
                    continue;
                }

                if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    cp = char.ConvertToUtf32(text[i], text[i + 1]);
                    i++;
                }

                var info = Info(cp);
                var ccc = info & 0xFF;
                if ((ccc != 0 && lastClass > ccc) || (info & (QuickNo | QuickMaybe)) != 0)
                {
                    return false;
                }

                lastClass = ccc;
            }

            return true;
        }

        public string Compose(string text)
        {
            var buffer = new List<int>(text.Length + 8);
            for (var i = 0; i < text.Length; i++)
            {
                int cp = text[i];
                if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    cp = char.ConvertToUtf32(text[i], text[i + 1]);
                    i++;
                }

                Decompose(cp, buffer);
            }

            Reorder(buffer);
            ComposeInPlace(buffer);
            var builder = new StringBuilder(buffer.Count + 4);
            foreach (var cp in buffer)
            {
                if (cp < 0x10000)
                {
                    builder.Append((char)cp);
                }
                else
                {
                    builder.Append(char.ConvertFromUtf32(cp));
                }
            }

            var result = builder.ToString();
            return string.Equals(result, text, StringComparison.Ordinal) ? text : result;
        }

        private int Info(int cp) => cp < 0x10000 ? _bmp[cp] : _astral.GetValueOrDefault(cp);

        private int Class(int cp) => Info(cp) & 0xFF;

        private void Decompose(int cp, List<int> buffer)
        {
            if (cp >= SBase && cp < SBase + SCount)
            {
                var index = cp - SBase;
                buffer.Add(LBase + (index / NCount));
                buffer.Add(VBase + (index % NCount / TCount));
                if (index % TCount != 0)
                {
                    buffer.Add(TBase + (index % TCount));
                }

                return;
            }

            if (cp >= 0xC0 && _decompositions.TryGetValue(cp, out var mapping))
            {
                buffer.AddRange(mapping);
            }
            else
            {
                buffer.Add(cp);
            }
        }

        /// <summary>The canonical ordering: a stable sort of each run of non-starters by combining class.</summary>
        private void Reorder(List<int> buffer)
        {
            for (var i = 1; i < buffer.Count; i++)
            {
                var ccc = Class(buffer[i]);
                if (ccc == 0)
                {
                    continue;
                }

                var j = i;
                while (j > 0 && Class(buffer[j - 1]) > ccc)
                {
                    (buffer[j - 1], buffer[j]) = (buffer[j], buffer[j - 1]);
                    j--;
                }
            }
        }

        private void ComposeInPlace(List<int> buffer)
        {
            if (buffer.Count == 0)
            {
                return;
            }

            var starter = -1;
            var lastClass = -1;
            var write = 0;
            for (var read = 0; read < buffer.Count; read++)
            {
                var cp = buffer[read];
                var ccc = Class(cp);
                if (starter >= 0 && (lastClass < ccc || (lastClass == 0 && write - 1 == starter))
                    && TryCompose(buffer[starter], cp, out var composite))
                {
                    buffer[starter] = composite;
                    continue;
                }

                if (ccc == 0)
                {
                    starter = write;
                    lastClass = 0;
                }
                else
                {
                    lastClass = ccc;
                }

                buffer[write++] = cp;
            }

            buffer.RemoveRange(write, buffer.Count - write);
        }

        private bool TryCompose(int first, int second, out int composite)
        {
            if (first >= LBase && first < LBase + LCount && second >= VBase && second < VBase + VCount)
            {
                composite = SBase + ((((first - LBase) * VCount) + (second - VBase)) * TCount);
                return true;
            }

            if (first >= SBase && first < SBase + SCount && (first - SBase) % TCount == 0 && second > TBase && second < TBase + TCount)
            {
                composite = first + (second - TBase);
                return true;
            }

            return _compositions.TryGetValue(Key(first, second), out composite);
        }

        private static void Expand(int cp, Dictionary<int, int[]> singleLevel, List<int> into)
        {
            if (singleLevel.TryGetValue(cp, out var mapping))
            {
                foreach (var part in mapping)
                {
                    Expand(part, singleLevel, into);
                }
            }
            else
            {
                into.Add(cp);
            }
        }

        private static void Set(ushort[] bmp, Dictionary<int, ushort> astral, int cp, int bits)
        {
            if (cp < 0x10000)
            {
                bmp[cp] |= (ushort)bits;
            }
            else
            {
                astral[cp] = (ushort)(astral.GetValueOrDefault(cp) | bits);
            }
        }

        private static long Key(int first, int second) => ((long)first << 21) | (uint)second;

        private static int Hex(string value) => int.Parse(value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
