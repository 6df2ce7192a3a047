using System.Text.Json.Nodes;

namespace Hub.Infra.Tests.Arm;

/// <summary>Secrets stay out of outputs and plain settings; storage, vault and network are locked down as docs/deploy.md and docs/security.md say.</summary>
public sealed class TemplateSecurityTests
{
    private readonly ArmTemplate _template = ArmTemplate.Load();

    [Fact]
    public void Outputs_HoldNoSecrets()
    {
        var secureParameters = _template.Parameters.Where(p => ((string)p.Value!["type"]!).StartsWith("secure", StringComparison.OrdinalIgnoreCase))
            .Select(p => p.Key).ToList();

        foreach (var (name, output) in _template.Outputs)
        {
            string value = output!["value"]!.ToJsonString();
            Assert.DoesNotContain("list", ArmExpression.FunctionsCalled(value).Select(f => f[..Math.Min(4, f.Length)]));
            Assert.All(secureParameters, p => Assert.DoesNotContain($"parameters('{p}')", value, StringComparison.Ordinal));
            Assert.DoesNotContain("ConnectionString", value, StringComparison.OrdinalIgnoreCase);
            Assert.NotEqual("securestring", (string?)output["type"], StringComparer.OrdinalIgnoreCase);
            Assert.False(name.Contains("password", StringComparison.OrdinalIgnoreCase) || name.EndsWith("Key", StringComparison.Ordinal),
                $"output '{name}' sounds like a secret");
        }
    }

    [Fact]
    public void HubSecretKey_IsASecureParameterStoredOnlyInTheVault()
    {
        var parameter = _template.Parameters["hubSecretKey"]!;
        var uses = _template.Strings().Where(s => s.Value.Contains("parameters('hubSecretKey')", StringComparison.Ordinal)).ToList();

        Assert.Equal("securestring", (string)parameter["type"]!);
        Assert.Contains("newGuid()", (string)parameter["defaultValue"]!, StringComparison.Ordinal);
        var use = Assert.Single(uses);
        Assert.EndsWith(".properties.value", use.Path, StringComparison.Ordinal);
        var secret = _template.Resources.Single(r => r.Type == "Microsoft.KeyVault/vaults/secrets" && ((string)r.Json["name"]!).Contains("hubSecretKeyName", StringComparison.Ordinal));
        Assert.Equal("[parameters('hubSecretKey')]", (string)secret.Properties["value"]!);
        Assert.Equal("[parameters('storeHubSecretKey')]", (string)secret.Json["condition"]!);
    }

    [Fact]
    public void LoginSecrets_AreSecureParametersStoredInTheVaultOnlyWhenGiven()
    {
        var secrets = _template.Resources.Where(r => r.Type == "Microsoft.KeyVault/vaults/secrets" && !IsGenerated(r)).ToList();

        Assert.Equal(["Auth__AdminPassword", "Auth__SharedPassword", "Entra__ClientSecret", "Oidc__ClientSecret"], secrets.Select(s => (string)s.Properties["contentType"]!).Order());
        foreach (var secret in secrets)
        {
            string parameter = ((string)secret.Properties["value"]!)["[parameters('".Length..^"')]".Length];
            Assert.Equal("securestring", (string)_template.Parameters[parameter]!["type"]!);
            Assert.Equal($"[not(empty(parameters('{parameter}')))]", (string)secret.Json["condition"]!);
        }
    }

    [Fact]
    public void HomesAccountKey_IsReadFromTheAccountIntoTheVaultAndNeverAParameter()
    {
        var secret = _template.Resources.Single(r => r.Type == "Microsoft.KeyVault/vaults/secrets" && ((string)r.Json["name"]!).Contains("homesAccountKeySecretName", StringComparison.Ordinal));

        Assert.Equal("ContainerInstances__StorageAccountKey", (string)secret.Properties["contentType"]!);
        Assert.StartsWith("[listKeys(resourceId('Microsoft.Storage/storageAccounts', variables('homesAccountName'))", (string)secret.Properties["value"]!, StringComparison.Ordinal);
        Assert.Null(secret.Json["condition"]);
    }

