using Hub.Core.Configuration;

namespace Hub.Core.Hosting;

/// <summary>Whether the hub runs on one machine with embedded defaults or in Azure.</summary>
public enum HubMode
{
    /// <summary>One machine: Azurite, local Jupyter processes, generated keys. Test-only conveniences are allowed.</summary>
    Local,

    /// <summary>Deployed: every secret must be configured; test-only conveniences need an explicit opt-in.</summary>
    Azure,
}

/// <summary>Settings of the hub as a whole, read by both apps.</summary>
public sealed class HubOptions : ISettingsSection
{
    public static string Section => "Hub";

    /// <summary>Local (embedded defaults) or Azure (deployed).</summary>
    public HubMode Mode { get; set; } = HubMode.Local;

    /// <summary>The URL people open: the gateway's public origin. Absolute URLs the hub hands out start with it.</summary>
    public Uri PublicUrl { get; set; } = new("http://127.0.0.1:8000");

    /// <summary>Where local state lives in local mode (Azurite data, user homes, the generated secret key); relative to the working directory.</summary>
    public string DataDirectory { get; set; } = ".hub-data";

    /// <summary>
    /// The hub's secret key (base64, at least 32 bytes), shared by the control plane and the gateway: it derives each
    /// server's token, so no server token is ever stored. Required in Azure mode; in local mode, empty means a key is
    /// generated once into the data directory.
    /// </summary>
    [SecretSetting]
    public string SecretKey { get; set; } = "";

    public void Validate(SettingsProblems problems)
    {
        if (!PublicUrl.IsAbsoluteUri || (PublicUrl.Scheme != Uri.UriSchemeHttp && PublicUrl.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(PublicUrl.Query) || !string.IsNullOrEmpty(PublicUrl.Fragment))
        {
            problems.Add("Hub__PublicUrl", $"must be an absolute http(s) URL without query or fragment, not '{PublicUrl}'");
        }
        else if (Mode == HubMode.Azure && PublicUrl.Scheme != Uri.UriSchemeHttps)
        {
            problems.Add("Hub__PublicUrl", "must be an https URL in Azure mode (session cookies are only sent over TLS)");
        }

        if (SecretKey.Length > 0)
        {
            if (!HubSecretKey.TryDecode(SecretKey, out _))
            {
                problems.Add("Hub__SecretKey", $"must be base64 for at least {HubSecretKey.MinimumBytes} random bytes (for example: openssl rand -base64 32)");
            }
        }
        else if (Mode == HubMode.Azure)
        {
            problems.Add("Hub__SecretKey", "must be set in Azure mode (base64 for at least 32 random bytes)");
        }

        if (Mode == HubMode.Local && string.IsNullOrWhiteSpace(DataDirectory))
        {
            problems.Add("Hub__DataDirectory", "must name a folder in local mode");
        }
    }
}
