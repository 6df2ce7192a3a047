using Hub.Core.Configuration;

namespace Hub.Core.Auth;

/// <summary>Sign-in through any OpenID Connect provider (section <c>Oidc</c>, read with <c>Auth__Authenticator=oidc</c>).</summary>
public sealed class OidcOptions : ISettingsSection
{
    public static string Section => "Oidc";

    /// <summary>The provider's issuer URL (https); its discovery document is at <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public Uri? Authority { get; set; }

    /// <summary>The client id registered with the provider. The redirect URI to register is <c>{Hub__PublicUrl}/hub/oauth_callback</c>.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The client secret registered with the provider.</summary>
    [SecretSetting]
    public string ClientSecret { get; set; } = "";

    /// <summary>Scopes to request besides <c>openid</c>.</summary>
    public IReadOnlyList<string> Scopes { get; set; } = ["profile", "email"];

    /// <summary>The id-token claim that becomes the hub user name: stable and unique (never the display name).</summary>
    public string UserNameClaim { get; set; } = "sub";

    /// <summary>The id-token claim holding group names or ids, for <c>Auth__AllowedGroups</c> and <c>Auth__AdminGroups</c>.</summary>
    public string GroupsClaim { get; set; } = "groups";

    /// <summary>The provider's name on the login button ("Sign in with …").</summary>
    public string DisplayName { get; set; } = "OpenID Connect";

    public void Validate(SettingsProblems problems)
    {
        // Checked only when the authenticator is oidc; see OidcOptions.ValidateWhenUsed.
    }

    /// <summary>Checks made only when <c>Auth__Authenticator=oidc</c>.</summary>
    public void ValidateWhenUsed(Action<string, string> report)
    {
        if (Authority is null)
        {
            report("Oidc__Authority", "must be set with Auth__Authenticator=oidc (the provider's issuer URL)");
        }
        else if (Authority.Scheme != Uri.UriSchemeHttps)
        {
            report("Oidc__Authority", $"must be an https URL, not '{Authority}'");
        }
        if (ClientId.Length == 0)
        {
            report("Oidc__ClientId", "must be set with Auth__Authenticator=oidc");
        }
        if (ClientSecret.Length == 0)
        {
            report("Oidc__ClientSecret", "must be set with Auth__Authenticator=oidc");
        }
        OidcClaims.ValidateUserNameClaim("Oidc__UserNameClaim", UserNameClaim, report);
    }
}
