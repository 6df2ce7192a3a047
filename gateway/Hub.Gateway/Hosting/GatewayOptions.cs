using Hub.Core.Configuration;

namespace Hub.Gateway.Hosting;

/// <summary>Where the gateway listens, where it forwards, and how long it waits and caches.</summary>
public sealed class GatewayOptions : ISettingsSection
{
    public static string Section => "Gateway";

    /// <summary>The public address (locally, the URL students open). In Azure, the container app's ingress port.</summary>
    public Uri ListenUrl { get; set; } = new("http://127.0.0.1:8000");

    /// <summary>
    /// An extra listener that speaks HTTP/2 without TLS (prior knowledge, "h2c"), for an ingress or client that sends
    /// HTTP/2 to the gateway; empty: none. <see cref="ListenUrl"/> speaks HTTP/1.1, because without TLS a listener
    /// cannot tell the two apart.
    /// </summary>
    public Uri? Http2ListenUrl { get; set; }

    /// <summary>The control plane's base URL: every <c>/hub/…</c> request goes there, path and query unchanged.</summary>
    public Uri ControlPlaneUrl { get; set; } = new("http://127.0.0.1:8081");

    /// <summary>How often the whole routes table is read again. A route missing from the snapshot is also looked up on its first request.</summary>
    public TimeSpan RouteRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a session or token check, and a user's admin flag, are reused: a revoked session stops working within this time.</summary>
    public TimeSpan CredentialCacheDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long one credential or route lookup may wait on the store; then the gateway serves what it last knew (see
    /// <see cref="StaleCredentialWindow"/>) or, for a credential it has not seen, answers 503 with <c>Retry-After</c>.
    /// </summary>
    public TimeSpan StoreLookupTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// While the store does not answer, a session or token the gateway validated within this time keeps working (and
    /// is logged and counted as served stale); revocations made meanwhile take effect when the store answers again.
    /// Zero turns it off: then every request needing a lookup gets 503 while the store is down.
    /// </summary>
    public TimeSpan StaleCredentialWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long to wait for the control plane's response headers on <c>/hub/…</c> (then 504 with a page that tries
    /// again); progress streams (<c>…/progress</c>) are held to <see cref="BackendResponseTimeout"/> instead.
    /// </summary>
    public TimeSpan ControlPlaneTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long to wait for a TCP connection to a user server or the control plane (then 504).</summary>
    public TimeSpan BackendConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long to wait for a backend's response headers (then 504), and then how long a body or WebSocket may stand
    /// still between two reads or writes (then it is closed). Streams that keep moving may last any time.
    /// </summary>
    public TimeSpan BackendResponseTimeout { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>Activity seen on a server is written to its record (and its user's) at most this often; replicas merge by keeping the latest time.</summary>
    public TimeSpan ActivityWriteInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Keep <c>X-Forwarded-For/Proto/Host</c> from the incoming request (append the peer to the first) because a
    /// trusted ingress set them; false replaces them with what the gateway itself sees.
    /// </summary>
    public bool TrustForwardedHeaders { get; set; }

    /// <summary>
    /// <c>/metrics</c> needs an admin's session or a token with <c>read:metrics</c> (as JupyterHub's
    /// <c>authenticate_prometheus</c>); false serves it to anyone who can reach the gateway.
    /// </summary>
    public bool AuthenticateMetrics { get; set; } = true;

    public void Validate(SettingsProblems problems)
    {
        CheckListenUrl(problems, "Gateway__ListenUrl", ListenUrl);
        if (Http2ListenUrl is not null)
        {
            CheckListenUrl(problems, "Gateway__Http2ListenUrl", Http2ListenUrl);
        }
        if ((ControlPlaneUrl.Scheme != Uri.UriSchemeHttp && ControlPlaneUrl.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(ControlPlaneUrl.Query) || !string.IsNullOrEmpty(ControlPlaneUrl.Fragment))
        {
            problems.Add("Gateway__ControlPlaneUrl", $"must be an http(s) URL without query or fragment, not '{ControlPlaneUrl}'");
        }
        Between(problems, "Gateway__RouteRefreshInterval", RouteRefreshInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        Between(problems, "Gateway__CredentialCacheDuration", CredentialCacheDuration, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Between(problems, "Gateway__StoreLookupTimeout", StoreLookupTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
        Between(problems, "Gateway__StaleCredentialWindow", StaleCredentialWindow, TimeSpan.Zero, TimeSpan.FromHours(1));
        Between(problems, "Gateway__ControlPlaneTimeout", ControlPlaneTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        Between(problems, "Gateway__BackendConnectTimeout", BackendConnectTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(2));
        Between(problems, "Gateway__BackendResponseTimeout", BackendResponseTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Between(problems, "Gateway__ActivityWriteInterval", ActivityWriteInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
    }

    private static void CheckListenUrl(SettingsProblems problems, string key, Uri url)
    {
        if (url.Scheme != Uri.UriSchemeHttp || url.AbsolutePath != "/")
        {
            problems.Add(key, $"must be an http URL with a host and port only (TLS ends at the ingress), not '{url}'");
        }
        else if (url.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6) && !url.IsLoopback)
        {
            problems.Add(key, $"must name an IP address or localhost (0.0.0.0 for every interface), not '{url.Host}'");
        }
    }

    private static void Between(SettingsProblems problems, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            problems.Add(key, $"must be between {SettingValue.Format(min)} and {SettingValue.Format(max)}, not {SettingValue.Format(value)}");
        }
    }
}
