using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hub.Functions.Timers;
using Hub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests.Timers;

/// <summary>The timer functions as the Functions host calls them: POST /{name} with {Data, Metadata}.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TimerEndpointTests(AzuriteFixture azurite)
{
    private const string HostPayload = """
        {
          "Data": { "timer": { "Schedule": { "AdjustForDST": true },
                               "ScheduleStatus": { "Last": "2026-01-01T10:00:00Z", "Next": "2026-01-01T10:05:00Z", "LastUpdated": "2026-01-01T10:00:00Z" },
                               "IsPastDue": true } },
          "Metadata": { "sys": { "MethodName": "test-job", "UtcNow": "2026-01-01T10:05:00.01Z", "RandGuid": "0f8fad5b-d9cb-469f-a165-70867728950e" } }
        }
        """;

    private Task<RunningControlPlane> StartAsync(RecordingJob job) => RunningControlPlane.StartAsync(
        new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = AzuriteFixture.UniqueTableName("tm"),
        },
        services => services.AddSingleton<ITimerJob>(job));

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Post_HostPayload_RunsJobAndAnswersInvocationResponse()
    {
        var job = new RecordingJob();
        await using var hub = await StartAsync(job);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/test-job") { Content = Json(HostPayload) };
        request.Headers.Add("X-Azure-Functions-InvocationId", "inv-1");

        var response = await hub.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Object, body.RootElement.GetProperty("Outputs").ValueKind);
        Assert.Equal("ran", body.RootElement.GetProperty("Logs")[0].GetString());
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("ReturnValue").ValueKind);
        var invocation = Assert.Single(job.Invocations);
        Assert.Equal(new TimerInvocation(TimerTriggerSource.FunctionsHost, "inv-1", true, new DateTimeOffset(2026, 1, 1, 10, 5, 0, TimeSpan.Zero)), invocation);
    }

    [Fact]
    public async Task Post_TimerDataAsJsonString_IsReadToo()
    {
        var job = new RecordingJob();
        await using var hub = await StartAsync(job);
        string payload = JsonSerializer.Serialize(new { Data = new { timer = """{"IsPastDue":true,"ScheduleStatus":{"Next":"2026-01-01T10:05:00Z"}}""" }, Metadata = new { } });

        var response = await hub.Client.PostAsync("/test-job", Json(payload));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Assert.Single(job.Invocations).IsPastDue);
    }

    [Fact]
    public async Task Post_NoOrOddBody_StillRuns()
    {
        var job = new RecordingJob();
        await using var hub = await StartAsync(job);

        var empty = await hub.Client.PostAsync("/test-job", Json(""));
        var odd = await hub.Client.PostAsync("/test-job", Json("[1,2,3]"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (empty.StatusCode, odd.StatusCode));
        Assert.Equal(2, job.Invocations.Count);
    }

    [Fact]
    public async Task Post_MalformedJson_Is400ProblemAndDoesNotRun()
    {
        var job = new RecordingJob();
        await using var hub = await StartAsync(job);

        var response = await hub.Client.PostAsync("/test-job", Json("{\"Data\": {"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("not valid JSON", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(job.Invocations);
    }

    [Fact]
    public async Task Post_JobFails_Is500WithTheReasonInLogs()
    {
        var job = new RecordingJob { Fail = true };
        await using var hub = await StartAsync(job);

        var response = await hub.Client.PostAsync("/test-job", Json(HostPayload));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("the job was told to fail", body.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WhileTheJobRuns_SecondTriggerIsSkipped()
    {
        var job = new RecordingJob { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var hub = await StartAsync(job);

        var first = hub.Client.PostAsync("/test-job", Json(HostPayload));
        await job.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var second = await hub.Client.PostAsync("/test-job", Json(HostPayload));
        job.Gate.SetResult();
        var firstResponse = await first;

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("skipped", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        Assert.Single(job.Invocations);
    }

    [Fact]
    public async Task Post_WhileACoalescingJobRuns_SecondTriggerRunsToo()
    {
        var job = new RecordingJob { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), CoalescesOverlappingRuns = true };
        await using var hub = await StartAsync(job);

        var first = hub.Client.PostAsync("/test-job", Json(HostPayload));
        await job.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var second = hub.Client.PostAsync("/test-job", Json(HostPayload));
        await Eventually.UntilAsync(() => job.Invocations.Count == 2, TimeSpan.FromSeconds(30), "the second trigger to reach the job");
        job.Gate.SetResult();

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), ((await first).StatusCode, (await second).StatusCode));
        Assert.DoesNotContain("skipped", await (await second).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_UnknownTimer_Is404()
    {
        await using var hub = await StartAsync(new RecordingJob());

        var response = await hub.Client.PostAsync("/no-such-timer", Json(HostPayload));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
