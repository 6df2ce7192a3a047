using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hub.Core.Store;
using Hub.Functions.Tests.Api;
using Hub.Testing;
using Hub.Testing.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests.Auth;

/// <summary>
/// The real control plane on Kestrel with its tables in Azurite, a test spawner, and clients that behave like a
/// browser (cookies kept, redirects followed) or like an API script (a token header).
/// </summary>
public sealed partial class TestHub : IAsyncDisposable
{
    private readonly ScriptedServerLifecycle? _lifecycle;

    private TestHub(RunningControlPlane plane, ScriptedServerLifecycle? lifecycle)
    {
        Plane = plane;
        _lifecycle = lifecycle;
    }

    public RunningControlPlane Plane { get; }

    /// <summary>The scripted server lifecycle (not there when the hub was started with a real spawner).</summary>
    public ScriptedServerLifecycle Lifecycle => _lifecycle ?? throw new InvalidOperationException("This hub runs the app's own server lifecycle.");

    public IHubStore Store => Plane.Services.GetRequiredService<IHubStore>();

    public Uri Address => Plane.Address;

    public static Task<TestHub> StartAsync(AzuriteFixture azurite, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) =>
        StartAsync(azurite, HubSpawner.Scripted(provider => new ScriptedServerLifecycle(provider.GetRequiredService<IHubStore>())), settings, services);

    /// <summary>Starts the hub with another spawner than the scripted one (e.g. <see cref="HubSpawner.LocalJupyter"/>).</summary>
    public static async Task<TestHub> StartAsync(AzuriteFixture azurite, HubSpawner spawner, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string?> { ["Auth:AdminUsers"] = "admin" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var host = await HubHost.StartAsync(new HubHostOptions
        {
            Azurite = azurite,
            TablePrefix = AzuriteFixture.UniqueTableName("a"),
            // The control plane creates its tables; the host waits for that (and for its first reconcile sweep).
            CreateTables = false,
            ControlPlaneSettings = all,
            Spawner = spawner,
            ControlPlaneServices = services,
        });
        return new TestHub(new RunningControlPlane(host), host.ControlPlane.GetService<ScriptedServerLifecycle>());
    }

    /// <summary>A client that keeps cookies; follows redirects unless told not to (hubtraf does not).</summary>
    public (HttpClient Client, CookieContainer Cookies) Browser(bool followRedirects = true)
    {
        var cookies = new CookieContainer();
        return (Plane.Host.CreateClient(Address, cookies, followRedirects), cookies);
    }

    /// <summary>A client that sends <c>Authorization: token …</c>.</summary>
    public HttpClient Api(string token)
    {
        var client = Plane.Host.CreateClient(Address, new CookieContainer());
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("token", token);
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

    public ValueTask DisposeAsync() => Plane.DisposeAsync();
}
