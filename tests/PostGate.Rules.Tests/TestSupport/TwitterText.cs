using YamlDotNet.Serialization;

namespace PostGate.Rules.Tests.TestSupport;

/// <summary>
/// twitter-text's conformance suites (<c>extract.yml</c>, <c>validate.yml</c>, Apache-2.0), read from the shared data
/// folder beside the repository: <c>../shared/data/twitter-text/</c>.
/// </summary>
internal static class TwitterText
{
    private static readonly Lazy<Dictionary<string, List<Dictionary<string, object?>>>> Extract = new(() => Load("extract.yml"));

    private static readonly Lazy<Dictionary<string, List<Dictionary<string, object?>>>> Validate = new(() => Load("validate.yml"));

    public static string PathOf(string file) => Repo.PathOf("..", "shared", "data", "twitter-text", file);

    /// <summary>The cases of one section of extract.yml: description, text and expected value, in file order.</summary>
    public static IReadOnlyList<Dictionary<string, object?>> ExtractCases(string section) => Extract.Value[section];

    /// <summary>The cases of one section of validate.yml.</summary>
    public static IReadOnlyList<Dictionary<string, object?>> ValidateCases(string section) => Validate.Value[section];

    /// <summary>Converts a code-point offset into <paramref name="text"/> to a UTF-16 offset (the yml counts code points).</summary>
    public static int Utf16Index(string text, int codePoints)
    {
        var index = 0;
        for (var i = 0; i < codePoints && index < text.Length; i++)
        {
            index += char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;
        }

        return index;
    }

    private static Dictionary<string, List<Dictionary<string, object?>>> Load(string file)
    {
        using var reader = new StreamReader(PathOf(file));
        var root = new DeserializerBuilder().Build().Deserialize<Dictionary<string, Dictionary<string, List<Dictionary<string, object?>>>>>(reader);
        return root["tests"];
    }
}
