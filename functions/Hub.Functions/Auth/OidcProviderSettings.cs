using Hub.Core.Auth;

namespace Hub.Functions.Auth;

/// <summary>One OpenID Connect provider as the sign-in needs it, made from <c>Oidc__*</c> or <c>Entra__*</c> settings.</summary>
/// <param name="DisplayName">The name on the "Sign in with …" button.</param>
/// <param name="MetadataAddress">The discovery document.</param>
/// <param name="MsalAuthority">The authority MSAL redeems codes at.</param>
/// <param name="IsEntra">Entra: MSAL's Entra authority, the <c>tid</c> check and <c>{tenantid}</c> issuers.</param>
/// <param name="AllowedTenants">Entra: tenant ids whose users may sign in (empty: the configured tenant's).</param>
public sealed record OidcProviderSettings(
    string DisplayName,
    Uri MetadataAddress,
    Uri MsalAuthority,
    string ClientId,
    string ClientSecret,
    IReadOnlyList<string> Scopes,
    string UserNameClaim,
    string GroupsClaim,
    bool IsEntra,
    IReadOnlyList<string> AllowedTenants)
{
    /// <summary>Scopes MSAL adds by itself and refuses to be given.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase) { "openid", "profile", "offline_access" };

    /// <summary>The scopes to pass to MSAL (it always adds openid, profile and offline_access).</summary>
    public IReadOnlyList<string> MsalScopes => Scopes.Where(s => !Reserved.Contains(s)).ToList();

    /// <summary>The scope parameter of the authorization request.</summary>
    public string ScopeParameter => string.Join(' ', new[] { "openid", "profile" }.Concat(Scopes.Where(s => !s.Equals("openid", StringComparison.OrdinalIgnoreCase) && !s.Equals("profile", StringComparison.OrdinalIgnoreCase))));

    public static OidcProviderSettings From(OidcOptions options)
    {
        string authority = options.Authority!.AbsoluteUri.TrimEnd('/');
        return new OidcProviderSettings(options.DisplayName, new Uri(authority + "/.well-known/openid-configuration"), new Uri(authority),
            options.ClientId, options.ClientSecret, options.Scopes, options.UserNameClaim, options.GroupsClaim, false, []);
    }

    public static OidcProviderSettings From(EntraOptions options)
    {
        string authority = new Uri(options.Instance, Uri.EscapeDataString(options.TenantId) + "/").AbsoluteUri;
        var allowed = options.AllowedTenants.Count > 0 ? options.AllowedTenants : (Guid.TryParse(options.TenantId, out _) ? [options.TenantId] : []);
        return new OidcProviderSettings("Microsoft", new Uri(authority + "v2.0/.well-known/openid-configuration"), new Uri(authority),
            options.ClientId, options.ClientSecret, [], options.UserNameClaim, options.GroupsClaim, true, allowed);
    }
}
