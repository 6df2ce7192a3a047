using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hub.Core.Security;
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
        var response = await hub.PostTimerAsync("test-job", HostPayload, invocationId: "inv-1");

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

        var response = await hub.PostTimerAsync("test-job", payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Assert.Single(job.Invocations).IsPastDue);
    }

    [Fact]
    public async Task Post_JsonOfAnotherShape_StillRuns()
    {
        var job = new RecordingJob();
        await using var hub = await StartAsync(job);

        var odd = await hub.PostTimerAsync("test-job", "[1,2,3]");

        Assert.Equal(HttpStatusCode.OK, odd.StatusCode);
        Assert.Single(job.Invocations);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("\u00ff\u00fe")]
    public async Task Post_BodyThatIsNotJson_Is400AndDoesNotRun(string body)
    {
        var job = new RecordingJob();
        await using var hub = await StartAsync(job);

        var response = await hub.PostTimerAsync("test-job", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(job.Invocations);
    }

    [Fact]
    public async Task Post_MalformedJson_Is400ProblemAndDoesNotRun()
    {
        var job = new RecordingJob();
        await using var hub = await StartAsync(job);

        var response = await hub.PostTimerAsync("test-job", "{\"Data\": {");

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

        var response = await hub.PostTimerAsync("test-job", HostPayload);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("the job was told to fail", body.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WhileTheJobRuns_SecondTriggerIsSkipped()
    {
        var job = new RecordingJob { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var hub = await StartAsync(job);

        var first = hub.PostTimerAsync("test-job", HostPayload);
        await job.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var second = await hub.PostTimerAsync("test-job", HostPayload);
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

        var first = hub.PostTimerAsync("test-job", HostPayload);
        await job.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var second = hub.PostTimerAsync("test-job", HostPayload);
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

    [Fact]
    public async Task Post_WithoutTheTimerHeader_Is403AndDoesNotRun()
    {
        var job = new RecordingJob();
        await using var hub = await StartAsync(job);
        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/test-job") { Content = Json(HostPayload) };
        wrong.Headers.Add(TimerInvocationHeader.Name, new TimerInvocationHeader(new byte[32]).Value);
        using var hostHeaderOnly = new HttpRequestMessage(HttpMethod.Post, "/test-job") { Content = Json(HostPayload) };
        hostHeaderOnly.Headers.Add("X-Azure-Functions-InvocationId", "inv-1");

        var none = await hub.Client.PostAsync("/test-job", Json(HostPayload));
        var otherKey = await hub.Client.SendAsync(wrong);
        var pretendingHost = await hub.Client.SendAsync(hostHeaderOnly);

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden], new[] { none.StatusCode, otherKey.StatusCode, pretendingHost.StatusCode });
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
        Assert.Contains(TimerInvocationHeader.Name, await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(job.Invocations);
    }

    [Theory]
    [InlineData("/hub/../test-job")]
    [InlineData("/hub/%2e%2e/test-job")]
    [InlineData("/x/.%2E/test-job")]
    public async Task Post_ThroughDotSegments_IsRefusedEvenWithTheHeader(string target)
    {
        var job = new RecordingJob();
        await using var hub = await StartAsync(job);
        string header = hub.Services.GetRequiredService<TimerInvocationHeader>().Value;

        string response = await RawHttp.SendAsync(hub.Address,
            $"POST {target} HTTP/1.1\r\nHost: localhost\r\n{TimerInvocationHeader.Name}: {header}\r\nContent-Type: application/json\r\nContent-Length: {HostPayload.Length}\r\nConnection: close\r\n\r\n{HostPayload}");

        Assert.StartsWith("HTTP/1.1 403", response, StringComparison.Ordinal);
        Assert.Empty(job.Invocations);
    }

    [Fact]
    public async Task Post_UnderTheFunctionsHost_TheHostsInvocationFromLoopbackRuns()
    {
        var job = new RecordingJob();
        await using var hub = await RunningControlPlane.StartAsync(
            new Dictionary<string, string?>
            {
                ["Storage:ConnectionString"] = azurite.ConnectionString,
                ["Storage:TablePrefix"] = AzuriteFixture.UniqueTableName("tm"),
                ["FUNCTIONS_CUSTOMHANDLER_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            services => services.AddSingleton<ITimerJob>(job));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/test-job") { Content = Json(HostPayload) };
        request.Headers.Add("X-Azure-Functions-InvocationId", "inv-7");

        var fromHost = await hub.Client.SendAsync(request);
        var anonymous = await hub.Client.PostAsync("/test-job", Json(HostPayload));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Forbidden), (fromHost.StatusCode, anonymous.StatusCode));
        Assert.Equal("inv-7", Assert.Single(job.Invocations).InvocationId);
    }
}
