namespace Hub.Core.Security;

/// <summary>The cookies the hub sets. The gateway strips every one of them before forwarding to a user server.</summary>
public static class HubCookies
{
    /// <summary>The login session: a random id (only its hash is stored), HttpOnly, SameSite=Lax, Path=/, Secure over HTTPS.</summary>
    public const string Session = "hub-session";

    /// <summary>The anti-forgery token, as JupyterHub names it (forms send it back as <c>_xsrf</c> or <c>X-XSRFToken</c>).</summary>
    public const string Xsrf = "_xsrf";

    /// <summary>Every cookie name the hub owns.</summary>
    public static readonly IReadOnlyList<string> All = [Session, Xsrf];
}
