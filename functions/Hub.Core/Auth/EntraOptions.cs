using Hub.Core.Configuration;

namespace Hub.Core.Auth;

/// <summary>Microsoft Entra ID sign-in (section <c>Entra</c>, read with <c>Auth__Authenticator=entra</c>).</summary>
public sealed class EntraOptions : ISettingsSection
{
    public static string Section => "Entra";

    /// <summary>The cloud's sign-in host; change it for sovereign clouds (e.g. <c>https://login.microsoftonline.us</c>).</summary>
    public Uri Instance { get; set; } = new("https://login.microsoftonline.com");

    /// <summary>The directory (tenant) id or domain; <c>organizations</c> admits the tenants in <see cref="AllowedTenants"/>.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>With <c>Entra__TenantId=organizations</c>: the tenant ids whose users may sign in.</summary>
    public IReadOnlyList<string> AllowedTenants { get; set; } = [];

    /// <summary>The application (client) id of the app registration. Its redirect URI is <c>{Hub__PublicUrl}/hub/oauth_callback</c>.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>A client secret of the app registration.</summary>
    [SecretSetting]
    public string ClientSecret { get; set; } = "";

    /// <summary>
    /// The id-token claim that becomes the hub user name. <c>oid</c> (the object id) is stable and unique;
    /// <c>preferred_username</c> is readable but can change and guests may lack it; <c>name</c> is refused.
    /// </summary>
    public string UserNameClaim { get; set; } = "oid";

    /// <summary>The id-token claim holding group object ids (enable "groups" claims in the app registration).</summary>
    public string GroupsClaim { get; set; } = "groups";

    public void Validate(SettingsProblems problems)
    {
        // Checked only when the authenticator is entra; see ValidateWhenUsed.
    }

    /// <summary>The tenant-independent names Entra accepts in place of a tenant id.</summary>
    public bool IsMultiTenant => TenantId is "organizations" or "common";

    /// <summary>Checks made only when <c>Auth__Authenticator=entra</c>.</summary>
    public void ValidateWhenUsed(Action<string, string> report)
    {
        if (Instance.Scheme != Uri.UriSchemeHttps || Instance.AbsolutePath != "/")
        {
            report("Entra__Instance", $"must be an https URL with a host only, not '{Instance}'");
        }
        if (TenantId.Length == 0)
        {
            report("Entra__TenantId", "must be set with Auth__Authenticator=entra (the directory id)");
        }
        else if (TenantId == "consumers")
        {
            report("Entra__TenantId", "cannot be 'consumers': personal Microsoft accounts have no tenant to restrict");
        }
        else if (IsMultiTenant && AllowedTenants.Count == 0)
        {
            report("Entra__AllowedTenants", $"must list the tenant ids allowed to sign in when Entra__TenantId is '{TenantId}'");
        }
        if (ClientId.Length == 0)
        {
            report("Entra__ClientId", "must be set with Auth__Authenticator=entra");
        }
        if (ClientSecret.Length == 0)
        {
            report("Entra__ClientSecret", "must be set with Auth__Authenticator=entra");
        }
        OidcClaims.ValidateUserNameClaim("Entra__UserNameClaim", UserNameClaim, report);
    }
}
