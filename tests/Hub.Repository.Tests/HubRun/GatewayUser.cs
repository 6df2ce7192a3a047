using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Testing;

namespace Hub.Repository.Tests.HubRun;

/// <summary>
/// A user in front of a running hub's gateway, as a browser is: logs in through the login form (the default, dummy
/// authenticator takes any password), then uses the hub's REST API with its session cookie and the XSRF header.
/// </summary>
public sealed class GatewayUser : IDisposable
{
    private readonly CookieContainer _cookies = new();
    private readonly HttpClient _client;

    private GatewayUser(Uri gateway, string name)
    {
        Name = name;
        _client = new HttpClient(new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false })
        {
            BaseAddress = gateway,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public string Name { get; }

    public HttpClient Client => _client;

    public static async Task<GatewayUser> LogInAsync(Uri gateway, string name)
    {
        var user = new GatewayUser(gateway, name);
        var page = await user._client.GetAsync("/hub/login");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var loggedIn = await user._client.PostAsync("/hub/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = name, ["password"] = "anything", ["_xsrf"] = user.Xsrf(),
        }));
        Assert.True(loggedIn.StatusCode == HttpStatusCode.Found, $"login answered {(int)loggedIn.StatusCode}: {await loggedIn.Content.ReadAsStringAsync()}");
        return user;
    }

    /// <summary>Asks for the user's default server and waits until the hub reports it ready.</summary>
    public async Task StartServerAsync(TimeSpan timeout)
    {
        var started = await SendAsync(HttpMethod.Post, $"/hub/api/users/{Name}/server");
        Assert.True(started.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted,
            $"starting the server answered {(int)started.StatusCode}: {await started.Content.ReadAsStringAsync()}");
        string model = "";
        try
        {
            await Eventually.UntilAsync(async () =>
            {
                model = await _client.GetStringAsync($"/hub/api/users/{Name}");
                using var user = JsonDocument.Parse(model);
                return user.RootElement.GetProperty("servers").TryGetProperty("", out var server) && server.GetProperty("ready").GetBoolean();
            }, timeout, $"{Name}'s server to be ready", TimeSpan.FromMilliseconds(250));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; last user model: {model}", ex);
        }
    }

    /// <summary>A new API token of the user (what a script sends as <c>Authorization: token …</c>).</summary>
    public async Task<string> CreateTokenAsync()
    {
        var created = await SendAsync(HttpMethod.Post, $"/hub/api/users/{Name}/tokens", JsonContent.Create(new { note = "hub run test" }));
        string body = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"creating a token answered {(int)created.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("X-XSRFToken", Xsrf());
        return await _client.SendAsync(request);
    }

    /// <summary>The <c>_xsrf</c> cookie as the browser holds it now (login gives a new one).</summary>
    private string Xsrf() =>
        _cookies.GetCookies(new Uri(_client.BaseAddress!, "/hub/"))["_xsrf"]?.Value ?? throw new InvalidOperationException("No _xsrf cookie.");

    public void Dispose() => _client.Dispose();
}
