namespace Hub.Core.Auth;

/// <summary>Rules about which identity-token claims may name a user.</summary>
public static class OidcClaims
{
    /// <summary>Display names: neither unique nor stable, so never a user name (oauthenticator#213).</summary>
    public static readonly IReadOnlySet<string> DisplayNameClaims = new HashSet<string>(StringComparer.Ordinal) { "name", "given_name", "family_name", "nickname" };

    public static void ValidateUserNameClaim(string key, string claim, Action<string, string> report)
    {
        if (claim.Length == 0)
        {
            report(key, "must name an id-token claim");
        }
        else if (DisplayNameClaims.Contains(claim))
        {
            report(key, $"cannot be '{claim}': display names are neither unique nor stable (use oid, sub or preferred_username)");
        }
    }
}
