using Azure.Core;
using Azure.Identity;

namespace Hub.Azure.Telemetry;

/// <summary>
/// Reads <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> as the Functions host does: <c>Authorization=AAD</c> sends
/// telemetry with Entra ID (the template turns Application Insights' key-based ingestion off), as the user-assigned
/// identity named by <c>ClientId=…</c>, or the system-assigned one without it.
/// </summary>
internal static class ApplicationInsightsAuthentication
{
    /// <summary>The credential to send telemetry with, or <c>null</c> for the connection string's own key.</summary>
    public static TokenCredential? Credential(string? authenticationString)
    {
        if (string.IsNullOrWhiteSpace(authenticationString))
        {
            return null;
        }
        string? authorization = null, clientId = null;
        foreach (var part in authenticationString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }
            string key = part[..equals].Trim(), value = part[(equals + 1)..].Trim();
            if (key.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                authorization = value;
            }
            else if (key.Equals("ClientId", StringComparison.OrdinalIgnoreCase))
            {
                clientId = value;
            }
        }
        if (!"AAD".Equals(authorization, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return string.IsNullOrEmpty(clientId)
            ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
    }
}
