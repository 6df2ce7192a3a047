using System.Net;
using System.Text;
using System.Text.Json;
using Hub.Functions.Tests.Timers;
using Hub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests.Spawning;

[Collection(AzuriteCollection.Name)]
public sealed class ReconcileEndpointTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Post_FunctionsTimerInvocation_AnswersTheCustomHandlerShape()
    {
        await using var hub = await SpawningHub.StartAsync(azurite);
        const string invocation = """
            {"Data":{"timer":{"Schedule":{"AdjustForDST":true},"IsPastDue":false}},
             "Metadata":{"sys":{"MethodName":"reconcile","UtcNow":"2026-11-22T10:05:00.01Z","RandGuid":"0f8fad5b-d9cb-469f-a165-70867728950e"}}}
            """;

        var response = await hub.ControlPlane.PostTimerAsync("reconcile", invocation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        Assert.Equal(JsonValueKind.Object, root.GetProperty("Outputs").ValueKind);
        Assert.Empty(root.GetProperty("Outputs").EnumerateObject());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("ReturnValue").ValueKind);
        Assert.Contains(root.GetProperty("Logs").EnumerateArray(), line => line.GetString()!.StartsWith("Active servers: 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_NotJson_Is400Problem()
    {
        await using var hub = await SpawningHub.StartAsync(azurite);

        var response = await hub.ControlPlane.PostTimerAsync("reconcile", "{not json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Reconcile_IsOneTimerJobOnItsSettingsSchedule()
    {
        await using var hub = await SpawningHub.StartAsync(azurite, new Dictionary<string, string?> { ["TIMER_SCHEDULE_RECONCILE"] = "30 * * * * *" });
        var runner = hub.ControlPlane.Services.GetRequiredService<Hub.Functions.Timers.TimerJobRunner>();

        var job = runner.Find("reconcile");

        Assert.Equal("30 * * * * *", job?.Schedule);
        Assert.Single(runner.Jobs, j => j.Name == "reconcile");
    }

    [Fact]
    public async Task Get_IsNotAllowed()
    {
        await using var hub = await SpawningHub.StartAsync(azurite);

        var response = await hub.ControlPlane.Client.GetAsync("/reconcile");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
