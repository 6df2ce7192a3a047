namespace Hub.Core.Auth.Credentials;

/// <summary>The token syntax JupyterHub accepts: <c>Authorization: token X</c> or <c>Authorization: Bearer X</c>, the scheme in any case.</summary>
public static class TokenHeader
{
    /// <summary>The token of an <c>Authorization</c> header value; <c>null</c> for none, another scheme or an empty token.</summary>
    public static string? TokenOf(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization))
        {
            return null;
        }
        int space = authorization.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return null;
        }
        var scheme = authorization.AsSpan(0, space);
        if (!scheme.Equals("token", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("bearer", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        string token = authorization[(space + 1)..].Trim();
        return token.Length == 0 ? null : token;
    }
}
