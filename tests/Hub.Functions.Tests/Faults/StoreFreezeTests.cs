using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Hub.Functions.Tests.Auth;
using Hub.Testing;

namespace Hub.Functions.Tests.Faults;

/// <summary>
/// The control plane while its store (an Azurite of its own, so that no other test shares the fault) is frozen with
/// SIGSTOP: every request answers 503 with <c>Retry-After</c> within <c>Storage__RequestTimeout</c> instead of hanging,
/// and everything works again once the store is back.
/// </summary>
public sealed class StoreFreezeTests : IAsyncLifetime
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The deadline plus room for a busy machine; a request that waited for the store would take the whole freeze.</summary>
    private static readonly TimeSpan Quick = RequestTimeout + TimeSpan.FromSeconds(3);

    private readonly AzuriteFixture _azurite = new();
    private TestHub _hub = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _hub = await TestHub.StartAsync(_azurite, new Dictionary<string, string?> { ["Storage:RequestTimeout"] = "2s" });
    }

    [Fact]
    public async Task StoreFrozen_ApiLoginAndPagesAnswer503Quickly_ThenWorkAgain()
    {
        var api = _hub.Api(await _hub.TokenAsync("admin"));
        var browser = _hub.Browser(followRedirects: false);
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/hub/login")).StatusCode);
        string xsrf = _hub.Xsrf(browser.Cookies);

        (HttpResponseMessage Response, TimeSpan Elapsed) user, login;
        using (_azurite.Freeze())
        {
            user = await TimedAsync(() => api.GetAsync("/hub/api/users/admin"));
            using var form = new HttpRequestMessage(HttpMethod.Post, "/hub/login")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "carol", ["password"] = "anything", ["_xsrf"] = xsrf }),
            };
            form.Headers.Add("Accept", "text/html");
            login = await TimedAsync(() => browser.Client.SendAsync(form));
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, user.Response.StatusCode);
        Assert.Equal("application/problem+json", user.Response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(user.Response.Headers.RetryAfter);
        Assert.Contains("store is not answering", JsonDocument.Parse(await user.Response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(user.Elapsed < Quick, $"the API answer took {user.Elapsed}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, login.Response.StatusCode);
        string page = await login.Response.Content.ReadAsStringAsync();
        Assert.Contains("store is not answering", page, StringComparison.Ordinal);
        Assert.Contains("http-equiv=\"refresh\"", page, StringComparison.Ordinal);
        Assert.True(login.Elapsed < Quick, $"the login took {login.Elapsed}");

        await Eventually.UntilAsync(async () => (await api.GetAsync("/hub/api/users/admin")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "the API to answer again once the store is back");
        await _hub.LoginAsync("carol");
    }

    private static async Task<(HttpResponseMessage Response, TimeSpan Elapsed)> TimedAsync(Func<Task<HttpResponseMessage>> send)
    {
        long started = Stopwatch.GetTimestamp();
        var response = await send();
        return (response, Stopwatch.GetElapsedTime(started));
    }

    public async Task DisposeAsync()
    {
        _azurite.Resume();
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }
        await _azurite.DisposeAsync();
    }
}
