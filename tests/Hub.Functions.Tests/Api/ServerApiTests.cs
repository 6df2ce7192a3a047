using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Functions.Api;
using Hub.Functions.Tests.Auth;
using Hub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests.Api;

/// <summary>Start, stop and progress through the REST API, driving a test lifecycle (slow, never-starting, failing, throttled).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServerApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Start_Instant201_AgainIs400AlreadyRunning_Stop204()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var api = hub.Api(await hub.TokenAsync("amy"));

        var started = await api.PostAsJsonAsync("/hub/api/users/amy/server", new { profile = "large", answer = 42 });
        var again = await api.PostAsync("/hub/api/users/amy/server", null);
        string model = await (await api.GetAsync("/hub/api/users/amy")).Content.ReadAsStringAsync();
        var stopped = await api.DeleteAsync("/hub/api/users/amy/server");

        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("amy is already running", JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        await JupyterHubSpec.AssertSchemaAsync("User", model);
        Assert.Equal("large", hub.Lifecycle.Starts[0].Options.Profile);
        Assert.Equal("42", hub.Lifecycle.Starts[0].Options.UserOptions!["answer"]);
        Assert.Equal(HttpStatusCode.NoContent, stopped.StatusCode);
    }

    [Fact]
    public async Task Start_Throttled_429WithRetryAfter()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var api = hub.Api(await hub.TokenAsync("ben"));
        hub.Lifecycle.Behavior = SpawnBehavior.Throttled;

        var response = await api.PostAsync("/hub/api/users/ben/server", null);

        Assert.Equal((HttpStatusCode)429, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(42), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Start_Slow202_ProgressStreamsEventsUntilReady()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var api = hub.Api(await hub.TokenAsync("cleo"));
        hub.Lifecycle.Behavior = SpawnBehavior.Slow;

        var started = await api.PostAsync("/hub/api/users/cleo/server", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var pending = JsonDocument.Parse(await (await api.GetAsync("/hub/api/users/cleo")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("spawn", pending.GetProperty("pending").GetString());

        using var response = await api.GetAsync("/hub/api/users/cleo/server/progress", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await NextEventAsync(reader);
        Assert.Equal(10, first.GetProperty("progress").GetInt32());
        Assert.Equal("Waiting for a free slot &lt;b&gt;(position 3)&lt;/b&gt;", first.GetProperty("html_message").GetString());
        Assert.Equal(50, (await NextEventAsync(reader)).GetProperty("progress").GetInt32());
        hub.Lifecycle.FinishSpawn();
        var last = await NextEventAsync(reader);

        Assert.True(last.GetProperty("ready").GetBoolean());
        Assert.Equal("/user/cleo/", last.GetProperty("url").GetString());
        // The stream ends after the final event.
        string? rest;
        while ((rest = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10))) is not null)
        {
            Assert.Equal("", rest);
        }
    }

    [Fact]
    public async Task Progress_Failing_EndsWithFailedEvent()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var api = hub.Api(await hub.TokenAsync("dora"));
        hub.Lifecycle.Behavior = SpawnBehavior.Failing;
        await api.PostAsync("/hub/api/users/dora/server", null);

        string stream = await (await api.GetAsync("/hub/api/users/dora/server/progress")).Content.ReadAsStringAsync().WaitAsync(TimeSpan.FromSeconds(20));

        var events = stream.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Where(e => e.StartsWith("data: ", StringComparison.Ordinal))
            .Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        Assert.True(events[^1].GetProperty("failed").GetBoolean());
        Assert.StartsWith("Spawn failed", events[^1].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_NeverReady_StreamEndsAfterItsLongestDurationWithAReconnectHint()
    {
        var clock = new ManualTimeProvider();
        await using var hub = await TestHub.StartAsync(azurite, services: s => s.AddSingleton<TimeProvider>(clock));
        var api = hub.Api(await hub.TokenAsync("gil"));
        hub.Lifecycle.Behavior = SpawnBehavior.NeverStarting;
        await api.PostAsync("/hub/api/users/gil/server", null);
        var start = clock.GetUtcNow();

        using var response = await api.GetAsync("/hub/api/users/gil/server/progress", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var text = new System.Text.StringBuilder();
        var buffer = new byte[4096];
        var read = body.ReadAsync(buffer).AsTask();
        // The clock moves only in keep-alive steps; after each step the stream gets a moment to write (or to end).
        async Task<bool> StepAsync()
        {
            clock.Advance(ServersEndpoints.KeepAliveInterval);
            await Task.WhenAny(read, Task.Delay(TimeSpan.FromMilliseconds(100)));
            while (read.IsCompleted)
            {
                int count = await read;
                if (count == 0)
                {
                    return false;
                }
                text.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, count));
                read = body.ReadAsync(buffer).AsTask();
            }
            return true;
        }

        bool openBefore = true;
        while (openBefore && clock.GetUtcNow() - start + ServersEndpoints.KeepAliveInterval < ServersEndpoints.MaxStreamDuration)
        {
            openBefore = await StepAsync();
        }
        bool open = openBefore;
        for (int step = 0; step < 50 && open; step++)
        {
            open = await StepAsync();
        }

        Assert.True(openBefore, "the stream ended before its longest duration");
        Assert.False(open, "the stream was still open long after its longest duration");
        Assert.StartsWith($"retry: {ServersEndpoints.ReconnectMilliseconds}\n\n", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("data: ", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_NotStarting_Is400()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var api = hub.Api(await hub.TokenAsync("eve"));

        var response = await api.GetAsync("/hub/api/users/eve/server/progress");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task NamedServer_StartStopPendingAndRemove()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var api = hub.Api(await hub.TokenAsync("fay"));

        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/hub/api/users/fay/servers/gpu", null)).StatusCode);
        hub.Lifecycle.SlowStop = true;
        Assert.Equal(HttpStatusCode.Accepted, (await api.DeleteAsync("/hub/api/users/fay/servers/gpu")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync("/hub/api/users/fay/servers/gpu", null)).StatusCode);
        hub.Lifecycle.SlowStop = false;
        var remove = new HttpRequestMessage(HttpMethod.Delete, "/hub/api/users/fay/servers/gpu") { Content = JsonContent.Create(new { remove = true }) };
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(remove)).StatusCode);
        Assert.Null(await hub.Store.Servers.GetAsync(new("fay", "gpu")));
        Assert.Equal(HttpStatusCode.NotFound, (await api.DeleteAsync("/hub/api/users/fay/servers/gpu")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync("/hub/api/users/fay/servers/a%2Fb", null)).StatusCode);
    }

    [Fact]
    public async Task Start_OtherUsersServer_404ForUser_201ForAdmin()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var gus = hub.Api(await hub.TokenAsync("gus"));
        await hub.TokenAsync("hal");
        var admin = hub.Api(await hub.TokenAsync("admin"));

        Assert.Equal(HttpStatusCode.NotFound, (await gus.PostAsync("/hub/api/users/hal/server", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/hub/api/users/hal/server", null)).StatusCode);
    }

    [Fact]
    public async Task Metrics_NeedReadMetrics_PrometheusText()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var user = hub.Api(await hub.TokenAsync("ida"));
        var admin = hub.Api(await hub.TokenAsync("admin"));

        var refused = await user.GetAsync("/hub/metrics");
        var metrics = await admin.GetAsync("/hub/metrics");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await hub.Plane.Client.GetAsync("/hub/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal("text/plain", metrics.Content.Headers.ContentType?.MediaType);
        string text = await metrics.Content.ReadAsStringAsync();
        // OpenTelemetry's exporter writes HELP after TYPE and empty braces on a series without labels.
        Assert.Matches(@"# TYPE jupyterhub_total_users gauge\n# HELP jupyterhub_total_users .*\njupyterhub_total_users(\{\})? 2\n", text);
        foreach (var (name, type) in ExposedAlways)
        {
            Assert.Contains($"# TYPE {name} {type}\n", text, StringComparison.Ordinal);
        }
        Assert.Matches(@"jupyterhub_login_duration_seconds_count\{status=""success""\} [2-9]", text);
        Assert.Contains("jupyterhub_request_duration_seconds_bucket{code=\"200\",handler=\"/hub/login\",method=\"GET\",le=\"+Inf\"}", text, StringComparison.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')))
        {
            Assert.Matches(@"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-z_]+=""([^""\\]|\\.)*"",?)*\})? -?[0-9.eE+-]+$", line);
        }
    }

    /// <summary>Families on <c>/hub/metrics</c> from the start (histograms appear with their first observation).</summary>
    private static readonly (string Name, string Type)[] ExposedAlways =
    [
        ("jupyterhub_total_users", "gauge"), ("jupyterhub_running_servers", "gauge"), ("jupyterhub_active_sessions", "gauge"),
        ("jupyterhub_request_duration_seconds", "histogram"), ("jupyterhub_login_throttled_total", "counter"),
        ("jupyterhub_spawn_throttled_total", "counter"), ("jupyterhub_cull_runs_total", "counter"), ("jupyterhub_culled_servers_total", "counter"),
        ("jupyterhub_cull_kept_busy_total", "counter"), ("jupyterhub_cull_probe_failures_total", "counter"),
        ("jupyterhub_cull_stop_failures_total", "counter"), ("jupyterhub_culled_users_total", "counter"),
        ("jupyterhub_prewarm_started_servers_total", "counter"), ("jupyterhub_prewarm_throttled_total", "counter"),
    ];

    private static async Task<JsonElement> NextEventAsync(StreamReader reader)
    {
        while (true)
        {
            string? line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.NotNull(line);
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
            }
        }
    }
}
