namespace Hub.Core.Auth.Credentials;

/// <summary>Where the two apps deliberately differ in resolving credentials (everything else is one rule).</summary>
public sealed record CredentialResolverOptions
{
    /// <summary>
    /// When a request's token does not authenticate, try its session cookie. The gateway does, as JupyterHub's
    /// servers do: a token sent to <c>/user/…</c> may be meant for the server itself, not the hub. The control plane
    /// does not: at <c>/hub/…</c> a token that is not valid makes the request anonymous.
    /// </summary>
    public bool SessionCookieFallback { get; init; }
}
