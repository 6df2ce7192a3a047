using System.Globalization;
using Hub.Core.Auth;
using Hub.Core.Hosting;
using Hub.Core.Users;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using Microsoft.Identity.Web;
using Microsoft.Identity.Web.Resource;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Microsoft.IdentityModel.Validators;

namespace Hub.Functions.Auth;

/// <summary>
/// The OpenID Connect authorization code flow with PKCE, for <c>oidc</c> and <c>entra</c>: builds the
/// authorization request from the provider's discovery document, redeems the code with MSAL, and validates the
/// id token with Microsoft.IdentityModel (signature against the provider's published keys, issuer, audience,
/// lifetime, nonce; for Entra also the tenant, and the issuer by Microsoft.Identity.Web's Entra issuer validator).
/// The user name comes from the configured claim, never the display name.
/// </summary>
/// <remarks>
/// Why the flow itself is not Microsoft.Identity.Web's <c>AddMicrosoftIdentityWebApp</c>: see docs/architecture.md
/// ("Hand-written parts, and why").
/// </remarks>
public sealed class OidcSignIn
{
    private static readonly HashSet<string> MicrosoftHosts = new(StringComparer.OrdinalIgnoreCase)
    {
        "login.microsoftonline.com", "login.microsoftonline.us", "login.chinacloudapi.cn", "login.partner.microsoftonline.cn",
    };

    private readonly OidcProviderSettings _settings;
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _configuration;
    private readonly IConfidentialClientApplication _msal;
    private readonly Uri _redirectUri;
    private readonly UserNamePolicy _names;
    private readonly bool _groupsDecide;
    private readonly AadIssuerValidator? _entraIssuers;

    public OidcSignIn(OidcProviderSettings settings, HubOptions hub, AuthOptions auth, IHttpClientFactory clients, UserNamePolicy names)
    {
        _settings = settings;
        _names = names;
        _groupsDecide = auth.AllowedGroups.Count > 0 || auth.AdminGroups.Count > 0;
        _redirectUri = new Uri(hub.PublicUrl, "/hub/oauth_callback");
        var http = clients.CreateClient(MsalHttpClientFactory.ClientName);
        _configuration = new ConfigurationManager<OpenIdConnectConfiguration>(
            settings.MetadataAddress.AbsoluteUri, new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever(http) { RequireHttps = true });

        var builder = ConfidentialClientApplicationBuilder.Create(settings.ClientId)
            .WithClientSecret(settings.ClientSecret)
            .WithRedirectUri(_redirectUri.AbsoluteUri)
            .WithHttpClientFactory(new MsalHttpClientFactory(clients))
            .WithLogging((_, _, _) => { }, enablePiiLogging: false);
        builder = settings.IsEntra
            ? builder.WithAuthority(settings.MsalAuthority.AbsoluteUri, validateAuthority: MicrosoftHosts.Contains(settings.MsalAuthority.Host))
                .WithInstanceDiscovery(MicrosoftHosts.Contains(settings.MsalAuthority.Host))
            : builder.WithOidcAuthority(settings.MsalAuthority.AbsoluteUri);
        _msal = builder.Build();
        if (settings.IsEntra)
        {
            // Entra's issuers, single- and multi-tenant ({tenantid} filled in from the token's tid), as Identity.Web checks them.
            _entraIssuers = new MicrosoftIdentityIssuerValidatorFactory(
                Options.Create(new AadIssuerValidatorOptions { HttpClientName = MsalHttpClientFactory.ClientName }), clients)
                .GetAadIssuerValidator(new Uri(settings.MsalAuthority, "v2.0").AbsoluteUri);
        }
    }

    public string DisplayName => _settings.DisplayName;