    /// <summary>Secrets the template makes itself rather than takes from a parameter: the hub key and the homes account key.</summary>
    private static bool IsGenerated(TemplateResource secret) =>
        ((string)secret.Json["name"]!).Contains("hubSecretKeyName", StringComparison.Ordinal) ||
        ((string)secret.Json["name"]!).Contains("homesAccountKeySecretName", StringComparison.Ordinal);

    [Fact]
    public void KeyVault_AuthorizesWithRbacAndKeepsDeletedSecrets()
    {
        var vault = _template.Single("Microsoft.KeyVault/vaults").Properties;

        Assert.True((bool)vault["enableRbacAuthorization"]!);
        Assert.True((bool)vault["enableSoftDelete"]!);
        Assert.Null(vault["accessPolicies"]);
        Assert.False((bool)vault["enabledForTemplateDeployment"]!);
    }

    [Fact]
    public void StorageAccounts_RefusePublicBlobsOldTlsAndPlainHttp()
    {
        var accounts = _template.OfType("Microsoft.Storage/storageAccounts").ToList();

        Assert.Equal(2, accounts.Count);
        Assert.All(accounts, account =>
        {
            Assert.False((bool)account.Properties["allowBlobPublicAccess"]!);
            Assert.Equal("TLS1_2", (string)account.Properties["minimumTlsVersion"]!);
            Assert.True((bool)account.Properties["supportsHttpsTrafficOnly"]!);
            Assert.False((bool)account.Properties["allowCrossTenantReplication"]!);
        });
    }

    [Fact]
    public void StateAccount_AcceptsOnlyEntraIdentities()
    {
        var state = Account("[variables('stateAccountName')]");

        Assert.False((bool)state["allowSharedKeyAccess"]!);
        Assert.True((bool)state["defaultToOAuthAuthentication"]!);
    }

    [Fact]
    public void HomesAccount_SharesAKeyOnlyWithTheUserServerSubnet()
    {
        var homes = Account("[variables('homesAccountName')]");
        var rules = homes["networkAcls"]!["virtualNetworkRules"]!.AsArray();

        // Container Instances mounts Azure Files with the account key only; the firewall keeps the key useless elsewhere.
        Assert.True((bool)homes["allowSharedKeyAccess"]!);
        Assert.Equal("Deny", (string)homes["networkAcls"]!["defaultAction"]!);
        Assert.Equal("[resourceId('Microsoft.Network/virtualNetworks/subnets', variables('vnetName'), variables('containerInstancesSubnetName'))]",
            (string)Assert.Single(rules)!["id"]!);
        Assert.Empty(homes["networkAcls"]!["ipRules"]!.AsArray());
    }

    [Fact]
    public void HomeShares_CanBeRestoredAfterDeletion()
    {
        var policy = _template.Single("Microsoft.Storage/storageAccounts/fileServices").Properties["shareDeleteRetentionPolicy"]!;

        Assert.True((bool)policy["enabled"]!);
        Assert.Equal("[parameters('homeShareSoftDeleteDays')]", (string)policy["days"]!);
    }

    [Fact]
    public void UserServers_AreReachableOnlyFromTheGatewayAndTheControlPlane()
    {
        var rules = _template.Single("Microsoft.Network/networkSecurityGroups").Properties["securityRules"]!.AsArray()
            .Select(r => r!["properties"]!).OrderBy(r => (int)r["priority"]!).ToList();

        Assert.Equal(["[parameters('containerAppsSubnetPrefix')]", "[parameters('functionsSubnetPrefix')]"],
            rules.Where(r => (string)r["access"]! == "Allow").Select(r => (string)r["sourceAddressPrefix"]!));
        var deny = rules.Last();
        Assert.Equal(("Deny", "Inbound", "VirtualNetwork"), ((string)deny["access"]!, (string)deny["direction"]!, (string)deny["sourceAddressPrefix"]!));
        Assert.Equal("[resourceId('Microsoft.Network/networkSecurityGroups', variables('containerInstancesNsgName'))]",
            (string)Subnet("[variables('containerInstancesSubnetName')]")["networkSecurityGroup"]!["id"]!);
    }

