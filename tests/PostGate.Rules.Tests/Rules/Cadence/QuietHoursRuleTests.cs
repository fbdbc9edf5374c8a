using PostGate.Rules.Engine;
using PostGate.Rules.Tests.TestSupport;
using Xunit;

namespace PostGate.Rules.Tests.Rules.Cadence;

public sealed class QuietHoursRuleTests
{
    private const string Rule = "cadence/quiet-hours";
    private const string Text = "Spring notes are up.";
    private const string NewYork = """ "timeZone": "America/New_York" """;

    [Fact]
    public void Evaluate_AnnouncementAtTenAtNightInNewYork_ReportsPG304()
    {
        // NOTE: 03:00 UTC on 2 March is 22:00 the evening before in New York (EST, UTC-5).
        var draft = Drafts.Post(Text, at: Utc(2026, 3, 2, 3, 0));

        var finding = Gate.Check(Policies.Only(Rule, scope: NewYork), draft).Single("PG304");

        Assert.Equal(Severity.Coach, finding.Severity);
        Assert.Empty(finding.Spans);
        Assert.Equal(["22:00 America/New_York"], finding.Evidence);
        Assert.Equal("This goes out at 22:00 (America/New_York), inside the quiet hours 22:00-07:00.", finding.Message);
        Assert.Equal(
            "This goes out at 22:00 in the account's time zone, while most followers sleep and nobody is there to answer them. Schedule it after 07:00.",
            finding.Coaching);
    }

    public static TheoryData<DateTimeOffset, string, string, string?> Cases => new()
    {
        // scheduled at, options, scope, local time reported (null: no finding)
        { Utc(2026, 3, 2, 21, 59), "{}", "", null },                                   // a minute before the quiet hours
        { Utc(2026, 3, 2, 22, 0), "{}", "", "22:00" },                                 // the start is quiet
        { Utc(2026, 3, 2, 23, 59), "{}", "", "23:59" },
        { Utc(2026, 3, 3, 0, 0), "{}", "", "00:00" },                                  // the window runs over midnight
        { Utc(2026, 3, 3, 6, 59), "{}", "", "06:59" },
        { Utc(2026, 3, 3, 7, 0), "{}", "", null },                                     // the end is not
        { Utc(2026, 3, 2, 12, 0), "{}", "", null },
        { new DateTimeOffset(2026, 3, 2, 22, 30, 0, TimeSpan.FromHours(-5)), "{}", "", "03:30" }, // the instant counts, not the offset it was written with
        { Utc(2026, 3, 2, 8, 59), """{ "start": "09:00", "end": "17:00" }""", "", null }, // a window inside one day
        { Utc(2026, 3, 2, 9, 0), """{ "start": "09:00", "end": "17:00" }""", "", "09:00" },
        { Utc(2026, 3, 2, 16, 59), """{ "start": "09:00", "end": "17:00" }""", "", "16:59" },
        { Utc(2026, 3, 2, 17, 0), """{ "start": "09:00", "end": "17:00" }""", "", null },
        { Utc(2026, 3, 2, 8, 0), """{ "start": "08:00", "end": "08:00" }""", "", null }, // start equal to end: no quiet hours
        { Utc(2026, 3, 2, 3, 0), """{ "severity": "off" }""", "", null },
        { Utc(2026, 3, 2, 2, 59), "{}", NewYork, null },                               // 21:59 EST, a minute before the quiet hours
        { Utc(2026, 3, 2, 11, 59), "{}", NewYork, "06:59" },                           // 06:59 EST
        { Utc(2026, 3, 2, 12, 0), "{}", NewYork, null },                               // 07:00 EST
        { Utc(2026, 3, 2, 23, 0), "{}", NewYork, null },                               // quiet in UTC, 18:00 in New York
        { Utc(2026, 7, 1, 2, 30), "{}", NewYork, "22:30" },                            // summer: EDT, UTC-4
        { Utc(2026, 7, 1, 10, 59), "{}", NewYork, "06:59" },
        { Utc(2026, 7, 1, 11, 0), "{}", NewYork, null },                               // 07:00 EDT; it would be 06:00 in winter
        { Utc(2026, 3, 2, 16, 29), "{}", """ "timeZone": "Asia/Kolkata" """, null },   // 21:59 IST, UTC+5:30
        { Utc(2026, 3, 2, 16, 30), "{}", """ "timeZone": "Asia/Kolkata" """, "22:00" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_ReportsAnnouncementsInsideTheQuietHoursOfTheAccountsTimeZone(DateTimeOffset at, string options, string scope, string? local)
    {
        var evaluation = Gate.Check(Policies.Only(Rule, options, scope), Drafts.Post(Text, at: at));

        var finding = evaluation.Findings.SingleOrDefault(f => f.RuleId == "PG304");
        Assert.Equal(local, finding?.Evidence.Single().Split(' ')[0]);
    }

    [Fact]
    public void Evaluate_ReplyAtNight_IsNotReported()
    {
        // NOTE: a customer who writes at night deserves an answer at night.
        var draft = Drafts.Reply(Text) with { ScheduledAt = Utc(2026, 3, 2, 3, 0) };

        Assert.Empty(Gate.Check(Policies.Only(Rule), draft).Findings);
    }

    [Fact]
    public void Evaluate_AccountTimeZone_OverridesThePolicys()
    {
        var policy = Policies.Only(Rule, scope: $$"""{{NewYork}}, "accounts": { "acme-jp": { "timeZone": "Asia/Tokyo" } }""");
        var at = Utc(2026, 3, 2, 14, 0);

        var tokyo = Gate.Check(policy, Drafts.Post(Text, at: at) with { AccountId = "acme-jp" });
        var newYork = Gate.Check(policy, Drafts.Post(Text, at: at));

        Assert.Equal(["23:00 Asia/Tokyo"], tokyo.Single("PG304").Evidence);
        Assert.Empty(newYork.Findings);
    }

    [Theory]
    [InlineData("""{ "start": "7:00" }""", "start: must be a time of day as HH:mm (was '7:00')")]
    [InlineData("""{ "start": "24:00" }""", "start: must be a time of day as HH:mm (was '24:00')")]
    [InlineData("""{ "end": "07:00:00" }""", "end: must be a time of day as HH:mm (was '07:00:00')")]
    [InlineData("""{ "end": "" }""", "end: must be a time of day as HH:mm (was '')")]
    [InlineData("""{ "end": "7am" }""", "end: must be a time of day as HH:mm (was '7am')")]
    [InlineData("""{ "start": null }""", "start: must not be null")]
    [InlineData("""{ "start": 22 }""", "start: has the wrong type or an unknown value")]
    public void Load_InvalidOptions_NamesThePath(string options, string expected)
    {
        Assert.Equal([$"$.rules['{Rule}'].{expected}"], Policies.ErrorsOf($$"""{ "name": "t", "rules": { "{{Rule}}": {{options}} } }"""));
    }

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);
}
