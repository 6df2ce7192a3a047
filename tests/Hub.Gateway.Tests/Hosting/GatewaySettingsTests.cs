using Hub.Core.Configuration;
using Hub.Gateway.Hosting;
using Microsoft.Extensions.Configuration;

namespace Hub.Gateway.Tests.Hosting;

public sealed class GatewaySettingsTests
{
    [Fact]
    public void Bind_SeveralBadValues_ReportsEveryOneByKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:ControlPlaneUrl"] = "ftp://control",
            ["Gateway:CredentialCacheDuration"] = "1m",
            ["Gateway:RouteRefreshInterval"] = "soon",
            ["Gateway:BackendResponseTimeout"] = "0s",
            ["Gateway:ListenUrl"] = "http://hub.example:8000",
            ["Gateway:RouteRefreshIntervl"] = "1s",
        }).Build();
        var settings = new AppSettings(configuration);

        GatewaySettings.Bind(settings);

        var problems = settings.Problems;
        Assert.Contains(problems, p => p.StartsWith("Gateway__ControlPlaneUrl must be an http(s) URL", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Gateway__CredentialCacheDuration must be between 00:00:00 and 00:00:05", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Gateway__RouteRefreshInterval must be a duration", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Gateway__BackendResponseTimeout must be between", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Gateway__ListenUrl must name an IP address or localhost", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Gateway__RouteRefreshIntervl is not a setting this app reads (did you mean Gateway__RouteRefreshInterval?)", StringComparison.Ordinal));
    }

    [Fact]
    public void Bind_UnknownActivitySource_IsNamedWithTheChoices()
    {
        var settings = new AppSettings(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Culler:ActivitySource"] = "clicks",
        }).Build());

        GatewaySettings.Bind(settings);

        Assert.Contains(settings.Problems, p => p.StartsWith("Culler__ActivitySource must be one of user, traffic, not 'clicks'", StringComparison.Ordinal));
    }

    [Fact]
    public void Bind_ActivitySource_IsTheCullersOwnSetting()
    {
        var settings = new AppSettings(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Culler:ActivitySource"] = "traffic",
        }).Build());

        var bound = GatewaySettings.Bind(settings);

        Assert.Empty(settings.Problems);
        Assert.Equal(Hub.Core.Culling.ActivitySource.Traffic, bound.Culler.ActivitySource);
        Assert.Equal(Hub.Core.Culling.ActivitySource.User, new Hub.Core.Culling.CullerOptions().ActivitySource);
    }

    [Fact]
    public void Bind_Defaults_HaveNoProblems()
    {
        var settings = new AppSettings(new ConfigurationBuilder().Build());

        var bound = GatewaySettings.Bind(settings);

        Assert.Empty(settings.Problems);
        Assert.Equal(new Uri("http://127.0.0.1:8081"), bound.Gateway.ControlPlaneUrl);
        Assert.True(bound.Gateway.CredentialCacheDuration <= TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Bind_AuthSection_ReadsOnlyBlockedUsersAndPassesTheControlPlanesKeys()
    {
        // ./hub run and local.settings.json give both apps the same settings.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:BlockedUsers"] = "Mallory, eve",
            ["Auth:Authenticator"] = "shared-password",
            ["Auth:SharedPassword"] = "workshop-2026",
            ["Auth:BlockedUser"] = "typo",
        }).Build();
        var settings = new AppSettings(configuration);

        var bound = GatewaySettings.Bind(settings);

        Assert.Equal(["Mallory", "eve"], bound.Auth.BlockedUsers);
        Assert.Equal("", bound.Auth.SharedPassword);
        Assert.Equal(["Auth__BlockedUsers"], GatewaySettings.Describe().Where(s => s.Key.StartsWith("Auth__", StringComparison.Ordinal)).Select(s => s.Key));
        var problem = Assert.Single(settings.Problems);
        Assert.StartsWith("Auth__BlockedUser is not a setting this app reads", problem, StringComparison.Ordinal);
    }
}
