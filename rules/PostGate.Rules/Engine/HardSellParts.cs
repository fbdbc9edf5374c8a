using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace PostGate.Rules.Engine;

/// <summary>
/// The parts of a hard-sell score by category, in ordinal order of the category, in one array: a draft has a few
/// categories at most, so a search through them beats a tree or a hash table and takes two objects instead of five.
/// </summary>
internal sealed class HardSellParts : IReadOnlyDictionary<string, int>
{
    private readonly KeyValuePair<string, int>[] _parts;

    /// <summary>The parts, in ordinal order of their category, as <see cref="Builder.ToArray"/> gives them.</summary>
    public HardSellParts(KeyValuePair<string, int>[] parts) => _parts = parts;

    public int Count => _parts.Length;

    public IEnumerable<string> Keys
    {
        get
        {
            var keys = new string[_parts.Length];
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = _parts[i].Key;
            }

            return keys;
        }
    }

    public IEnumerable<int> Values
    {
        get
        {
            var values = new int[_parts.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = _parts[i].Value;
            }

            return values;
        }
    }

    public int this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No hard-sell part '{key}'.");

    public bool ContainsKey(string key) => IndexOf(_parts, key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out int value)
    {
        var index = IndexOf(_parts, key);
        value = index >= 0 ? _parts[index].Value : 0;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, int>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, int>>)_parts).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static int IndexOf(ReadOnlySpan<KeyValuePair<string, int>> parts, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        for (var i = 0; i < parts.Length; i++)
        {
            if (string.Equals(parts[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Gathers the parts in ordinal order of their category, in a list of this thread's (one draft at a time is scored on a thread).</summary>
    internal struct Builder
    {
        [ThreadStatic]
        private static List<KeyValuePair<string, int>>? t_parts;

        private List<KeyValuePair<string, int>>? _parts;

        public readonly bool IsEmpty => _parts is null;

        private List<KeyValuePair<string, int>> Parts => _parts ??= TakeList();

        /// <summary>The parts gathered, in ordinal order of their category; the builder is left empty.</summary>
        public KeyValuePair<string, int>[] ToArray()
        {
            var parts = Parts.ToArray();
            Parts.Clear();
            return parts;
        }

        /// <summary>Adds <paramref name="weight"/> to the category's part.</summary>
        public void Add(string category, int weight)
        {
            var index = Find(category);
            if (index >= 0)
            {
                Parts[index] = new(category, Parts[index].Value + weight);
            }
            else
            {
                Parts.Insert(~index, new(category, weight));
            }
        }

        /// <summary>Sets the category's part to <paramref name="value"/>.</summary>
        public void Set(string category, int value)
        {
            var index = Find(category);
            if (index >= 0)
            {
                Parts[index] = new(category, value);
            }
            else
            {
                Parts.Insert(~index, new(category, value));
            }
        }

        private int Find(string category)
        {
            var parts = Parts;
            for (var i = 0; i < parts.Count; i++)
            {
                var order = string.CompareOrdinal(parts[i].Key, category);
                if (order == 0)
                {
                    return i;
                }

                if (order > 0)
                {
                    return ~i;
                }
            }

            return ~parts.Count;
        }

        private static List<KeyValuePair<string, int>> TakeList()
        {
            var list = t_parts ??= [];
            list.Clear();
            return list;
        }
    }
}