    /// <summary>Where to send the browser: the provider's authorization endpoint with state, nonce and the PKCE challenge.</summary>
    public async Task<Uri> AuthorizationUrlAsync(string state, string nonce, string codeChallenge, CancellationToken cancellationToken)
    {
        var configuration = await GetConfigurationAsync(cancellationToken);
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = _settings.ClientId,
            ["response_type"] = "code",
            ["redirect_uri"] = _redirectUri.AbsoluteUri,
            ["scope"] = _settings.ScopeParameter,
            ["state"] = state,
            ["nonce"] = nonce,
            ["code_challenge"] = codeChallenge,
            ["code_challenge_method"] = "S256",
            ["response_mode"] = "query",
        };
        return new Uri(Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(configuration.AuthorizationEndpoint, query));
    }

    /// <summary>Redeems <paramref name="code"/> and returns who signed in.</summary>
    /// <exception cref="OidcSignInException">The code or the id token was not acceptable.</exception>
    public async Task<AuthenticatedPerson> CompleteAsync(string code, string codeVerifier, string nonce, CancellationToken cancellationToken)
    {
        Microsoft.Identity.Client.AuthenticationResult result;
        try
        {
            result = await _msal.AcquireTokenByAuthorizationCode(_settings.MsalScopes, code)
                .WithPkceCodeVerifier(codeVerifier)
                .ExecuteAsync(cancellationToken);
        }
        catch (MsalException ex)
        {
            throw new OidcSignInException("The identity provider did not accept the sign-in code.", ex);
        }
        // The hub keeps no provider tokens: drop what MSAL cached for this account, so memory does not grow per user.
        if (result.Account is not null)
        {
            await _msal.RemoveAsync(result.Account);
        }
        if (string.IsNullOrEmpty(result.IdToken))
        {
            throw new OidcSignInException("The identity provider returned no id token.");
        }
        var token = await ValidateAsync(result.IdToken, nonce, cancellationToken);
        return PersonFrom(token);
    }

    private async Task<JsonWebToken> ValidateAsync(string idToken, string nonce, CancellationToken cancellationToken)
    {
        var configuration = await GetConfigurationAsync(cancellationToken);
        var parameters = new TokenValidationParameters
        {
            ValidAudience = _settings.ClientId,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            IssuerSigningKeys = configuration.SigningKeys,
            ClockSkew = TimeSpan.FromMinutes(2),
            ValidateIssuer = true,
            ValidIssuer = configuration.Issuer,
            // Entra's multi-tenant endpoints publish an issuer template; the token's own tenant fills it in.
            IssuerValidator = _entraIssuers is null ? null : _entraIssuers.Validate,
        };

        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, parameters);
        if (!validation.IsValid || validation.SecurityToken is not JsonWebToken token)
        {
            throw new OidcSignInException("The identity provider's id token did not validate.", validation.Exception);
        }
        if (!token.TryGetPayloadValue<string>("nonce", out var tokenNonce) || !string.Equals(tokenNonce, nonce, StringComparison.Ordinal))
        {
            throw new OidcSignInException("The id token does not belong to this sign-in (nonce mismatch).");
        }
        if (_settings.IsEntra)
        {
            if (!token.TryGetPayloadValue<string>(ClaimConstants.Tid, out var tid) || (_settings.AllowedTenants.Count > 0 && !_settings.AllowedTenants.Contains(tid, StringComparer.OrdinalIgnoreCase)))
            {
                throw new OidcSignInException("Accounts of your organisation may not sign in to this hub.");
            }
        }
        return token;
    }

    private AuthenticatedPerson PersonFrom(JsonWebToken token)
    {
        string? raw = token.Claims.FirstOrDefault(c => c.Type == _settings.UserNameClaim)?.Value;
        if (string.IsNullOrWhiteSpace(raw))
        {
            throw new OidcSignInException(string.Create(CultureInfo.InvariantCulture, $"Your account has no '{_settings.UserNameClaim}' claim, which this hub uses as the user name."));
        }
        if (!_names.TryNormalize(raw, out string name, out string problem))
        {
            throw new OidcSignInException(problem);
        }
        var groups = token.Claims.Where(c => c.Type == _settings.GroupsClaim).Select(c => c.Value).Where(g => g.Length is > 0 and <= 256).Distinct().Take(500).ToList();
        // Without the groups an allow or admin group rule would refuse a member silently (or drop an admin's rights): say why instead.
        if (_groupsDecide && OidcClaims.IndicatesGroupsOverage(_settings.GroupsClaim, token.Claims.Any(c => c.Type == _settings.GroupsClaim),
                token.Claims.FirstOrDefault(c => c.Type == "_claim_names")?.Value, token.Claims.FirstOrDefault(c => c.Type == "hasgroups")?.Value))
        {
            throw new OidcSignInException(OidcClaims.GroupsOverageMessage);
        }
        return new AuthenticatedPerson(name, Admin: false, Groups: groups);
    }

    private async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _configuration.GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            throw new OidcSignInException("The identity provider could not be reached. Please try again in a minute.", ex);
        }
    }
}
