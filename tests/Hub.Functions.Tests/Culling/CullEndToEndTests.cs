using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Functions.Culling;
using Hub.Functions.Tests.Spawning;
using Hub.Functions.Timers;
using Hub.Functions.Tests.Timers;
using Hub.Testing;
using Hub.Testing.Spawning;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests.Culling;

/// <summary>
/// The culler with a real local Jupyter server started through the running control plane: the job is the app's own,
/// built from the app's services with a clock two hours ahead (the idle timeout is one hour), so the server is idle
/// without the test waiting an hour.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CullEndToEndTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan SpawnTimeout = TimeSpan.FromSeconds(90);

    private static async Task<(RouteRecord Route, string Token)> StartAsync(SpawningHub hub, ServerKey server)
    {
        await hub.Lifecycle.RequestStartAsync(server, StartOptions.Default);
        var events = await hub.WatchToEndAsync(server, SpawnTimeout);
        Assert.True(events[^1].Ready, events[^1].Message);
        var route = (await hub.Store.Routes.GetAsync(server))!;
        return (route, hub.ControlPlane.Services.GetRequiredService<ServerTokenSource>().TokenFor(server, route.TokenNonce));
    }

    private static HttpClient Jupyter(RouteRecord route, string token)
    {
        var client = new HttpClient { BaseAddress = route.Target, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", token);
        return client;
    }

    private static CullIdleJob JobTwoHoursAhead(SpawningHub hub) =>
        ActivatorUtilities.CreateInstance<CullIdleJob>(hub.ControlPlane.Services, new ShiftedTimeProvider(TimeSpan.FromHours(2)));

    [Fact]
    public async Task Idle_IsCulled_RouteGone_StartedAgain_FilesWrittenBeforeAreThere()
    {
        await using var hub = await SpawningHub.StartAsync(azurite);
        await hub.AddUsersAsync("dana");
        var server = new ServerKey("dana", "");
        var (route, token) = await StartAsync(hub, server);
        int pid = LocalServers.PidOf(hub.DataDirectory, server);
        using (var jupyter = Jupyter(route, token))
        {
            var saved = await jupyter.PutAsync("/user/dana/api/contents/notes.txt", new StringContent(
                """{"type":"file","format":"text","content":"written before the cull"}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        }

        var lines = await JobTwoHoursAhead(hub).RunAsync(new TimerInvocation(TimerTriggerSource.Scheduler), CancellationToken.None);

        Assert.Contains("Culled 1: 1 idle, 0 past the max age; 0 stops failed.", lines);
        await Eventually.UntilAsync(async () => (await hub.RecordAsync(server)).Phase == ServerPhase.Stopped, TimeSpan.FromSeconds(60), "the culled server to stop");
        Assert.Equal(ServerDesiredState.Stopped, (await hub.RecordAsync(server)).Desired);
        Assert.Null(await hub.Store.Routes.GetAsync(server));
        Assert.False(LocalServers.IsAlive(pid));

        var (again, newToken) = await StartAsync(hub, server);
        using var restarted = Jupyter(again, newToken);
        var file = await restarted.GetFromJsonAsync<JsonElement>("/user/dana/api/contents/notes.txt?content=1");
        Assert.Equal("written before the cull", file.GetProperty("content").GetString());
    }

    [Fact]
    public async Task TimerEndpoint_CullIdle_RunsTheJobAndAnswersTheHostContract()
    {
        await using var hub = await SpawningHub.StartAsync(azurite);

        var response = await hub.ControlPlane.PostTimerAsync("cull-idle");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(body.RootElement.GetProperty("Logs").EnumerateArray(), l => l.GetString() == "Active servers: 0 (0 pending, skipped).");
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("ReturnValue").ValueKind);
    }
}
