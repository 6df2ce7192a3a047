namespace Hub.Core.Auth;

/// <summary>How people prove who they are (<c>Auth__Authenticator</c>).</summary>
public enum AuthenticatorKind
{
    /// <summary>Any name, any password: for load tests and development only (local mode, or an explicit opt-in).</summary>
    Dummy,

    /// <summary>One workshop password for every non-admin name; an optional, longer admin password for admins.</summary>
    SharedPassword,

    /// <summary>Microsoft Entra ID sign-in (OpenID Connect, authorization code flow with PKCE).</summary>
    Entra,

    /// <summary>Any OpenID Connect provider, found through its discovery document.</summary>
    Oidc,
}
