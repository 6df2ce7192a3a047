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

    /// <summary>
    /// What a script without JavaScript does: <c>GET /hub/spawn</c> and follow the redirects, asking the page that
    /// follows the start again until it sends the client on; returns the path it landed on with a 200.
    /// </summary>
    public async Task<string> SpawnByFollowingRedirectsAsync(TimeSpan timeout)
    {
        string location = "/hub/spawn";
        var visited = new List<string>();
        try
        {
            await Eventually.UntilAsync(async () => await LandedAsync(), timeout, $"GET /hub/spawn to land in {Name}'s server", TimeSpan.FromMilliseconds(500));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; the last requests: {string.Join(", ", visited.TakeLast(6))}", ex);
        }
        return location;

        async Task<bool> LandedAsync()
        {
            for (int hop = 0; hop < 10; hop++)
            {
                using var response = await _client.GetAsync(location);
                visited.Add($"{(int)response.StatusCode} {location}");
                if (response.Headers.Location is { } next && (int)response.StatusCode is >= 300 and < 400)
                {
                    location = next.IsAbsoluteUri ? next.PathAndQuery : next.OriginalString;
                    continue;
                }
                return response.StatusCode == HttpStatusCode.OK && location.StartsWith($"/user/{Name}/", StringComparison.Ordinal);
            }
            return false;
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
