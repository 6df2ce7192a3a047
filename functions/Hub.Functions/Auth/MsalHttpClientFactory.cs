using Microsoft.Identity.Client;

namespace Hub.Functions.Auth;

/// <summary>
/// Gives MSAL the app's named HTTP client for the identity provider, so that its handler (proxy, extra trusted
/// certificates, timeouts) is configured in one place, for discovery, keys and code redemption alike.
/// </summary>
public sealed class MsalHttpClientFactory(IHttpClientFactory clients) : IMsalHttpClientFactory
{
    /// <summary>The named client used for everything sent to the identity provider.</summary>
    public const string ClientName = "oidc";

    public HttpClient GetHttpClient() => clients.CreateClient(ClientName);
}
