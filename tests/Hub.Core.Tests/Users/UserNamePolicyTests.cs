using System.Diagnostics;
using Hub.Core.Configuration;
using Hub.Core.Users;

namespace Hub.Core.Tests.Users;

public sealed class UserNamePolicyTests
{
    private static readonly UserNamePolicy AnyName = new(new UserNameOptions());

    [Theory]
    [InlineData("Alice", "alice")]
    [InlineData("  Bob@Example.COM ", "bob@example.com")]
    [InlineData("ÉLODIE", "élodie")]
    [InlineData("e\u0301lodie", "élodie")]
    [InlineData("a/b#c?d\\e", "a/b#c?d\\e")]
    [InlineData("名前", "名前")]
    public void Normalize_ValidName_FoldsAsJupyterHub(string raw, string expected)
    {
        Assert.Equal(expected, AnyName.Normalize(raw));
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData(".", "'.' and '..'")]
    [InlineData("..", "'.' and '..'")]
    [InlineData("tab\there", "control characters")]
    [InlineData("line\u2028break", "control characters")]
    [InlineData("nul\0", "control characters")]
    public void TryNormalize_InvalidName_SaysWhy(string? raw, string expected)
    {
        Assert.False(AnyName.TryNormalize(raw, out _, out string problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryNormalize_TooLong_IsRefusedAndMessageIsCapped()
    {
        string raw = new('x', 10_000);

        Assert.False(AnyName.TryNormalize(raw, out _, out string problem));
        Assert.Contains("at most 256", problem, StringComparison.Ordinal);
        Assert.True(problem.Length < 200);
    }

    [Fact]
    public void TryNormalize_256CodePoints_IsAccepted()
    {
        Assert.True(AnyName.TryNormalize(string.Concat(Enumerable.Repeat("🎓", 256)), out _, out _));
    }

    [Fact]
    public void Normalize_WithPattern_RefusesOthers()
    {
        var policy = new UserNamePolicy(new UserNameOptions { NamePattern = "^[a-z][a-z0-9]*$" });

        Assert.Equal("student1", policy.Normalize("Student1"));
        var error = Assert.Throws<InvalidUserNameException>(() => policy.Normalize("1student"));
        Assert.Contains("must match ^[a-z][a-z0-9]*$", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryNormalize_PatternThatWouldBacktrackExponentially_AnswersInLinearTime()
    {
        // (a+)+$ against a run of a's ending in '!' takes exponential time in a backtracking engine.
        var policy = new UserNamePolicy(new UserNameOptions { NamePattern = "^(a+)+$" });
        var clock = Stopwatch.StartNew();

        bool accepted = policy.TryNormalize(new string('a', 200) + "!", out _, out string problem);

        Assert.False(accepted);
        Assert.Contains("must match", problem, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("^(a)\\1$")]
    [InlineData("^(?=a)[a-z]+$")]
    public void Validate_PatternThatCannotBeMatchedInLinearTime_IsAProblemNamingTheSetting(string pattern)
    {
        var problems = new SettingsProblems();

        new UserNameOptions { NamePattern = pattern }.Validate(problems);

        var message = Assert.Single(problems.Messages);
        Assert.StartsWith("Users__NamePattern uses a construct that cannot be matched in linear time", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_PatternMatchingOnlyPart_IsRefused()
    {
        var policy = new UserNamePolicy(new UserNameOptions { NamePattern = "[a-z]+" });

        Assert.False(policy.TryNormalize("abc!", out _, out _));
    }

    [Theory]
    [InlineData("Alice")]
    [InlineData(" alice")]
    public void WellFormednessProblem_NotFolded_IsReported(string name)
    {
        Assert.NotNull(UserNamePolicy.WellFormednessProblem(name));
    }
}
