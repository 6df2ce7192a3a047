namespace Hub.Core.Store;

/// <summary>
/// Where the gateway sends <c>/user/{User}/[{Server}/]…</c>: written by the control plane when a server is ready,
/// deleted when it stops. The gateway only reads routes.
/// </summary>
public sealed record RouteRecord : IStoredRecord
{
    public required string User { get; init; }

    public string Server { get; init; } = "";

    public ServerKey Key => new(User, Server);

    /// <summary>The server's base URL as the gateway reaches it, e.g. <c>http://10.1.0.7:8888</c>.</summary>
    public required Uri Target { get; init; }

    /// <summary>The nonce the server's token was derived from (see <c>ServerTokens</c>); not secret.</summary>
    public required string TokenNonce { get; init; }

    /// <summary>
    /// The server is <c>jupyterhub-singleuser</c>, which checks its visitors itself (OAuth with the hub): the gateway
    /// then passes the visitor's <c>Authorization</c> and the server's own cookies on and injects no token.
    /// </summary>
    public bool HubAware { get; init; }

    public required DateTimeOffset Updated { get; init; }

    public string? Version { get; init; }
}
