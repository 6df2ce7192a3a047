using System.Security.Cryptography;
using Hub.Azure.Store;
using Hub.Core.Security;
using Hub.Core.Store;
using Hub.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Gateway.Tests.Support;

/// <summary>
/// The real gateway on Kestrel, on a free loopback port, over its own tables in the shared Azurite, with helpers that
/// write the rows the login and spawning parts of the hub would write (users, sessions, tokens, routes).
/// </summary>
public sealed class RunningGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningGateway(WebApplication app, TableHubStore store, byte[] secretKey, Uri address, Uri http2Address)
    {
        _app = app;
        Store = store;
        SecretKey = secretKey;
        Address = address;
        Http2Address = http2Address;
    }

    /// <summary>The main listener (HTTP/1.1).</summary>
    public Uri Address { get; }

    /// <summary>The HTTP/2 (h2c) listener.</summary>
    public Uri Http2Address { get; }

    /// <summary>The gateway's origin, as a browser on it would send in <c>Origin</c>.</summary>
    public string Origin => Address.GetLeftPart(UriPartial.Authority);

    public TableHubStore Store { get; }

    public byte[] SecretKey { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="controlPlane">Where /hub/ goes (a test backend).</param>
    /// <param name="settings">Extra app settings, as configuration paths (<c>Gateway:RouteRefreshInterval</c>).</param>
    public static async Task<RunningGateway> StartAsync(AzuriteFixture azurite, Uri controlPlane, IReadOnlyDictionary<string, string?>? settings = null)
    {
        string prefix = AzuriteFixture.UniqueTableName("g");
        var store = new TableHubStore(azurite.Tables, prefix);
        // In the hub the control plane creates the tables; the gateway only reads them.
        await store.InitializeAsync();

        byte[] key = RandomNumberGenerator.GetBytes(32);
        var configuration = new Dictionary<string, string?>
        {
            ["Gateway:ListenUrl"] = "http://127.0.0.1:0",
            ["Gateway:Http2ListenUrl"] = "http://127.0.0.1:0",
            ["Gateway:ControlPlaneUrl"] = controlPlane.AbsoluteUri,
            ["Gateway:RouteRefreshInterval"] = "200ms",
            ["Hub:SecretKey"] = Convert.ToBase64String(key),
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = prefix,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[name] = value;
        }
        var app = GatewayApp.Build([], builder => builder.Configuration.AddInMemoryCollection(configuration));
        await app.StartAsync();
        // Kestrel lists the bound addresses in the order the listeners were configured: HTTP/1.1 first.
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        return new RunningGateway(app, store, key, new Uri(addresses[0]), new Uri(addresses[1]));
    }

    public T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    public async Task<UserRecord> AddUserAsync(string name, bool admin = false)
    {
        var user = new UserRecord { Name = name, Admin = admin, Created = DateTimeOffset.UtcNow };
        return (await Store.Users.CreateAsync(user)).Record!;
    }

    /// <summary>Writes a session row as the login flow does and returns the cookie value (the secret).</summary>
    public async Task<string> StartSessionAsync(string user, TimeSpan? lifetime = null)
    {
        string secret = SecretHash.NewSecret();
        var now = DateTimeOffset.UtcNow;
        await Store.Sessions.CreateAsync(new SessionRecord { IdHash = SecretHash.Of(secret), User = user, Created = now, Expires = now + (lifetime ?? TimeSpan.FromHours(1)) });
        return secret;
    }

    public Task EndSessionAsync(string secret) => Store.Sessions.DeleteAsync(SecretHash.Of(secret));

    /// <summary>Writes a token row and returns the token.</summary>
    public async Task<string> AddTokenAsync(string user, IReadOnlyList<string> scopes, DateTimeOffset? expires = null)
    {
        string token = SecretHash.NewSecret();
        await Store.Tokens.CreateAsync(new TokenRecord
        {
            Hash = SecretHash.Of(token),
            Id = "a" + Guid.NewGuid().ToString("N")[..8],
            User = user,
            Scopes = scopes,
            Created = DateTimeOffset.UtcNow,
            Expires = expires,
        });
        return token;
    }

    /// <summary>Publishes a route as the control plane does when a server is ready.</summary>
    public async Task<RouteRecord> AddRouteAsync(string user, Uri target, string server = "", string? nonce = null, bool hubAware = false) =>
        await Store.Routes.UpsertAsync(new RouteRecord
        {
            User = user,
            Server = server,
            Target = target,
            TokenNonce = nonce ?? ServerTokens.NewNonce(),
            HubAware = hubAware,
            Updated = DateTimeOffset.UtcNow,
        });

    public Task RemoveRouteAsync(string user, string server = "") => Store.Routes.DeleteAsync(new ServerKey(user, server));

    /// <summary>The token the gateway must inject for <paramref name="route"/>.</summary>
    public string ServerTokenOf(RouteRecord route) => ServerTokens.Derive(SecretKey, route.Key, route.TokenNonce);

    /// <summary>A client that shows redirects instead of following them and sends <paramref name="session"/> as the hub's cookie.</summary>
    public HttpClient CreateClient(string? session = null, string? extraCookies = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = Address,
            Timeout = TimeSpan.FromSeconds(60),
        };
        string cookie = string.Join("; ", new[] { session is null ? null : $"{HubCookies.Session}={session}", extraCookies }.Where(c => c is not null));
        if (cookie.Length > 0)
        {
            client.DefaultRequestHeaders.Add("Cookie", cookie);
        }
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
