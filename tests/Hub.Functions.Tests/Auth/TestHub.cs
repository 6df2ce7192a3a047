using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Functions.Tests.Api;
using Hub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests.Auth;

/// <summary>
/// The real control plane on Kestrel with its tables in Azurite, a test spawner, and clients that behave like a
/// browser (cookies kept, redirects followed) or like an API script (a token header).
/// </summary>
public sealed partial class TestHub : IAsyncDisposable
{
    private readonly List<HttpClient> _clients = [];

    private TestHub(RunningControlPlane plane, ScriptedServerLifecycle lifecycle)
    {
        Plane = plane;
        Lifecycle = lifecycle;
    }

    public RunningControlPlane Plane { get; }

    public ScriptedServerLifecycle Lifecycle { get; }

    public IHubStore Store => Plane.Services.GetRequiredService<IHubStore>();

    public Uri Address => Plane.Address;

    public static async Task<TestHub> StartAsync(AzuriteFixture azurite, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = AzuriteFixture.UniqueTableName("a"),
            ["Hub:SecretKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Auth:AdminUsers"] = "admin",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var plane = await RunningControlPlane.StartAsync(all, s =>
        {
            s.AddSingleton(provider => new ScriptedServerLifecycle(provider.GetRequiredService<IHubStore>()));
            s.AddSingleton<IServerLifecycle>(provider => provider.GetRequiredService<ScriptedServerLifecycle>());
            services?.Invoke(s);
        });
        var hub = new TestHub(plane, plane.Services.GetRequiredService<ScriptedServerLifecycle>());
        await Eventually.UntilAsync(async () => (await plane.Client.GetAsync("/hub/health")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "the control plane's tables to be ready");
        // The first sweep cleans up servers without a process: records a test writes must come after it. A test whose
        // spawner cannot sweep (Azure down on purpose) goes on after the wait.
        if (plane.Services.GetService<Hub.Core.Spawning.ReconcileScheduler>() is { } scheduler)
        {
            await Task.WhenAny(scheduler.FirstSweep, Task.Delay(TimeSpan.FromSeconds(10)));
        }
        return hub;
    }

    /// <summary>A client that keeps cookies; follows redirects unless told not to (hubtraf does not).</summary>
    public (HttpClient Client, CookieContainer Cookies) Browser(bool followRedirects = true)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = followRedirects, UseCookies = true })
        {
            BaseAddress = Address,
            Timeout = TimeSpan.FromSeconds(30),
        };
        _clients.Add(client);
        return (client, cookies);
    }

    /// <summary>A client that sends <c>Authorization: token …</c>.</summary>
    public HttpClient Api(string token)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("token", token);
        _clients.Add(client);
        return client;
    }

    /// <summary>The <c>_xsrf</c> cookie's value as the browser holds it for <c>/hub/</c>.</summary>
    public string Xsrf(CookieContainer cookies) => cookies.GetCookies(new Uri(Address, "/hub/"))["_xsrf"]?.Value ?? throw new InvalidOperationException("No _xsrf cookie.");

    /// <summary>Logs in through the form as a browser would; returns the browser with its session cookie.</summary>
    public async Task<(HttpClient Client, CookieContainer Cookies)> LoginAsync(string user, string password = "anything")
    {
        var browser = Browser(followRedirects: false);
        var page = await browser.Client.GetAsync("/hub/login");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var response = await browser.Client.PostAsync("/hub/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = user,
            ["password"] = password,
            ["_xsrf"] = Xsrf(browser.Cookies),
        }));
        Assert.True(response.StatusCode == HttpStatusCode.Found, $"login of {user} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return browser;
    }

    /// <summary>Creates an API token for <paramref name="user"/> by logging in and posting to the tokens API with the XSRF header.</summary>
    public async Task<string> TokenAsync(string user, object? body = null)
    {
        var (client, cookies) = await LoginAsync(user);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/hub/api/users/{Uri.EscapeDataString(user)}/tokens") { Content = JsonContent.Create(body ?? new { note = "test" }) };
        request.Headers.Add("X-XSRFToken", Xsrf(cookies));
        var response = await client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"token for {user}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>Reads the hidden <c>_xsrf</c> field of a rendered form.</summary>
    public static string FormXsrf(string html) => XsrfField().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("No _xsrf field in:\n" + html);

    [GeneratedRegex("name=\"_xsrf\" value=\"([^\"]*)\"")]
    private static partial Regex XsrfField();

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        await Plane.DisposeAsync();
    }
}
