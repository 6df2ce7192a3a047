using Hub.Core.Configuration;

namespace Hub.Functions.Hosting;

/// <summary>Where the control plane listens.</summary>
public sealed class ControlPlaneOptions : ISettingsSection
{
    public static string Section => "ControlPlane";

    /// <summary>The address to listen on when the app runs by itself (locally, in tests). Loopback by default.</summary>
    public Uri ListenUrl { get; set; } = new("http://127.0.0.1:8081");

    /// <summary>
    /// The loopback port the Azure Functions host assigns to its custom handler. When set, it replaces
    /// <see cref="ListenUrl"/>: the host proxies every request to <c>http://127.0.0.1:{port}</c>.
    /// </summary>
    [SettingKey("FUNCTIONS_CUSTOMHANDLER_PORT")]
    [SetByHost]
    public int? FunctionsCustomHandlerPort { get; set; }

    /// <summary>The URL Kestrel binds to.</summary>
    public string EffectiveListenUrl => FunctionsCustomHandlerPort is int port
        ? $"http://127.0.0.1:{port}"
        : ListenUrl.GetLeftPart(UriPartial.Authority);

    public void Validate(SettingsProblems problems)
    {
        if (ListenUrl.Scheme != Uri.UriSchemeHttp || ListenUrl.AbsolutePath != "/" || !string.IsNullOrEmpty(ListenUrl.Query))
        {
            problems.Add("ControlPlane__ListenUrl", $"must be an http URL with a host and port only (TLS ends at the gateway), not '{ListenUrl}'");
        }
        if (FunctionsCustomHandlerPort is < 1 or > 65535)
        {
            problems.Add("FUNCTIONS_CUSTOMHANDLER_PORT", $"must be a port number from 1 to 65535, not {FunctionsCustomHandlerPort}");
        }
    }
}
