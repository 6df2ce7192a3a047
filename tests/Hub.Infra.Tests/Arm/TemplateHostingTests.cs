using System.Text.Json.Nodes;

namespace Hub.Infra.Tests.Arm;

/// <summary>The control plane runs as the published custom handler on Flex Consumption; the gateway as a Container App that never scales to zero.</summary>
public sealed class TemplateHostingTests
{
    private readonly ArmTemplate _template = ArmTemplate.Load();

    [Fact]
    public void ControlPlane_RunsTheCustomHandlerOnFlexConsumption()
    {
        var plan = _template.Single("Microsoft.Web/serverfarms").Json;
        var config = _template.FunctionApp.Properties["functionAppConfig"]!;

        Assert.Equal(("FC1", "FlexConsumption"), ((string)plan["sku"]!["name"]!, (string)plan["sku"]!["tier"]!));
        Assert.Equal("functionapp,linux", (string)_template.FunctionApp.Json["kind"]!);
        Assert.Equal(("custom", "1.0"), ((string)config["runtime"]!["name"]!, (string)config["runtime"]!["version"]!));
        Assert.Equal("[resourceId('Microsoft.Network/virtualNetworks/subnets', variables('vnetName'), variables('functionsSubnetName'))]",
            (string)_template.FunctionApp.Properties["virtualNetworkSubnetId"]!);
    }

    /// <summary>Site properties Flex Consumption deprecates (Learn, "Flex Consumption plan deprecations"); their jobs moved to functionAppConfig.</summary>
    [Theory]
    [InlineData("ftpsState")]
    [InlineData("use32BitWorkerProcess")]
    [InlineData("alwaysOn")]
    [InlineData("isXenon")]
    [InlineData("windowsFxVersion")]
    [InlineData("linuxFxVersion")]
    [InlineData("preWarmedInstanceCount")]
    [InlineData("functionAppScaleLimit")]
    [InlineData("containerSize")]
    [InlineData("javaVersion")]
    [InlineData("powerShellVersion")]
    [InlineData("netFrameworkVersion")]
    public void ControlPlane_SetsNoSitePropertyFlexConsumptionDeprecates(string property)
    {
        var site = _template.FunctionApp.Properties;

        Assert.False(Has(site, property) || Has(site["siteConfig"]!.AsObject(), property), $"Flex Consumption deprecates {property}");
    }

    [Fact]
    public void ControlPlane_DeploysFromTheStateAccountWithItsIdentity()
    {
        var storage = _template.FunctionApp.Properties["functionAppConfig"]!["deployment"]!["storage"]!;
        const string identity = "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', variables('controlPlaneIdentityName'))]";

        Assert.Equal("blobContainer", (string)storage["type"]!);
        Assert.Equal("[format('{0}{1}', variables('stateBlobEndpoint'), variables('deploymentContainerName'))]", (string)storage["value"]!);
        Assert.Equal(("UserAssignedIdentity", identity), ((string)storage["authentication"]!["type"]!, (string)storage["authentication"]!["userAssignedIdentityResourceId"]!));
        Assert.Equal("UserAssigned", (string)_template.FunctionApp.Json["identity"]!["type"]!);
        Assert.Contains(_template.FunctionApp.Json["dependsOn"]!.AsArray(), d => ((string)d!).Contains("'Storage Blob Data Owner'", StringComparison.Ordinal));
    }

    [Fact]
    public void Gateway_HasPublicTlsIngressAndAtLeastOneReplica()
    {
        var configuration = _template.GatewayApp.Properties["configuration"]!;
        var ingress = configuration["ingress"]!;
        var scale = _template.GatewayApp.Properties["template"]!["scale"]!;

        Assert.True((bool)ingress["external"]!);
        Assert.False((bool)ingress["allowInsecure"]!);
        // HTTP/1.1 transport carries WebSockets; Jupyter kernels need them.
        Assert.Equal("http", (string)ingress["transport"]!);
        Assert.Equal("Single", (string)configuration["activeRevisionsMode"]!);
        Assert.Equal("[parameters('gatewayMinReplicas')]", (string)scale["minReplicas"]!);
        Assert.True((int)_template.Parameters["gatewayMinReplicas"]!["minValue"]! >= 1);
        Assert.True((int)_template.Parameters["gatewayMinReplicas"]!["defaultValue"]! >= 1);
    }

    [Fact]
    public void Gateway_PullsFromTheHubRegistryWithItsIdentity()
    {
        const string identity = "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', variables('gatewayIdentityName'))]";
        var registry = Assert.Single(_template.GatewayApp.Properties["configuration"]!["registries"]!.AsArray())!;

        Assert.Equal(identity, (string)registry["identity"]!);
        Assert.Null(registry["passwordSecretRef"]);
        Assert.Equal("[format('{0}', resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', variables('gatewayIdentityName')))]",
            Assert.Single(_template.GatewayApp.Json["identity"]!["userAssignedIdentities"]!.AsObject()).Key);
        Assert.Equal("[not(empty(parameters('gatewayImage')))]", (string)_template.GatewayApp.Json["condition"]!);
    }

    [Fact]
    public void Gateway_IsLiveWhileListeningAndReadyWhileHealthy()
    {
        var probes = Assert.Single(_template.GatewayApp.Properties["template"]!["containers"]!.AsArray())!["probes"]!.AsArray()
            .ToDictionary(p => (string)p!["type"]!, p => p!);

        // A store outage makes /health fail; that must take the replica out of rotation, not restart it.
        Assert.NotNull(probes["Liveness"]["tcpSocket"]);
        Assert.Equal("/health", (string)probes["Readiness"]["httpGet"]!["path"]!);
    }

    [Fact]
    public void Monitoring_IsWorkspaceBasedWithEntraOnlyIngestion()
    {
        var insights = _template.Single("Microsoft.Insights/components").Properties;
        var environment = _template.Single("Microsoft.App/managedEnvironments").Properties;

        Assert.Equal("[resourceId('Microsoft.OperationalInsights/workspaces', variables('workspaceName'))]", (string)insights["WorkspaceResourceId"]!);
        Assert.True((bool)insights["DisableLocalAuth"]!);
        Assert.Equal("log-analytics", (string)environment["appLogsConfiguration"]!["destination"]!);
        Assert.StartsWith("[format('ClientId={0};Authorization=AAD'", _template.FunctionAppSettings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"], StringComparison.Ordinal);
    }

    [Fact]
    public void ContainerAppsEnvironment_IsInjectedIntoTheHubNetwork()
    {
        var network = _template.Single("Microsoft.App/managedEnvironments").Properties["vnetConfiguration"]!;

        Assert.Equal("[resourceId('Microsoft.Network/virtualNetworks/subnets', variables('vnetName'), variables('containerAppsSubnetName'))]",
            (string)network["infrastructureSubnetId"]!);
        Assert.False((bool)network["internal"]!);
    }

    private static bool Has(JsonObject obj, string property) =>
        obj.Any(p => string.Equals(p.Key, property, StringComparison.OrdinalIgnoreCase));
}
