using Hub.Core.Users;

namespace Hub.Core.Tests.Users;

public sealed class GroupNamesTests
{
    [Theory]
    [InlineData("class-x")]
    [InlineData("Course 101/A")]
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData("Mathematik für alle")]
    public void Problem_NamesAProviderUses_None(string name) => Assert.Null(GroupNames.Problem(name));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData(" padded", "white space")]
    [InlineData("padded\t", "white space")]
    [InlineData("a\u0001b", "control")]
    [InlineData("a\u2028b", "control")]
    public void Problem_UnsafeNames_SaysWhy(string name, string why) =>
        Assert.Contains(why, GroupNames.Problem(name), StringComparison.Ordinal);

    [Fact]
    public void Problem_TooLong_SaysTheLimit()
    {
        Assert.Null(GroupNames.Problem(new string('g', GroupNames.MaxLength)));
        Assert.Contains("at most 256", GroupNames.Problem(new string('g', GroupNames.MaxLength + 1)), StringComparison.Ordinal);
    }
}
