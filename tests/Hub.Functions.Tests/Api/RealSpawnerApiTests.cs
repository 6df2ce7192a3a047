using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Testing;
using Hub.Testing.Spawning;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests.Api;

/// <summary>
/// The server endpoints of the REST API against the real lifecycle and real Jupyter processes (LocalProcess
/// spawner), with JupyterHub's status codes: 202 pending, progress as server-sent events, 400 conflicting state or
/// bad input, 204 stopped, 404 unknown, 429 at the active-server limit.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RealSpawnerApiTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan SpawnTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Start requests answer 202 at once instead of waiting up to 10 s for the server (JupyterHub's slow_spawn_timeout).</summary>
    private static readonly Dictionary<string, string?> AnswerAtOnce = new() { ["Spawner:SlowSpawnTimeout"] = "0s" };

    [Fact]
    public async Task DefaultServer_Start202ProgressReady_AgainIs400_Stop204EndsJupyter()
    {
        await using var real = await RealSpawnerHub.StartAsync(azurite, AnswerAtOnce);
        var api = real.Hub.Api(await real.Hub.TokenAsync("amy"));
        var key = new ServerKey("amy", "");

        var started = await api.PostAsync("/hub/api/users/amy/server", null);
        var whileStarting = await UserModelAsync(api, "amy");
        var events = await ProgressToEndAsync(api, "/hub/api/users/amy/server/progress");
        string runningModel = await (await api.GetAsync("/hub/api/users/amy")).Content.ReadAsStringAsync();
        var again = await api.PostAsync("/hub/api/users/amy/server", null);
        var jupyterStatus = await JupyterStatusAsync(real, key);
        int pid = LocalServers.PidOf(real.DataDirectory, key);
        var stopped = await api.DeleteAsync("/hub/api/users/amy/server");
        var afterStop = await UserModelAsync(api, "amy");
        var progressAfterStop = await api.GetAsync("/hub/api/users/amy/server/progress");

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal("spawn", whileStarting.GetProperty("pending").GetString());
        Assert.False(whileStarting.GetProperty("servers").GetProperty("").GetProperty("ready").GetBoolean());
        Assert.True(events[^1].GetProperty("ready").GetBoolean(), events[^1].GetRawText());
        Assert.Equal("/user/amy/", events[^1].GetProperty("url").GetString());
        var progress = events.Select(e => e.GetProperty("progress").GetInt32()).ToList();
        Assert.Equal(progress.Order(), progress);
        await JupyterHubSpec.AssertSchemaAsync("User", runningModel);
        var running = JsonDocument.Parse(runningModel).RootElement;
        Assert.Equal("/user/amy/", running.GetProperty("server").GetString());
        Assert.Equal(JsonValueKind.Null, running.GetProperty("pending").ValueKind);
        Assert.True(running.GetProperty("servers").GetProperty("").GetProperty("ready").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("amy is already running", await MessageAsync(again));
        Assert.Equal(HttpStatusCode.OK, jupyterStatus);
        Assert.Equal(HttpStatusCode.NoContent, stopped.StatusCode);
        Assert.False(LocalServers.IsAlive(pid), "Jupyter still runs after 204");
        Assert.Equal(JsonValueKind.Null, afterStop.GetProperty("server").ValueKind);
        Assert.Null(await real.Store.Routes.GetAsync(key));
        Assert.Equal(HttpStatusCode.BadRequest, progressAfterStop.StatusCode);
    }

    [Fact]
    public async Task NamedServer_StartsAtItsOwnUrl_RemoveDeletesIt_ThenIs404()
    {
        await using var real = await RealSpawnerHub.StartAsync(azurite, AnswerAtOnce);
        var api = real.Hub.Api(await real.Hub.TokenAsync("bea"));
        var key = new ServerKey("bea", "project");

        var started = await api.PostAsync("/hub/api/users/bea/servers/project", null);
        var events = await ProgressToEndAsync(api, "/hub/api/users/bea/servers/project/progress");
        var model = await UserModelAsync(api, "bea");
        var jupyterStatus = await JupyterStatusAsync(real, key);
        int pid = LocalServers.PidOf(real.DataDirectory, key);
        using var remove = new HttpRequestMessage(HttpMethod.Delete, "/hub/api/users/bea/servers/project") { Content = JsonContent.Create(new { remove = true }) };
        var removed = await api.SendAsync(remove);
        var removedAgain = await api.DeleteAsync("/hub/api/users/bea/servers/project");

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal("/user/bea/project/", events[^1].GetProperty("url").GetString());
        Assert.Equal(JsonValueKind.Null, model.GetProperty("server").ValueKind);
        var named = model.GetProperty("servers").GetProperty("project");
        Assert.True(named.GetProperty("ready").GetBoolean());
        Assert.Equal("/user/bea/project/", named.GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.OK, jupyterStatus);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.False(LocalServers.IsAlive(pid), "Jupyter still runs after 204");
        Assert.Null(await real.Store.Servers.GetAsync(key));
        Assert.Equal(HttpStatusCode.NotFound, removedAgain.StatusCode);
    }

    [Fact]
    public async Task Start_BadServerNameUnknownProfileOrUser_Is400Or404AndStartsNothing()
    {
        await using var real = await RealSpawnerHub.StartAsync(azurite, AnswerAtOnce);
        var api = real.Hub.Api(await real.Hub.TokenAsync("cat"));

        var badName = await api.PostAsync("/hub/api/users/cat/servers/a%2Fb", null);
        var badProfile = await api.PostAsJsonAsync("/hub/api/users/cat/server", new { profile = "gpu-monster" });
        var otherUser = await api.PostAsync("/hub/api/users/nobody/server", null);

        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Equal("application/problem+json", badName.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Invalid server name: a/b", await MessageAsync(badName));
        Assert.Equal(HttpStatusCode.BadRequest, badProfile.StatusCode);
        Assert.Equal("application/problem+json", badProfile.Content.Headers.ContentType?.MediaType);
        Assert.Contains("There is no profile 'gpu-monster'", await MessageAsync(badProfile), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, otherUser.StatusCode);
        Assert.Null(await real.Store.Servers.GetAsync(new ServerKey("cat", "")));
        Assert.Equal(0, LocalServers.CountJupyterProcesses(real.DataDirectory, "/user/cat/"));
    }

    [Fact]
    public async Task Start_AtTheActiveServerLimit_Is429WithRetryAfterAndNotQueued()
    {
        await using var real = await RealSpawnerHub.StartAsync(azurite, new Dictionary<string, string?>(AnswerAtOnce)
        {
            ["Limits:ActiveServers"] = "1",
            ["Limits:RetryAfter"] = "45s",
        });
        var dan = real.Hub.Api(await real.Hub.TokenAsync("dan"));
        var eve = real.Hub.Api(await real.Hub.TokenAsync("eve"));
        Assert.Equal(HttpStatusCode.Accepted, (await dan.PostAsync("/hub/api/users/dan/server", null)).StatusCode);
        await ProgressToEndAsync(dan, "/hub/api/users/dan/server/progress");

        var refused = await eve.PostAsync("/hub/api/users/eve/server", null);

        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(45), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("as many servers as it may (1)", await MessageAsync(refused), StringComparison.Ordinal);
        Assert.Null(await real.Store.Servers.GetAsync(new ServerKey("eve", "")));
        Assert.Equal(0, LocalServers.CountJupyterProcesses(real.DataDirectory, "/user/eve/"));
    }

    private static async Task<JsonElement> UserModelAsync(HttpClient api, string user)
    {
        var response = await api.GetAsync("/hub/api/users/" + user);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task<string?> MessageAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString();

    /// <summary>Reads the progress stream until its final event (ready or failed); every event's data.</summary>
    private static async Task<IReadOnlyList<JsonElement>> ProgressToEndAsync(HttpClient api, string path)
    {
        using var cancellation = new CancellationTokenSource(SpawnTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellation.Token));
        var events = new List<JsonElement>();
        while (await reader.ReadLineAsync(cancellation.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var data = JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
                events.Add(data);
                if (data.TryGetProperty("ready", out _) || data.TryGetProperty("failed", out _))
                {
                    return events;
                }
            }
        }
        throw new InvalidOperationException("The progress stream ended without a final event: " + string.Join(" | ", events.Select(e => e.GetRawText())));
    }

    /// <summary>Jupyter's own <c>api/status</c> through the published route, with the server's token (what the gateway sends).</summary>
    private static async Task<HttpStatusCode> JupyterStatusAsync(RealSpawnerHub real, ServerKey key)
    {
        var route = await real.Store.Routes.GetAsync(key);
        Assert.NotNull(route);
        string token = real.Hub.Plane.Services.GetRequiredService<ServerTokenSource>().TokenFor(key, route.TokenNonce);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(route.Target, ServerUrls.BasePath(key) + "api/status"))
        {
            Headers = { Authorization = new AuthenticationHeaderValue("token", token) },
        };
        return (await client.SendAsync(request)).StatusCode;
    }
}
