using System.Text.Json;

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

    /// <summary>
    /// Whether an id token says the user's groups were left out of it. Microsoft Entra ID leaves the groups claim out
    /// when the user is in more groups than a token may carry (200 in a JWT; "group overage") and says so with
    /// <c>_claim_names</c> naming the groups claim (a distributed claim, to be read from Microsoft Graph) or, in the
    /// implicit flow, <c>hasgroups: true</c>. Group rules would then see no groups at all and silently refuse members.
    /// </summary>
    /// <param name="groupsClaim">The claim the hub reads groups from (<c>Entra__GroupsClaim</c>, <c>Oidc__GroupsClaim</c>).</param>
    /// <param name="hasGroupsClaim">The token carries that claim.</param>
    /// <param name="claimNamesJson">The token's <c>_claim_names</c> object as JSON, if any.</param>
    /// <param name="hasGroups">The token's <c>hasgroups</c> value, if any.</param>
    public static bool IndicatesGroupsOverage(string groupsClaim, bool hasGroupsClaim, string? claimNamesJson, string? hasGroups)
    {
        if (hasGroupsClaim)
        {
            return false;
        }
        if (string.Equals(hasGroups, "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (string.IsNullOrEmpty(claimNamesJson))
        {
            return false;
        }
        try
        {
            using var names = JsonDocument.Parse(claimNamesJson);
            return names.RootElement.ValueKind == JsonValueKind.Object
                && (names.RootElement.TryGetProperty(groupsClaim, out _) || names.RootElement.TryGetProperty("groups", out _));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The message for someone whose token left the groups out while group rules decide who may log in.</summary>
    public const string GroupsOverageMessage =
        "Your account is in more groups than the identity provider puts in a sign-in token, so this hub cannot see whether you belong to an allowed group. "
        + "Ask the hub's administrator to send only the groups assigned to the application (Microsoft Entra ID: the app registration's token configuration, \"Groups assigned to the application\").";
}
