using Hub.Core.Auth;
using Hub.Core.Services;
using Microsoft.Extensions.Configuration;

namespace Hub.Core.Tests.Services;

public sealed class ServicesSettingsTests
{
    private const string Token = "0123456789abcdef0123456789abcdef";

    private static (IReadOnlyList<ServiceDefinition> Services, List<string> Problems) Bind(Dictionary<string, string?> values, bool requireTokens = true)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var problems = new List<string>();
        var services = ServicesSettings.Bind(configuration, (key, problem) => problems.Add(key + " " + problem), requireTokens);
        return (services, problems);
    }

    [Fact]
    public void Bind_AGoodService_HasEveryValue()
    {
        var (services, problems) = Bind(new()
        {
            ["Services:0:Name"] = "grader",
            ["Services:0:ApiToken"] = Token,
            ["Services:0:Roles"] = "admin",
            ["Services:0:Scopes"] = "list:users, read:users:activity!group=physics",
            ["Services:0:Url"] = "http://10.0.0.5:8000/",
            ["Services:0:Display"] = "false",
            ["Services:0:Info:Docs"] = "https://example.org/grader",
            ["Services:0:AccessGroups"] = "teachers,tas",
        });

        Assert.Empty(problems);
        var grader = Assert.Single(services);
        Assert.Equal("grader", grader.Name);
        Assert.True(grader.Admin);
        Assert.Equal(["list:users", "read:users:activity!group=physics"], grader.Scopes);
        Assert.Equal(new Uri("http://10.0.0.5:8000/"), grader.Url);
        Assert.False(grader.Display);
        Assert.Equal("https://example.org/grader", grader.Info["Docs"]);
        Assert.Equal(["teachers", "tas"], grader.AccessGroups);
        Assert.Equal("/services/grader/oauth_callback", grader.OAuthRedirectPath);
    }

    [Fact]
    public void Bind_EveryProblemNamedByItsKey_AndNoTokenInAnyMessage()
    {
        var (services, problems) = Bind(new()
        {
            ["Services:0:Name"] = "culler",
            ["Services:0:ApiToken"] = Token,
            ["Services:1:Name"] = "culler",
            ["Services:1:ApiToken"] = Token + "x",
            ["Services:2:Name"] = "Grader!",
            ["Services:2:ApiToken"] = "tooshortsecret",
            ["Services:3:Name"] = "a",
            ["Services:3:ApiToken"] = Token + "y",
            ["Services:3:Roles"] = "user,teacher",
            ["Services:3:Scopes"] = "self,access:servers!server,read:nothing",
            ["Services:3:Url"] = "http://user:pw@host/",
            ["Services:3:Display"] = "maybe",
            ["Services:3:Tokn"] = "x",
            ["Services:4:Name"] = "b",
            ["Services:4:ApiToken"] = Token,
            ["Services:x:Name"] = "c",
        });

        Assert.Equal(["culler"], services.Select(s => s.Name));
        Assert.Contains("Services__1__Name repeats the service name 'culler' of Services__0__Name", problems);
        Assert.Contains(problems, p => p.StartsWith("Services__2__Name must be lower-case letters", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Services__2__ApiToken must have 32 to 256 characters", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Services__3__Roles cannot hold 'user'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Services__3__Roles has 'teacher', which is not a role", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Services__3__Scopes cannot hold 'self'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Services__3__Scopes cannot hold 'access:servers!server'", StringComparison.Ordinal));
        Assert.Contains("Services__3__Scopes has a bad scope: 'read:nothing' is not a scope.", problems);
        Assert.Contains("Services__3__Url must have no user name, password, query or fragment", problems);
        Assert.Contains("Services__3__Display must be true or false, not 'maybe'", problems);
        Assert.Contains(problems, p => p.StartsWith("Services__3__Tokn is not a setting this app reads", StringComparison.Ordinal));
        Assert.Contains("Services__4__ApiToken is the same token as Services__0__ApiToken: each service needs its own", problems);
        Assert.Contains(problems, p => p.StartsWith("Services__x is not a setting this app reads", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains(Token, StringComparison.Ordinal) || p.Contains("tooshortsecret", StringComparison.Ordinal));
    }

    [Fact]
    public void Bind_TheGateway_NeedsNoToken()
    {
        var (services, problems) = Bind(new() { ["Services:0:Name"] = "grader", ["Services:0:Url"] = "https://grader.internal" }, requireTokens: false);
        var (_, controlPlane) = Bind(new() { ["Services:0:Name"] = "grader" });

        Assert.Empty(problems);
        Assert.Null(Assert.Single(services).ApiToken);
        Assert.Contains(controlPlane, p => p.StartsWith("Services__0__ApiToken must be set", StringComparison.Ordinal));
    }

    [Fact]
    public void Catalog_FindsAServiceByItsExactTokenOnly()
    {
        var (services, _) = Bind(new()
        {
            ["Services:0:Name"] = "culler", ["Services:0:ApiToken"] = Token,
            ["Services:1:Name"] = "grader", ["Services:1:ApiToken"] = Token + "-grader",
        });
        var catalog = new ServiceCatalog(services);

        Assert.Equal("culler", catalog.FindByToken(Token)?.Name);
        Assert.Equal("grader", catalog.FindByToken(Token + "-grader")?.Name);
        Assert.Null(catalog.FindByToken(Token[..^1]));
        Assert.Null(catalog.FindByToken(Token.ToUpperInvariant()));
        Assert.Null(ServiceCatalog.Empty.FindByToken(Token));
    }

    [Fact]
    public void ServiceFilter_NarrowsAccessToOneService()
    {
        var one = ScopeSet.FromScopes(["access:services!service=grader"], "alice", null);
        var admin = ScopeSet.ForUser(new Store.UserRecord { Name = "root", Admin = true, Created = DateTimeOffset.UnixEpoch });
        var grader = new ServiceDefinition("grader", null, [], [], null, true, new Dictionary<string, string>(), ["teachers"]);
        var culler = grader with { Name = "culler", AccessGroups = [] };

        Assert.True(one.AllowsService("access:services", "grader"));
        Assert.False(one.AllowsService("access:services", "culler"));
        Assert.False(one.Allows("access:services", "grader", []));
        Assert.True(admin.AllowsService("access:services", "anything"));
        Assert.False(Scope.TryParse("access:services!service", out _, out _));
        var catalog = new ServiceCatalog([grader, culler, grader with { Name = "notes", AccessGroups = ["*"] }]);
        var teacher = catalog.ScopesOf(new Store.UserRecord { Name = "tina", Created = DateTimeOffset.UnixEpoch, Groups = ["teachers"] });
        var student = catalog.ScopesOf(new Store.UserRecord { Name = "sam", Created = DateTimeOffset.UnixEpoch, Groups = ["physics"] });
        Assert.True(ServiceAccess.MayOpen(teacher, grader));
        Assert.False(ServiceAccess.MayOpen(teacher, culler));
        Assert.False(ServiceAccess.MayOpen(student, grader));
        Assert.True(ServiceAccess.MayOpen(student, catalog.Find("notes")!));
        Assert.True(ServiceAccess.MayOpen(admin, culler));
        Assert.True(teacher.Allows("servers", "tina", []));
    }
}
