using System.Text.RegularExpressions;

namespace Hub.Infra.Tests.Arm;

/// <summary>
/// Least privilege, checkably: every role assignment gives one of the named built-in roles (looked up by name in the
/// template's <c>roles</c> map) to one of the hub's two identities at one of the named scopes, and nothing else.
/// </summary>
public sealed partial class RoleAssignmentTests
{
    /// <summary>Built-in role ids, as Microsoft's built-in roles reference lists them.</summary>
    private static readonly IReadOnlyDictionary<string, string> BuiltInRoles = new Dictionary<string, string>
    {
        ["Storage Table Data Contributor"] = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
        ["Storage Blob Data Owner"] = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
        ["Storage Account Contributor"] = "17d1049b-9a84-46fb-8f53-869881c3d3ab",
        ["Azure Container Instances Contributor Role"] = "5d977122-f97e-4b4d-a52f-6b43003ddb4d",
        ["Network Contributor"] = "4d97b98b-1d4f-4787-a291-c67834d212e7",
        ["AcrPull"] = "7f951dda-4ed3-4680-a7ca-43fe172d538d",
        ["Key Vault Secrets User"] = "4633458b-17de-408a-b874-0445c86b69e6",
        ["Monitoring Metrics Publisher"] = "3913510d-42f4-4e42-8a64-420c390055eb",
    };

