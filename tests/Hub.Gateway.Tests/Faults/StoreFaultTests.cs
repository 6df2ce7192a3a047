using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Core.Security;
using Hub.Core.Store;
using Hub.Gateway.Tests.Jupyter;
using Hub.Gateway.Tests.Support;
using Hub.Testing;

namespace Hub.Gateway.Tests.Faults;

/// <summary>
/// A real Jupyter server open through the real gateway while the gateway's store (an Azurite of its own, so that no
/// other test shares the fault) is frozen with SIGSTOP, as a stalled Table endpoint looks: the notebook keeps
/// answering, a login the gateway has not seen gets a quick 503, and activity seen meanwhile is written afterwards.
/// </summary>
public sealed class StoreFaultTests : IAsyncLifetime
{
    /// <summary>Long enough for every cache and deadline of the gateway to run out several times over.</summary>
    private static readonly TimeSpan FreezeFor = TimeSpan.FromSeconds(12);

    /// <summary>A request that waited for the store would take the whole freeze; one served from memory answers at once.</summary>
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private OwnStoreGateway _stack = null!;

    public async Task InitializeAsync() =>
        _stack = await OwnStoreGateway.StartAsync("alice",
            // Every request counts as activity (traffic), so the polling the tests do is activity to keep while the store is down.
            new Dictionary<string, string?> { ["Gateway:ActivityWriteInterval"] = "500ms", ["Culler:ActivitySource"] = "traffic" }, "bob");

    [Fact]
    public async Task StoreFrozen_NotebookKeepsAnswering_UnseenLoginGetsQuick503_ActivityWrittenAfterResume()
    {
        using var alice = _stack.Gateway.CreateClient(_stack.Session);
        var warm = await alice.GetAsync("/user/alice/api/status");
        Assert.True(warm.StatusCode == HttpStatusCode.OK, $"before the freeze: {(int)warm.StatusCode}\n{_stack.Jupyter.Output}");
        await using var kernel = await KernelSession.StartAsync(_stack.Gateway, alice, "alice", _stack.Session, () => _stack.Jupyter.Output);
        Assert.Equal("2", await kernel.ExecuteAsync("1+1"));
        // Bob logged in, but the gateway has never seen his session.
        using var bob = _stack.Gateway.CreateClient(await _stack.Gateway.StartSessionAsync("bob"));

        var frozenAt = DateTimeOffset.UtcNow;
        var slowest = TimeSpan.Zero;
        int answered = 0;
        (HttpResponseMessage Response, TimeSpan Elapsed) unseen, unseenPage;
        string kernelDuringFreeze, health;
        using (_stack.Azurite.Freeze())
        {
            var until = Stopwatch.StartNew();
            while (until.Elapsed < FreezeFor)
            {
                var (response, elapsed) = await TimedAsync(() => alice.GetAsync("/user/alice/api/status"));
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{until.Elapsed} into the freeze: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                slowest = elapsed > slowest ? elapsed : slowest;
                answered++;
                // Paces the requests over the whole freeze, as a notebook's polling does.
                await Task.Delay(TimeSpan.FromMilliseconds(200));
            }
            kernelDuringFreeze = await kernel.ExecuteAsync("1+1");
            unseen = await TimedAsync(() => bob.GetAsync("/user/bob/api/status"));
            using var pageRequest = new HttpRequestMessage(HttpMethod.Get, "/user/bob/tree");
            pageRequest.Headers.Add("Accept", "text/html");
            unseenPage = await TimedAsync(() => bob.SendAsync(pageRequest));
            health = await alice.GetStringAsync("/health");
        }

        Assert.True(slowest < Quick, $"the slowest of {answered} notebook requests during the freeze took {slowest}");
        Assert.Equal("2", kernelDuringFreeze);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unseen.Response.StatusCode);
        Assert.Equal("application/problem+json", unseen.Response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(unseen.Response.Headers.RetryAfter);
        Assert.Contains("store is not answering", (await unseen.Response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(unseen.Elapsed < Quick, $"the unseen session's answer took {unseen.Elapsed}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unseenPage.Response.StatusCode);
        Assert.Contains("http-equiv=\"refresh\"", await unseenPage.Response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("degraded", JsonDocument.Parse(health).RootElement.GetProperty("status").GetString());

        // After the store is back: the activity seen during the freeze is written, and Bob's session is checked again.
        await Eventually.UntilAsync(async () => (await _stack.Gateway.Store.Users.GetAsync("alice"))?.LastActivity >= frozenAt,
            Patience, "alice's activity during the freeze to be written");
        await Eventually.UntilAsync(async () => (await _stack.Gateway.Store.Servers.GetAsync(new ServerKey("alice", "")))?.LastActivity >= frozenAt,
            Patience, "her server's activity during the freeze to be written");
        await Eventually.UntilAsync(async () => (await bob.GetAsync("/user/bob/api/status")).StatusCode != HttpStatusCode.ServiceUnavailable,
            Patience, "bob's session to be checked once the store is back");
        // The notebook's traffic goes on, so the gateway looks its credentials up again and finds the store back.
        await Eventually.UntilAsync(async () => (await alice.GetAsync("/user/alice/api/status")).StatusCode == HttpStatusCode.OK
            && JsonDocument.Parse(await alice.GetStringAsync("/health")).RootElement.GetProperty("status").GetString() == "ok",
            Patience, "/health to report ok again");
    }

    [Fact]
    public async Task StoreKilledThenRestartedOnItsData_NotebookKeepsAnswering_NothingLost()
    {
        using var alice = _stack.Gateway.CreateClient(_stack.Session);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/user/alice/api/status")).StatusCode);
        // Azurite saves its tables to disk every few seconds; a kill loses what it has not saved, as a crash of the
        // real service would not. The test waits until the session is on disk.
        string hash = SecretHash.Of(_stack.Session);
        await Eventually.UntilAsync(() => _stack.Azurite.DataFilesContain(hash), Patience, "Azurite to save the session to disk");

        await _stack.Azurite.KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        var slowest = TimeSpan.Zero;
        for (int i = 0; i < 10; i++)
        {
            var (response, elapsed) = await TimedAsync(() => alice.GetAsync("/user/alice/api/status"));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"request {i} with the store down: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            slowest = elapsed > slowest ? elapsed : slowest;
            // Paces the requests past the credential cache's lifetime, so that the store is asked (and found down).
            await Task.Delay(TimeSpan.FromMilliseconds(300));
        }
        await _stack.Azurite.RestartAsync();

        Assert.True(slowest < Quick, $"the slowest request with the store down took {slowest}");
        Assert.NotNull(await _stack.Gateway.Store.Sessions.GetAsync(hash));
        await Eventually.UntilAsync(async () => (await _stack.Gateway.Store.Users.GetAsync("alice"))?.LastActivity >= killedAt,
            Patience, "alice's activity while the store was down to be written");
        // The notebook's traffic goes on, so the gateway looks its credentials up again and finds the store back.
        await Eventually.UntilAsync(async () => (await alice.GetAsync("/user/alice/api/status")).StatusCode == HttpStatusCode.OK
            && JsonDocument.Parse(await alice.GetStringAsync("/health")).RootElement.GetProperty("status").GetString() == "ok",
            Patience, "/health to report ok again");
    }

    private static async Task<(HttpResponseMessage Response, TimeSpan Elapsed)> TimedAsync(Func<Task<HttpResponseMessage>> send)
    {
        long started = Stopwatch.GetTimestamp();
        var response = await send();
        return (response, Stopwatch.GetElapsedTime(started));
    }

    public async Task DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }
}
