using Hub.Core.Auth;
using Hub.Core.Configuration;
using Hub.Core.Hosting;
using Hub.Core.Store;

namespace Hub.Core.Tests.Auth;

public sealed class LoginAccessPolicyTests
{
    [Fact]
    public void Decide_ListsAndGroups()
    {
        var policy = new LoginAccessPolicy(new AuthOptions
        {
            Authenticator = AuthenticatorKind.Oidc,
            AllowedUsers = ["Alice"],
            BlockedUsers = ["eve"],
            AdminUsers = ["root", "eve"],
            AllowedGroups = ["course"],
            AdminGroups = ["staff"],
        });

        Assert.Equal(new LoginDecision(true, false), policy.Decide(new("alice"), existingUser: false));
        Assert.Equal(LoginDecision.Refused, policy.Decide(new("bob"), existingUser: false));
        Assert.Equal(new LoginDecision(true, false), policy.Decide(new("bob"), existingUser: true));
        Assert.Equal(new LoginDecision(true, false), policy.Decide(new("carl", Groups: ["course"]), existingUser: false));
        Assert.Equal(new LoginDecision(true, true), policy.Decide(new("dina", Groups: ["staff"]), existingUser: false));
        Assert.Equal(new LoginDecision(true, true), policy.Decide(new("root"), existingUser: false));
        Assert.Equal(LoginDecision.Refused, policy.Decide(new("eve"), existingUser: true));
    }

    [Fact]
    public void Admits_AnExistingUserWhoIsNotBlocked()
    {
        var policy = new LoginAccessPolicy(new AuthOptions { Authenticator = AuthenticatorKind.Oidc, BlockedUsers = ["Eve"] });
        var created = DateTimeOffset.UnixEpoch;

        Assert.True(policy.Admits(new UserRecord { Name = "alice", Created = created }));
        Assert.False(policy.Admits(new UserRecord { Name = "eve", Created = created }));
        Assert.False(policy.Admits(null));
    }

    [Fact]
    public void Decide_DummyWithoutAllowList_AdmitsEveryone()
    {
        var policy = new LoginAccessPolicy(new AuthOptions());

        Assert.True(policy.Decide(new("anyone"), existingUser: false).Allowed);
    }

    [Fact]
    public void Validate_BadCombinations_NameEveryKey()
    {
        var problems = new SettingsProblems();
        var options = new AuthOptions { Authenticator = AuthenticatorKind.SharedPassword, SharedPassword = "short", AdminPassword = "also-short" };
        options.Validate(problems);
        new AuthOptions { Authenticator = AuthenticatorKind.Entra }.Validate(problems);
        var reported = new List<string>();
        new AuthOptions().Validate(new HubOptions { Mode = HubMode.Azure }, (key, problem) => reported.Add(key + " " + problem));
        new EntraOptions { UserNameClaim = "name" }.ValidateWhenUsed((key, problem) => reported.Add(key + " " + problem));

        string all = string.Join("\n", problems.Messages.Concat(reported));
        Assert.Contains("Auth__SharedPassword must have at least 8 characters", all, StringComparison.Ordinal);
        Assert.Contains("Auth__AdminPassword must have at least 32 characters", all, StringComparison.Ordinal);
        Assert.Contains("Auth__AllowAll is false", all, StringComparison.Ordinal);
        Assert.Contains("Auth__Authenticator is dummy", all, StringComparison.Ordinal);
        Assert.Contains("Entra__UserNameClaim cannot be 'name'", all, StringComparison.Ordinal);
        Assert.Contains("Entra__TenantId must be set", all, StringComparison.Ordinal);
        Assert.DoesNotContain("also-short", all, StringComparison.Ordinal);
    }
}