    /// <summary>Roles that would hand an identity the whole resource group or the right to grant more.</summary>
    private static readonly IReadOnlySet<string> BroadRoles = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", // Owner
        "b24988ac-6180-42a0-ab88-20f7382dd24c", // Contributor
        "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", // User Access Administrator
        "f58310d9-a9f6-439a-9e8d-f62e7b41a168", // Role Based Access Control Administrator
    };

    /// <summary>The named scopes: absent means the resource group that also holds the user servers' container groups.</summary>
    private static readonly IReadOnlyDictionary<string, string?> Scopes = new Dictionary<string, string?>
    {
        ["resource group"] = null,
        ["state account"] = "[format('Microsoft.Storage/storageAccounts/{0}', variables('stateAccountName'))]",
        ["homes account"] = "[format('Microsoft.Storage/storageAccounts/{0}', variables('homesAccountName'))]",
        ["user-server subnet"] = "[format('Microsoft.Network/virtualNetworks/{0}/subnets/{1}', variables('vnetName'), variables('containerInstancesSubnetName'))]",
        ["registry"] = "[format('Microsoft.ContainerRegistry/registries/{0}', variables('registryName'))]",
        ["hub secret key"] = "[format('Microsoft.KeyVault/vaults/{0}/secrets/{1}', variables('keyVaultName'), variables('hubSecretKeyName'))]",
        ["application insights"] = "[format('Microsoft.Insights/components/{0}', variables('appInsightsName'))]",
        ["shared password"] = "[format('Microsoft.KeyVault/vaults/{0}/secrets/{1}', variables('keyVaultName'), variables('authSharedPasswordSecretName'))]",
        ["admin password"] = "[format('Microsoft.KeyVault/vaults/{0}/secrets/{1}', variables('keyVaultName'), variables('authAdminPasswordSecretName'))]",
        ["oidc client secret"] = "[format('Microsoft.KeyVault/vaults/{0}/secrets/{1}', variables('keyVaultName'), variables('oidcClientSecretSecretName'))]",
        ["entra client secret"] = "[format('Microsoft.KeyVault/vaults/{0}/secrets/{1}', variables('keyVaultName'), variables('entraClientSecretSecretName'))]",
        ["homes account key"] = "[format('Microsoft.KeyVault/vaults/{0}/secrets/{1}', variables('keyVaultName'), variables('homesAccountKeySecretName'))]",
    };

    /// <summary>Who gets what where, and why (docs/deploy.md explains each line).</summary>
    private static readonly IReadOnlySet<(string Identity, string Role, string Scope)> Allowed = new HashSet<(string, string, string)>
    {
        ("controlPlaneIdentityName", "Storage Table Data Contributor", "state account"),
        ("controlPlaneIdentityName", "Storage Blob Data Owner", "state account"),
        ("controlPlaneIdentityName", "Azure Container Instances Contributor Role", "resource group"),
        ("controlPlaneIdentityName", "Network Contributor", "user-server subnet"),
        ("controlPlaneIdentityName", "Storage Account Contributor", "homes account"),
        ("controlPlaneIdentityName", "Key Vault Secrets User", "hub secret key"),
        ("controlPlaneIdentityName", "Monitoring Metrics Publisher", "application insights"),
        ("controlPlaneIdentityName", "Key Vault Secrets User", "shared password"),
        ("controlPlaneIdentityName", "Key Vault Secrets User", "admin password"),
        ("controlPlaneIdentityName", "Key Vault Secrets User", "oidc client secret"),
        ("controlPlaneIdentityName", "Key Vault Secrets User", "entra client secret"),
        ("controlPlaneIdentityName", "Key Vault Secrets User", "homes account key"),
        ("gatewayIdentityName", "Storage Table Data Contributor", "state account"),
        ("gatewayIdentityName", "AcrPull", "registry"),
        ("gatewayIdentityName", "Key Vault Secrets User", "hub secret key"),
        ("gatewayIdentityName", "Monitoring Metrics Publisher", "application insights"),
    };

    [Fact]
    public void RolesMap_HoldsTheBuiltInRoleIdsByName()
    {
        var map = ArmTemplate.Load().Variables["roles"]!.AsObject().ToDictionary(r => r.Key, r => (string)r.Value!);

        Assert.Equal(BuiltInRoles.OrderBy(r => r.Key), map.OrderBy(r => r.Key));
        Assert.DoesNotContain(map.Values, BroadRoles.Contains);
    }

    [Fact]
    public void RoleAssignments_AreExactlyTheNamedOnes()
    {
        var template = ArmTemplate.Load();

        var (granted, problems) = Inspect(template);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.Equal(Allowed.OrderBy(a => a.ToString()), granted.OrderBy(a => a.ToString()));
    }

    [Fact]
    public void EveryRoleInTheMap_IsGranted()
    {
        var template = ArmTemplate.Load();
        var used = Inspect(template).Granted.Select(g => g.Role).ToHashSet();

        Assert.Empty(template.Variables["roles"]!.AsObject().Select(r => r.Key).Except(used));
    }

    [Fact]
    public void Inspect_UnnamedRoleOrScopeOrSecondGrant_IsReported()
    {
        var template = ArmTemplate.Load().Clone();
        var assignments = template.OfType("Microsoft.Authorization/roleAssignments").ToList();
        assignments[0].Properties["roleDefinitionId"] = "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42a0-ab88-20f7382dd24c')]";
        assignments[1].Json["scope"] = "[resourceGroup().id]";
        assignments[2].Properties["principalType"] = "User";

        var problems = Inspect(template).Problems;

        Assert.Contains(problems, p => p.Contains("not a role of the roles map", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("not one of the named scopes", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("principalType", StringComparison.Ordinal));
    }

    private static (List<(string Identity, string Role, string Scope)> Granted, List<string> Problems) Inspect(ArmTemplate template)
    {
        var granted = new List<(string, string, string)>();
        var problems = new List<string>();
        foreach (var assignment in template.OfType("Microsoft.Authorization/roleAssignments"))
        {
            string where = $"role assignment {assignment.Name}";
            var role = NamedRole().Match((string?)assignment.Properties["roleDefinitionId"] ?? "");
            var principal = IdentityPrincipal().Match((string?)assignment.Properties["principalId"] ?? "");
            string? scope = (string?)assignment.Json["scope"];
            string? scopeName = Scopes.FirstOrDefault(s => s.Value == scope).Key;

            if (!role.Success || !BuiltInRoles.ContainsKey(role.Groups["name"].Value))
            {
                problems.Add($"{where}: roleDefinitionId {assignment.Properties["roleDefinitionId"]} is not a role of the roles map, looked up by name");
                continue;
            }
            if (scopeName is null)
            {
                problems.Add($"{where}: scope {scope} is not one of the named scopes");
                continue;
            }
            if (!principal.Success)
            {
                problems.Add($"{where}: principalId must be the principal of one of the hub's user-assigned identities");
                continue;
            }
            if ((string?)assignment.Properties["principalType"] != "ServicePrincipal")
            {
                problems.Add($"{where}: principalType must be ServicePrincipal (so that a new identity is not looked up as a user)");
            }
            string roleName = role.Groups["name"].Value;
            string identity = principal.Groups["identity"].Value;
            if (!assignment.Name.Contains($"variables('{identity}'), '{roleName}')", StringComparison.Ordinal))
            {
                problems.Add($"{where}: the name must be a guid of the scope, the identity and the role, so that each grant has one stable name");
            }
            granted.Add((identity, roleName, scopeName));
        }
        return (granted, problems);
    }

    [GeneratedRegex(@"^\[subscriptionResourceId\('Microsoft\.Authorization/roleDefinitions', variables\('roles'\)\['(?<name>[^']+)'\]\)\]$")]
    private static partial Regex NamedRole();

    [GeneratedRegex(@"^\[reference\(resourceId\('Microsoft\.ManagedIdentity/userAssignedIdentities', variables\('(?<identity>controlPlaneIdentityName|gatewayIdentityName)'\)\), '[0-9-]+'\)\.principalId\]$")]
    private static partial Regex IdentityPrincipal();
}
