using Hub.Core.Hosting;
using Hub.Core.Security;

namespace Hub.Functions.Auth;

/// <summary>Sets and clears the hub's cookies with the same attributes every time.</summary>
public sealed class HubCookieWriter(HubOptions hub)
{
    /// <summary>The anti-forgery cookie's path, as in JupyterHub.</summary>
    public const string XsrfPath = "/hub/";

    private bool Secure => hub.PublicUrl.Scheme == Uri.UriSchemeHttps;

    /// <summary>The session cookie: Path=/ (the gateway reads it on /user/…), HttpOnly, SameSite=Lax, Secure over https.</summary>
    public void SetSession(HttpResponse response, string sessionId, TimeSpan lifetime) =>
        response.Cookies.Append(HubCookies.Session, sessionId, new CookieOptions
        {
            Path = "/",
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = Secure,
            MaxAge = lifetime,
            IsEssential = true,
        });

    /// <summary>The anti-forgery cookie: readable by the hub's own scripts (they echo it in <c>X-XSRFToken</c>).</summary>
    public void SetXsrf(HttpResponse response, string token) =>
        response.Cookies.Append(HubCookies.Xsrf, token, new CookieOptions
        {
            Path = XsrfPath,
            HttpOnly = false,
            SameSite = SameSiteMode.Lax,
            Secure = Secure,
            IsEssential = true,
        });

    public void ClearAll(HttpResponse response)
    {
        response.Cookies.Delete(HubCookies.Session, new CookieOptions { Path = "/", Secure = Secure, SameSite = SameSiteMode.Lax, HttpOnly = true });
        response.Cookies.Delete(HubCookies.Xsrf, new CookieOptions { Path = XsrfPath, Secure = Secure, SameSite = SameSiteMode.Lax });
    }

    /// <summary>A short-lived, HttpOnly cookie scoped to one path (the sign-in state on its way to the callback).</summary>
    public void SetScoped(HttpResponse response, string name, string value, string path, TimeSpan lifetime) =>
        response.Cookies.Append(name, value, new CookieOptions
        {
            Path = path,
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = Secure,
            MaxAge = lifetime,
            IsEssential = true,
        });

    public void DeleteScoped(HttpResponse response, string name, string path) =>
        response.Cookies.Delete(name, new CookieOptions { Path = path, Secure = Secure, SameSite = SameSiteMode.Lax, HttpOnly = true });
}
