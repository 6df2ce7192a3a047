using Hub.Core.Store;

namespace Hub.Gateway.Forwarding;

/// <summary>Which part of the hub a request goes to: the label of its metrics.</summary>
public enum BackendKind
{
    /// <summary>The control plane (<c>/hub/…</c>).</summary>
    ControlPlane,

    /// <summary>A user's server (<c>/user/{name}/…</c>).</summary>
    UserServer,

    /// <summary>An externally run service (<c>/services/{name}/…</c>).</summary>
    Service,
}

/// <summary>Where and how to forward one request.</summary>
/// <param name="Origin">The backend's scheme, host and port, plus a path prefix put before the request's own path (usually empty).</param>
/// <param name="Kind">Control plane, user server or service.</param>
/// <param name="Authorization">A value that replaces the client's <c>Authorization</c> header (the server's token), or <c>null</c> to pass the client's on.</param>
/// <param name="Server">The user server, for activity and logs; <c>null</c> for the control plane.</param>
public sealed record ForwardTarget(Uri Origin, BackendKind Kind, string? Authorization = null, ServerKey? Server = null)
{
    /// <summary>
    /// User servers and services are not the hub: they get the client's own <c>Host</c> (Jupyter compares it with
    /// <c>Origin</c> on WebSockets), the hub's cookies removed, and may not set the hub's cookies. The control plane gets
    /// its own host name (a Functions app is routed by it) and everything else unchanged.
    /// </summary>
    public bool IsOutsideHub => Kind != BackendKind.ControlPlane;

    /// <summary>The backend is reached over <c>http://</c>, where it speaks HTTP/1.1.</summary>
    public bool IsPlainHttp { get; } = Origin.Scheme == Uri.UriSchemeHttp;

    /// <summary>The URL prefix, without a trailing slash, that the request's raw path and query are appended to.</summary>
    public string Prefix { get; } = Origin.GetLeftPart(UriPartial.Authority) + Origin.AbsolutePath.TrimEnd('/');
}
