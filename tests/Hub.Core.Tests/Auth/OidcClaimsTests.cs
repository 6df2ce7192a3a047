using Hub.Core.Auth;

namespace Hub.Core.Tests.Auth;

public sealed class OidcClaimsTests
{
    [Theory]
    [InlineData("groups", false, """{"groups":"src1"}""", null, true)]
    [InlineData("roles", false, """{"groups":"src1"}""", null, true)]
    [InlineData("groups", false, null, "true", true)]
    [InlineData("groups", false, null, "True", true)]
    [InlineData("groups", true, """{"groups":"src1"}""", "true", false)]
    [InlineData("groups", false, null, null, false)]
    [InlineData("groups", false, """{"email":"src1"}""", null, false)]
    [InlineData("groups", false, "not json", null, false)]
    [InlineData("groups", false, "[\"groups\"]", "false", false)]
    public void IndicatesGroupsOverage_OnlyWhenTheGroupsClaimIsMissingAndTheTokenSaysItWasLeftOut(string claim, bool hasGroups, string? claimNames, string? hasGroupsFlag, bool expected)
    {
        Assert.Equal(expected, OidcClaims.IndicatesGroupsOverage(claim, hasGroups, claimNames, hasGroupsFlag));
    }
}
