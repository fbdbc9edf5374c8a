using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using PostGate.Rules.Engine;
using PostGate.Rules.Policy;
using Xunit;
using Xunit.Abstractions;

namespace PostGate.Rules.Tests.Quality;

/// <summary>
/// Precision and recall of "verdict is not allow" against the spam label of the YouTube Spam Collection
/// (../shared/data/youtube-spam). Run: dotnet test tests/PostGate.Rules.Tests --filter Category=Quality --logger "console;verbosity=detailed".
/// </summary>
[Trait("Category", "Quality")]
public sealed partial class YouTubeSpamReport(ITestOutputHelper output)
{
    private static readonly string[] Files = ["Youtube01-Psy.csv", "Youtube02-KatyPerry.csv", "Youtube03-LMFAO.csv"];

    [Fact]
    public void DefaultPolicy_OnYouTubeSpam_FlagsMostSpamAndLittleHam()
    {
        var policy = PolicyLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "policies", "default.json"));
        var at = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        var total = new Counts();
        var held = new Counts();
        var byRule = new Dictionary<string, (int Spam, int Ham)>(StringComparer.Ordinal);
        foreach (var file in Files)
        {
            var counts = new Counts();
            foreach (var (text, spam) in ReadComments(Path.Combine(DataFolder(), file)))
            {
                var draft = new Draft { AccountId = "youtube", Channel = Channel.Other, Text = text, ScheduledAt = at };
                var evaluation = PolicyEngine.Evaluate(draft, [], policy);
                var flagged = evaluation.Verdict != Verdict.Allow;
                counts.Add(flagged, spam);
                total.Add(flagged, spam);
                held.Add(evaluation.Verdict >= Verdict.Review, spam);
                foreach (var ruleId in evaluation.Findings.Select(f => f.RuleId).Distinct())
                {
                    var (s, h) = byRule.GetValueOrDefault(ruleId);
                    byRule[ruleId] = spam ? (s + 1, h) : (s, h + 1);
                }
            }

            output.WriteLine(counts.Format(file));
        }

        output.WriteLine(total.Format("all three files, verdict not allow"));
        output.WriteLine(held.Format("all three files, verdict review or block"));
        foreach (var (ruleId, (spam, ham)) in byRule.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {ruleId}: fired on {spam} spam and {ham} ham comments"));
        }

        // Floors that the default policy meets; a change that drops below them is a regression in quality.
        Assert.True(total.Precision >= 0.80, total.Format("precision below 0.80"));
        Assert.True(total.Recall >= 0.55, total.Format("recall below 0.55"));
        Assert.True(held.Precision >= 0.95, held.Format("review/block precision below 0.95"));
    }

    private static string DataFolder()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PostGate.sln")))
        {
            directory = directory.Parent;
        }

        var folder = directory is null ? null : Path.Combine(directory.FullName, "..", "shared", "data", "youtube-spam");
        if (folder is null || !Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException("../shared/data/youtube-spam beside the repository is needed for the quality report.");
        }

        return folder;
    }

    /// <summary>The comments as a reader sees them: HTML entities decoded, markup dropped, with the spam label.</summary>
    internal static IEnumerable<(string Text, bool Spam)> ReadComments(string path)
    {
        var rows = ParseCsv(File.ReadAllText(path, Encoding.UTF8));
        var header = rows[0];
        var content = Array.IndexOf(header, "CONTENT");
        var label = Array.IndexOf(header, "CLASS");
        foreach (var row in rows.Skip(1))
        {
            if (row.Length <= Math.Max(content, label))
            {
                continue;
            }

            var html = Markup().Replace(row[content].Replace("<br />", "\n", StringComparison.Ordinal), " ");
            var text = WebUtility.HtmlDecode(html).Trim();
            if (text.Length > 0)
            {
                yield return (text, row[label].Trim() == "1");
            }
        }
    }

    /// <summary>RFC 4180: quoted fields may hold commas, doubled quotes and line breaks.</summary>
    internal static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                fields.Add(field.ToString());
                field.Clear();
                rows.Add([.. fields]);
                fields.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            rows.Add([.. fields]);
        }

        return rows;
    }

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Markup();

    private sealed class Counts
    {
        public int TruePositives { get; private set; }

        public int FalsePositives { get; private set; }

        public int FalseNegatives { get; private set; }

        public int TrueNegatives { get; private set; }

        public double Precision => TruePositives + FalsePositives == 0 ? 0 : (double)TruePositives / (TruePositives + FalsePositives);

        public double Recall => TruePositives + FalseNegatives == 0 ? 0 : (double)TruePositives / (TruePositives + FalseNegatives);

        public void Add(bool flagged, bool spam)
        {
            if (flagged && spam)
            {
                TruePositives++;
            }
            else if (flagged)
            {
                FalsePositives++;
            }
            else if (spam)
            {
                FalseNegatives++;
            }
            else
            {
                TrueNegatives++;
            }
        }

        public string Format(string name) => string.Create(
            CultureInfo.InvariantCulture,
            $"{name}: precision {Precision:0.000}, recall {Recall:0.000} (spam flagged {TruePositives}, spam missed {FalseNegatives}, ham flagged {FalsePositives}, ham passed {TrueNegatives})");
    }
}