    [Fact]
    public void Subnets_AreDelegatedAndUserServersLeaveThroughTheirOwnNatGateway()
    {
        var userServers = Subnet("[variables('containerInstancesSubnetName')]");
        const string hubNat = "[resourceId('Microsoft.Network/natGateways', variables('natGatewayName'))]";
        const string serversNat = "[resourceId('Microsoft.Network/natGateways', variables('userServersNatGatewayName'))]";

        Assert.Equal("Microsoft.ContainerInstance/containerGroups", Delegation(userServers));
        Assert.Equal("Microsoft.Storage", (string)Assert.Single(userServers["serviceEndpoints"]!.AsArray())!["service"]!);
        Assert.Equal("Microsoft.App/environments", Delegation(Subnet("[variables('containerAppsSubnetName')]")));
        Assert.Equal("Microsoft.App/environments", Delegation(Subnet("[variables('functionsSubnetName')]")));
        Assert.Equal(serversNat, (string)userServers["natGateway"]!["id"]!);
        Assert.Equal(hubNat, (string)Subnet("[variables('containerAppsSubnetName')]")["natGateway"]!["id"]!);
        Assert.Equal(hubNat, (string)Subnet("[variables('functionsSubnetName')]")["natGateway"]!["id"]!);
        foreach (var subnet in Subnets())
            Assert.False((bool)subnet["defaultOutboundAccess"]!);
        Assert.Equal(["[resourceId('Microsoft.Network/publicIPAddresses', variables('natPublicIpName'))]", "[resourceId('Microsoft.Network/publicIPAddresses', variables('userServersNatPublicIpName'))]"],
            _template.OfType("Microsoft.Network/natGateways").Select(n => (string)Assert.Single(n.Properties["publicIpAddresses"]!.AsArray())!["id"]!).Order());
    }

