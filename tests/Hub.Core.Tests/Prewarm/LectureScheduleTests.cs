using Hub.Core.Configuration;
using Hub.Core.Prewarm;

namespace Hub.Core.Tests.Prewarm;

public sealed class LectureScheduleTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeSpan Lead = TimeSpan.FromMinutes(10);

    private static IReadOnlyList<Lecture> Parse(string text)
    {
        var problems = new SettingsProblems();
        var lectures = LectureSchedule.Parse(text, problems);
        Assert.Empty(problems.Messages);
        return lectures;
    }

    [Fact]
    public void Parse_Entries_GiveDaysTimeAndAudience()
    {
        var lectures = Parse("mon,wed 09:00 group:course-101; fri 14:30 users:alice,bob;weekdays 8:15 users:carol");

        Assert.Equal(3, lectures.Count);
        Assert.Equal(new HashSet<DayOfWeek> { DayOfWeek.Monday, DayOfWeek.Wednesday }, lectures[0].Days);
        Assert.Equal(new TimeOnly(9, 0), lectures[0].Start);
        Assert.Equal("course-101", lectures[0].Audience.Group);
        Assert.Equal(new TimeOnly(14, 30), lectures[1].Start);
        Assert.Equal(5, lectures[2].Days.Count);
        Assert.Equal(["carol"], lectures[2].Audience.Users);
    }

    [Fact]
    public void Parse_UsersListWithSpaces_IsRejectedAsFourParts()
    {
        var problems = new SettingsProblems();

        LectureSchedule.Parse("fri 14:30 users:alice, bob", problems);

        Assert.Contains("expected three parts", Assert.Single(problems.Messages), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("funday 09:00 group:x", "'funday' is not a day")]
    [InlineData("mon 25:00 group:x", "'25:00' is not a time")]
    [InlineData("mon 09:00 course-101", "does not say who")]
    [InlineData("mon 09:00", "expected three parts")]
    [InlineData("mon 09:00 group:", "does not say who")]
    public void Parse_BadEntry_NamesEntryAndProblem(string text, string expected)
    {
        var problems = new SettingsProblems();

        LectureSchedule.Parse("daily 10:00 group:ok; " + text, problems);

        string message = Assert.Single(problems.Messages);
        Assert.StartsWith("Prewarm__Lectures entry 2", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, bool> Windows => new()
    {
        // Berlin is UTC+1 in November: a 09:00 lecture starts at 08:00 UTC.
        { "2026-11-23T07:49:59Z", "Monday 08:49:59 Berlin: before the window", false },
        { "2026-11-23T07:50:00Z", "Monday 08:50 Berlin: the window opens", true },
        { "2026-11-23T07:59:59Z", "Monday 08:59:59 Berlin: still open", true },
        { "2026-11-23T08:00:00Z", "Monday 09:00 Berlin: the lecture started, too late to warm", false },
        { "2026-11-24T07:55:00Z", "Tuesday: no lecture", false },
        { "2026-11-25T07:55:00Z", "Wednesday: lecture", true },
        // Summer time (UTC+2): the lecture stays at 09:00 wall-clock time.
        { "2026-06-01T06:55:00Z", "a Monday in June, 08:55 Berlin", true },
        { "2026-06-01T07:55:00Z", "a Monday in June, 09:55 Berlin", false },
    };

    [Theory]
    [MemberData(nameof(Windows))]
    public void Due_Windows(string utc, string situation, bool expected)
    {
        var lectures = Parse("mon,wed 09:00 group:course-101");

        var due = LectureSchedule.Due(lectures, DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), Berlin, Lead);

        Assert.True(expected == (due.Count == 1), situation);
    }

    [Fact]
    public void Due_WindowAcrossMidnight_FindsTomorrowsLecture()
    {
        var lectures = Parse("tue 00:05 users:night-owl");

        var due = LectureSchedule.Due(lectures, new DateTimeOffset(2026, 11, 23, 22, 58, 0, TimeSpan.Zero), Berlin, Lead);

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 23, 5, 0, TimeSpan.Zero), Assert.Single(due).StartsAt);
    }

    [Fact]
    public void Options_UnknownTimeZoneAndBadLead_AreNamed()
    {
        var problems = new SettingsProblems();

        new PrewarmOptions { TimeZone = "Mars/Olympus", LeadTime = TimeSpan.FromHours(5) }.Validate(problems);

        Assert.Equal(2, problems.Messages.Count);
        Assert.StartsWith("Prewarm__TimeZone", problems.Messages[0], StringComparison.Ordinal);
        Assert.StartsWith("Prewarm__LeadTime", problems.Messages[1], StringComparison.Ordinal);
    }
}
