using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Hub.Testing;
using Hub.Testing.Spawning;

namespace Hub.Repository.Tests.HubRun;

/// <summary>
/// The measurement as a test, through the real processes of <c>./hub run</c>: a student's Jupyter server open
/// through the gateway, then the run's Azurite stopped with SIGSTOP for a whole minute (connections hang, as with a
/// stalled Table endpoint). The notebook's HTTP and a kernel's <c>1+1</c> keep answering; the hub's API answers 503
/// within <c>Storage__RequestTimeout</c>; a login fails as quickly, saying why; and the activity seen during the freeze
/// is in the store once it is back.
/// </summary>
public sealed class HubRunStoreFreezeTests
{
    private const string User = "frozen";

    /// <summary>The figure: longer than every cache of the gateway, inside its stale-credential window (5 min).</summary>
    private static readonly TimeSpan FreezeFor = TimeSpan.FromSeconds(60);

    /// <summary>The control plane's default deadline per store call (<c>Storage__RequestTimeout</c>).</summary>
    private static readonly TimeSpan StoreDeadline = TimeSpan.FromSeconds(5);

    /// <summary>The deadline plus room for a loaded machine; a request that waited for the store would take the whole minute.</summary>
    private static readonly TimeSpan WithinDeadline = StoreDeadline + TimeSpan.FromSeconds(5);

    /// <summary>A notebook request served from what the gateway knows; waiting on the store would take the whole minute.</summary>
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan SpawnTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan KernelTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Run_StoreFrozenAMinute_NotebookAndKernelAnswer_HubApiAndLogin503WithinTheDeadline_ActivityLandsAfter()
    {
        // Activity is written every 5 s instead of every minute, so that "lands after" is seen soon after the resume.
        await using var run = await HubRunScript.StartAsync(new Dictionary<string, string?> { ["Gateway__ActivityWriteInterval"] = "00:00:05" });
        await run.WaitUntilRunningAsync(StartTimeout);
        var gateway = run.Ports.GatewayUrl;
        using var student = await GatewayUser.LogInAsync(gateway, User);
        await student.SpawnByFollowingRedirectsAsync(SpawnTimeout);
        string token = await student.CreateTokenAsync();
        Assert.Equal(HttpStatusCode.OK, (await student.Client.GetAsync($"/user/{User}/api/status")).StatusCode);
        Assert.Equal("2", await KernelSession.ExecuteAsync(gateway, $"/user/{User}/", token, "1+1", KernelTimeout));
        using var api = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(90) };
        api.DefaultRequestHeaders.Authorization = new("token", token);
        // Someone about to log in: the login page and its _xsrf cookie were loaded before the freeze.
        var cookies = new CookieContainer();
        using var newcomer = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(90) };
        Assert.Equal(HttpStatusCode.OK, (await newcomer.GetAsync("/hub/login")).StatusCode);
        string xsrf = cookies.GetCookies(new Uri(gateway, "/hub/"))["_xsrf"]!.Value;
        var azurite = ProcfsProcess.All().Where(p => p.Group == run.ProcessGroup && p.CommandLine.Contains("azurite", StringComparison.Ordinal)
            && !p.CommandLine.StartsWith("bash", StringComparison.Ordinal)).Select(p => p.Id).ToList();
        Assert.NotEmpty(azurite);

        var frozenAt = DateTimeOffset.UtcNow;
        var slowest = TimeSpan.Zero;
        int answered = 0;
        string kernelDuringFreeze, lateKernel;
        DateTimeOffset lateWorkAt;
        (HttpResponseMessage Response, TimeSpan Elapsed) hubApi, login;
        Assert.All(azurite, pid => Assert.True(UnixSignals.Send(pid, UnixSignals.Stop), $"SIGSTOP to Azurite ({pid})"));
        try
        {
            hubApi = await TimedAsync(() => api.GetAsync($"/hub/api/users/{User}"));
            using var form = new HttpRequestMessage(HttpMethod.Post, "/hub/login")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "latecomer", ["password"] = "anything", ["_xsrf"] = xsrf }),
            };
            form.Headers.Add("Accept", "text/html");
            login = await TimedAsync(() => newcomer.SendAsync(form));
            kernelDuringFreeze = await KernelSession.ExecuteAsync(gateway, $"/user/{User}/", token, "1+1", KernelTimeout);
            while (DateTimeOffset.UtcNow - frozenAt < FreezeFor)
            {
                var (response, elapsed) = await TimedAsync(() => student.Client.GetAsync($"/user/{User}/api/status"));
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{DateTimeOffset.UtcNow - frozenAt} into the freeze: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                slowest = elapsed > slowest ? elapsed : slowest;
                answered++;
                // A notebook's own polling pace.
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
            // A cell run at the end of the freeze: work a person did (Culler__ActivitySource=user does not count polling).
            lateWorkAt = DateTimeOffset.UtcNow;
            lateKernel = await KernelSession.ExecuteAsync(gateway, $"/user/{User}/", token, "1+1", KernelTimeout);
        }
        finally
        {
            foreach (int pid in azurite)
            {
                UnixSignals.Send(pid, UnixSignals.Continue);
            }
        }
        var resumedAt = DateTimeOffset.UtcNow;

        Assert.True(resumedAt - frozenAt >= FreezeFor, $"frozen for {resumedAt - frozenAt}");
        Assert.True(slowest < Quick, $"the slowest of {answered} notebook requests during the freeze took {slowest}");
        Assert.Equal("2", kernelDuringFreeze);
        Assert.Equal("2", lateKernel);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, hubApi.Response.StatusCode);
        Assert.Equal("application/problem+json", hubApi.Response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(hubApi.Response.Headers.RetryAfter);
        Assert.True(hubApi.Elapsed < WithinDeadline, $"the hub API answered after {hubApi.Elapsed}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, login.Response.StatusCode);
        Assert.Contains("store is not answering", await login.Response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(login.Elapsed < WithinDeadline, $"the login answered after {login.Elapsed}");

        // Activity seen during the freeze (up to the cell run at its end) is written once the store is back.
        DateTimeOffset? lastActivity = null;
        string lastAnswer = "";
        await Eventually.UntilAsync(async () =>
        {
            var user = await api.GetAsync($"/hub/api/users/{User}");
            lastAnswer = $"{(int)user.StatusCode} {await user.Content.ReadAsStringAsync()}";
            if (user.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }
            var value = JsonDocument.Parse(await user.Content.ReadAsStringAsync()).RootElement.GetProperty("last_activity");
            lastActivity = value.ValueKind == JsonValueKind.String ? DateTimeOffset.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : null;
            return lastActivity >= lateWorkAt - TimeSpan.FromSeconds(1);
        }, Patience, $"the activity during the freeze to be in the store (last seen {lastActivity}; last answer {lastAnswer})", TimeSpan.FromSeconds(1));
    }

    private static async Task<(HttpResponseMessage Response, TimeSpan Elapsed)> TimedAsync(Func<Task<HttpResponseMessage>> send)
    {
        long started = Stopwatch.GetTimestamp();
        var response = await send();
        return (response, Stopwatch.GetElapsedTime(started));
    }
}
