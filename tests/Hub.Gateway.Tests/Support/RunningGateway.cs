using Hub.Azure.Store;
using Hub.Core.Security;
using Hub.Core.Store;
using Hub.Testing;
using Hub.Testing.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hub.Gateway.Tests.Support;

/// <summary>
/// The real gateway on Kestrel (a <see cref="HubHost"/> of the gateway alone), on a free loopback port, over its own
/// tables in the shared Azurite, with helpers that write the rows the login and spawning parts of the hub would write
/// (users, sessions, tokens, routes).
/// </summary>
public sealed class RunningGateway : IAsyncDisposable
{
    private RunningGateway(HubHost host)
    {
        Host = host;
        Store = host.TableStore!;
        SecretKey = host.SecretKeyBytes;
    }

    /// <summary>The host that runs this gateway alone.</summary>
    public HubHost Host { get; }

    /// <summary>The main listener (HTTP/1.1).</summary>
    public Uri Address => Host.GatewayAddress!;

    /// <summary>The HTTP/2 (h2c) listener.</summary>
    public Uri Http2Address => Host.GatewayHttp2Address!;

    /// <summary>The gateway's origin, as a browser on it would send in <c>Origin</c>.</summary>
    public string Origin => Address.GetLeftPart(UriPartial.Authority);

    public TableHubStore Store { get; }

    public byte[] SecretKey { get; }

    public IServiceProvider Services => Host.Gateway;

    /// <param name="controlPlane">Where /hub/ goes (a test backend).</param>
    /// <param name="settings">Extra app settings, as configuration paths (<c>Gateway:RouteRefreshInterval</c>).</param>
    public static async Task<RunningGateway> StartAsync(AzuriteFixture azurite, Uri controlPlane, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(await HubHost.StartAsync(new HubHostOptions
        {
            Parts = HubParts.Gateway,
            Azurite = azurite,
            TablePrefix = AzuriteFixture.UniqueTableName("g"),
            ControlPlaneUrl = controlPlane,
            LogLevel = LogLevel.Warning,
            GatewaySettings = settings ?? new Dictionary<string, string?>(),
        }));

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

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
        var client = Host.CreateClient(Address, followRedirects: false, timeout: TimeSpan.FromSeconds(60));
        string cookie = string.Join("; ", new[] { session is null ? null : $"{HubCookies.Session}={session}", extraCookies }.Where(c => c is not null));
        if (cookie.Length > 0)
        {
            client.DefaultRequestHeaders.Add("Cookie", cookie);
        }
        return client;
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