    [Fact]
    public void ControlPlane_TakesRequestsOnlyFromTheGatewaySubnetOverTls()
    {
        var site = _template.FunctionApp.Properties;
        var config = site["siteConfig"]!;

        Assert.True((bool)site["httpsOnly"]!);
        Assert.Equal("1.2", (string)config["minTlsVersion"]!);
        Assert.Equal("[if(parameters('restrictControlPlaneToHubNetwork'), 'Deny', 'Allow')]", (string)config["ipSecurityRestrictionsDefaultAction"]!);
        var allow = Assert.Single(config["ipSecurityRestrictions"]!.AsArray())!;
        Assert.Equal("[resourceId('Microsoft.Network/virtualNetworks/subnets', variables('vnetName'), variables('containerAppsSubnetName'))]", (string)allow["vnetSubnetResourceId"]!);
        Assert.Equal("Allow", (string)allow["action"]!);
        // A subnet rule admits only traffic that arrives through the subnet's Microsoft.Web service endpoint.
        Assert.Contains("Microsoft.Web", ServiceEndpoints(Subnet("[variables('containerAppsSubnetName')]")));
        Assert.False((bool)config["scmIpSecurityRestrictionsUseMain"]!);
        Assert.All(_template.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies"), policy => Assert.False((bool)policy.Properties["allow"]!));
        Assert.Equal(["ftp", "scm"], _template.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").Select(p => p.Name).Order());
    }

    /// <summary>
    /// Student code runs in the user-server subnet. Every way it could reach the control plane is closed: the function
    /// app's only allow rules name other subnets or addresses the user servers never leave through, its default is
    /// deny, no private endpoint puts the app inside the network, and the NSG refuses connections to the hub subnets.
    /// </summary>
    [Fact]
    public void UserServers_HaveNoPathToTheControlPlane()
    {
        const string userServerSubnet = "variables('containerInstancesSubnetName')";
        var config = _template.FunctionApp.Properties["siteConfig"]!;
        var userServers = Subnet($"[{userServerSubnet}]");
        string serversNat = (string)userServers["natGateway"]!["id"]!;
        var serversNatIps = _template.OfType("Microsoft.Network/natGateways").Single(n => serversNat.Contains(n.Name.Trim('[', ']'), StringComparison.Ordinal))
            .Properties["publicIpAddresses"]!.AsArray().Select(ip => ((string)ip!["id"]!).Split("variables(")[1].TrimEnd(')', ']')).ToList();

        Assert.Equal("[if(parameters('restrictControlPlaneToHubNetwork'), 'Deny', 'Allow')]", (string)config["ipSecurityRestrictionsDefaultAction"]!);
        Assert.True((bool)_template.Parameters["restrictControlPlaneToHubNetwork"]!["defaultValue"]!);
        foreach (var rule in config["ipSecurityRestrictions"]!.AsArray().Where(r => (string)r!["action"]! == "Allow"))
        {
            string source = (string?)rule!["vnetSubnetResourceId"] ?? (string?)rule["ipAddress"] ?? (string?)rule["tag"] ?? "";
            Assert.False(string.IsNullOrEmpty(source), $"allow rule '{rule["name"]}' names no source");
            Assert.DoesNotContain(userServerSubnet, source, StringComparison.Ordinal);
            Assert.DoesNotContain("containerInstancesSubnetPrefix", source, StringComparison.Ordinal);
            Assert.All(serversNatIps, ip => Assert.DoesNotContain(ip, source, StringComparison.Ordinal));
            Assert.Null(rule["tag"]);
        }
        Assert.DoesNotContain("Microsoft.Web", ServiceEndpoints(userServers));
        Assert.Empty(_template.OfType("Microsoft.Network/privateEndpoints"));
        Assert.DoesNotContain(serversNat, Subnets().Where(s => s != userServers).Select(s => (string)s["natGateway"]!["id"]!));

        var outbound = _template.Single("Microsoft.Network/networkSecurityGroups").Properties["securityRules"]!.AsArray()
            .Select(r => r!["properties"]!).Single(r => (string)r["direction"]! == "Outbound");
        Assert.Equal(("Deny", "*", "[parameters('containerInstancesSubnetPrefix')]"), ((string)outbound["access"]!, (string)outbound["protocol"]!, (string)outbound["sourceAddressPrefix"]!));
        Assert.Equal(["[parameters('containerAppsSubnetPrefix')]", "[parameters('functionsSubnetPrefix')]"],
            outbound["destinationAddressPrefixes"]!.AsArray().Select(p => (string)p!));
    }

    [Fact]
    public void Registry_HasNoAdminUser()
    {
        Assert.False((bool)_template.Single("Microsoft.ContainerRegistry/registries").Properties["adminUserEnabled"]!);
    }

    private JsonObject Account(string name) => _template.OfType("Microsoft.Storage/storageAccounts").Single(a => a.Name == name).Properties;

    private JsonNode Subnet(string name) =>
        _template.Single("Microsoft.Network/virtualNetworks").Properties["subnets"]!.AsArray().Single(s => (string)s!["name"]! == name)!["properties"]!;

    private IEnumerable<JsonNode> Subnets() =>
        _template.Single("Microsoft.Network/virtualNetworks").Properties["subnets"]!.AsArray().Select(s => s!["properties"]!);

    private static IEnumerable<string> ServiceEndpoints(JsonNode subnet) =>
        subnet["serviceEndpoints"]?.AsArray().Select(e => (string)e!["service"]!) ?? [];

    private static string Delegation(JsonNode subnet) => (string)Assert.Single(subnet["delegations"]!.AsArray())!["properties"]!["serviceName"]!;
}
