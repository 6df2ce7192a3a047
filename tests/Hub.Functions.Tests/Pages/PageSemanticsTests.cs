using System.Net;
using System.Text.Json;
using Hub.Functions.Tests.Api;
using Hub.Functions.Tests.Auth;
using Hub.Testing;

namespace Hub.Functions.Tests.Pages;

/// <summary>JupyterHub 5's page semantics: <c>/hub/spawn</c> starts when there is nothing to choose, <c>/hub/</c> goes to a running server, a stopped server's pages answer 503.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PageSemanticsTests(AzuriteFixture azurite)
{
    private static readonly Dictionary<string, string?> TwoProfiles = new()
    {
        ["Spawner:Profiles"] = JsonSerializer.Serialize(new object[] { new { slug = "small", displayName = "Small", @default = true }, new { slug = "large", displayName = "Large" } }),
    };

    [Fact]
    public async Task Spawn_NothingToChoose_StartsAndSendsTheClientToTheServer()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var (browser, _) = await hub.LoginAsync("ann");

        var spawn = await browser.GetAsync("/hub/spawn?next=%2Fuser%2Fann%2Flab");
        var root = await browser.GetAsync("/hub/");

        Assert.Equal(HttpStatusCode.Redirect, spawn.StatusCode);
        Assert.Equal("/user/ann/lab", spawn.Headers.Location?.OriginalString);
        Assert.Equal(new("ann", ""), Assert.Single(hub.Lifecycle.Starts).Server);
        Assert.Equal("/user/ann/", root.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Spawn_PendingStart_GoesToThePendingPage_WhichSendsTheClientOnOnceReady()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        hub.Lifecycle.Behavior = SpawnBehavior.Slow;
        var (browser, _) = await hub.LoginAsync("bea");

        var spawn = await browser.GetAsync("/hub/spawn/bea/lab");
        var whilePending = await browser.GetAsync("/hub/spawn-pending/bea/lab");
        // The server becomes ready (the scripted lifecycle leaves that to whoever watches it).
        await hub.Store.Servers.ChangeAsync(new("bea", "lab"), s => s with { Phase = Core.Store.ServerPhase.Running, Started = DateTimeOffset.UtcNow });
        var ready = await browser.GetAsync("/hub/spawn-pending/bea/lab");

        Assert.Equal("/hub/spawn-pending/bea/lab", spawn.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, whilePending.StatusCode);
        Assert.Equal("/user/bea/lab/", ready.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("", "cross-site")]
    [InlineData("", "same-site")]
    [InlineData("profiles", "same-origin")]
    public async Task Spawn_WithAChoiceOrFromAnotherSite_ShowsThePageAndStartsNothing(string profiles, string site)
    {
        await using var hub = await TestHub.StartAsync(azurite, profiles.Length > 0 ? TwoProfiles : null);
        var (browser, _) = await hub.LoginAsync("cal");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hub/spawn");
        request.Headers.Add("Sec-Fetch-Site", site);

        var spawn = await browser.SendAsync(request);

        Assert.Equal("/hub/spawn-pending/cal", spawn.Headers.Location?.OriginalString);
        Assert.Empty(hub.Lifecycle.Starts);
    }

    [Fact]
    public async Task Spawn_ChosenProfile_Starts()
    {
        await using var hub = await TestHub.StartAsync(azurite, TwoProfiles);
        var (browser, _) = await hub.LoginAsync("dee");

        var spawn = await browser.GetAsync("/hub/spawn?profile=large");

        Assert.Equal("/user/dee/", spawn.Headers.Location?.OriginalString);
        Assert.Equal("large", Assert.Single(hub.Lifecycle.Starts).Options.Profile);
    }

    [Fact]
    public async Task HubRoot_NoRunningServerOrTurnedOff_GoesHome()
    {
        await using var hub = await TestHub.StartAsync(azurite, new Dictionary<string, string?> { ["Spawner:RedirectToServer"] = "false" });
        var (browser, _) = await hub.LoginAsync("eva");
        var stopped = await browser.GetAsync("/hub/");
        await browser.GetAsync("/hub/spawn");

        var running = await browser.GetAsync("/hub/");

        Assert.Equal("/hub/home", stopped.Headers.Location?.OriginalString);
        Assert.Equal("/hub/home", running.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task StoppedServer_PagesAnswer503_HtmlWithAStartAndJsonUnderApi()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var (browser, _) = await hub.LoginAsync("fox");

        var page = await browser.GetAsync("/hub/user/fox/tree");
        var api = await browser.GetAsync("/hub/user/fox/api/contents");
        var error = await browser.GetAsync("/hub/error/503");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
    }
}
