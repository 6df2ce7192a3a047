using Hub.Core.Configuration;

namespace Hub.Gateway.Hosting;

/// <summary>Where the gateway listens.</summary>
public sealed class GatewayOptions : ISettingsSection
{
    public static string Section => "Gateway";

    /// <summary>The public address (locally, the URL students open). In Azure, the container app's ingress port.</summary>
    public Uri ListenUrl { get; set; } = new("http://127.0.0.1:8000");

    public void Validate(SettingsProblems problems)
    {
        if (ListenUrl.Scheme != Uri.UriSchemeHttp || ListenUrl.AbsolutePath != "/")
        {
            problems.Add("Gateway__ListenUrl", $"must be an http URL with a host and port only (TLS ends at the ingress), not '{ListenUrl}'");
        }
    }
}
