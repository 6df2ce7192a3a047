using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hub.Functions.Hosting;
using Hub.Gateway.Hosting;
using Hub.Testing;

namespace Hub.Infra.Tests.Arm;

/// <summary>
/// Every setting each app reads (its settings catalog) is set by the template on that app, and nothing else is:
/// an app refuses to start on a key it does not know in a section it reads, and a missing one silently falls back to
/// the local default.
/// </summary>
public sealed partial class AppSettingsWiringTests
{
    private readonly ArmTemplate _template = ArmTemplate.Load();

    [Fact]
    public void FunctionApp_SetsEverySettingTheControlPlaneReads()
    {
        var missing = SettingsCoverage.Missing(ControlPlaneSettings.Describe(), _template.FunctionAppSettings.Keys);

        Assert.True(missing.Count == 0, "the control plane reads settings the template does not set: " + string.Join(", ", missing));
    }

    [Fact]
    public void GatewayApp_SetsEverySettingTheGatewayReads()
    {
        var missing = SettingsCoverage.Missing(GatewaySettings.Describe(), _template.GatewayEnvironment.Keys);

        Assert.True(missing.Count == 0, "the gateway reads settings the template does not set: " + string.Join(", ", missing));
    }

    [Fact]
    public void FunctionApp_SetsOnlySettingsTheControlPlaneOrTheFunctionsHostReads()
    {
        var unread = SettingsCoverage.Unread(ControlPlaneSettings.Describe(), _template.FunctionAppSettings.Keys, SettingsCoverage.FunctionsHostSettings);

        Assert.True(unread.Count == 0, "the template sets control-plane settings nobody reads: " + string.Join(", ", unread));
    }

    [Fact]
    public void GatewayApp_SetsOnlySettingsTheGatewayReads()
    {
        var unread = SettingsCoverage.Unread(GatewaySettings.Describe(), _template.GatewayEnvironment.Keys, SettingsCoverage.GatewayTelemetrySettings);

        Assert.True(unread.Count == 0, "the template sets gateway settings nobody reads: " + string.Join(", ", unread));
    }

    [Fact]
    public void Coverage_SettingRemovedFromTheTemplate_IsReportedMissing()
    {
        var template = _template.Clone();
        var settings = template.FunctionApp.Properties["siteConfig"]!["appSettings"]!.AsArray();
        settings.Remove(settings.First(s => (string)s!["name"]! == "Storage__TablePrefix"));
        var env = Assert.Single(template.GatewayApp.Properties["template"]!["containers"]!.AsArray())!["env"]!.AsArray();
        env.Remove(env.First(e => (string)e!["name"]! == "Hub__SecretKey"));

        Assert.Equal(["Storage__TablePrefix"], SettingsCoverage.Missing(ControlPlaneSettings.Describe(), template.FunctionAppSettings.Keys));
        Assert.Equal(["Hub__SecretKey"], SettingsCoverage.Missing(GatewaySettings.Describe(), template.GatewayEnvironment.Keys));
        Assert.Equal(["Storage__TablePrefx"], SettingsCoverage.Unread(ControlPlaneSettings.Describe(), ["Storage__TablePrefx", "Hub__Mode"], SettingsCoverage.FunctionsHostSettings));
    }

    [Fact]
    public void BothApps_RunInAzureModeAtTheSamePublicUrl()
    {
        string publicUrl = _template.FunctionAppSettings["Hub__PublicUrl"];

        Assert.Equal("azure", _template.FunctionAppSettings["Hub__Mode"]);
        Assert.Equal("azure", (string)_template.GatewayEnvironment["Hub__Mode"]["value"]!);
        Assert.Equal(publicUrl, (string)_template.GatewayEnvironment["Hub__PublicUrl"]["value"]!);
        Assert.Equal(publicUrl, (string)_template.Outputs["hubUrl"]!["value"]!);
        Assert.Contains("format('https://{0}.{1}', variables('gatewayAppName')", publicUrl, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretSettings_ComeFromTheKeyVaultOrAreLeftEmpty()
    {
        foreach (var setting in ControlPlaneSettings.Describe().Where(s => s.IsSecret))
        {
            string value = _template.FunctionAppSettings[setting.Key];
            Assert.True(value.Length == 0 || value.Contains("@Microsoft.KeyVault(SecretUri=", StringComparison.Ordinal),
                $"{setting.Key} is a secret: the control plane must get it as a Key Vault reference, not '{value}'");
        }
        foreach (var setting in GatewaySettings.Describe().Where(s => s.IsSecret))
        {
            var entry = _template.GatewayEnvironment[setting.Key];
            Assert.True(entry["secretRef"] is not null || (string?)entry["value"] == "",
                $"{setting.Key} is a secret: the gateway must get it through a secretRef, not a value");
        }
        var secrets = _template.GatewayApp.Properties["configuration"]!["secrets"]!.AsArray();
        Assert.All(secrets, secret =>
        {
            Assert.Null(secret!["value"]);
            Assert.Equal("[variables('hubSecretKeyUri')]", (string)secret["keyVaultUrl"]!);
            Assert.Equal("[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', variables('gatewayIdentityName'))]", (string)secret["identity"]!);
        });
        Assert.Equal("[format('@Microsoft.KeyVault(SecretUri={0})', variables('hubSecretKeyUri'))]", _template.FunctionAppSettings["Hub__SecretKey"]);
        Assert.Equal("[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', variables('controlPlaneIdentityName'))]",
            (string)_template.FunctionApp.Properties["keyVaultReferenceIdentity"]!);
    }

    [Fact]
    public void BothApps_ReachTheTablesWithTheirOwnIdentity()
    {
        const string controlPlaneClientId = "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', variables('controlPlaneIdentityName')), '2023-01-31').clientId]";

        Assert.Equal("[variables('stateTableEndpoint')]", _template.FunctionAppSettings["Storage__TableEndpoint"]);
        Assert.Equal(controlPlaneClientId, _template.FunctionAppSettings["Storage__ManagedIdentityClientId"]);
        Assert.Equal("", _template.FunctionAppSettings["Storage__ConnectionString"]);
        Assert.Equal("managedidentity", _template.FunctionAppSettings["AzureWebJobsStorage__credential"]);
        Assert.Equal(controlPlaneClientId, _template.FunctionAppSettings["AzureWebJobsStorage__clientId"]);
        Assert.Equal("[variables('stateAccountName')]", _template.FunctionAppSettings["AzureWebJobsStorage__accountName"]);
        Assert.False(_template.FunctionAppSettings.ContainsKey("AzureWebJobsStorage"), "host storage is reached with the identity; the state account refuses shared keys");
        if (_template.GatewayEnvironment.ContainsKey("Storage__TableEndpoint"))
        {
            Assert.Equal("[variables('stateTableEndpoint')]", (string)_template.GatewayEnvironment["Storage__TableEndpoint"]["value"]!);
            Assert.Contains("variables('gatewayIdentityName')", (string)_template.GatewayEnvironment["Storage__ManagedIdentityClientId"]["value"]!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void FunctionApp_SetsNoSettingFlexConsumptionRefuses()
    {
        var refused = _template.FunctionAppSettings.Keys.Where(SettingsCoverage.RefusedByFlexConsumption.Contains).ToList();

        Assert.True(refused.Count == 0, "Flex Consumption refuses or ignores: " + string.Join(", ", refused));
    }

    [Fact]
    public void FunctionApp_TimersRunUnderTheFunctionsHostOnly()
    {
        Assert.Equal("false", _template.FunctionAppSettings["Timers__RunStandalone"]);
    }

    /// <summary>App settings and container environment values are strings; an int or bool parameter must go through <c>string()</c>.</summary>
    [Fact]
    public void EverySettingValue_IsAStringOrAStringParameter()
    {
        var values = _template.FunctionAppSettings.Select(s => ("function app " + s.Key, (string?)s.Value))
            .Concat(_template.GatewayEnvironment.Where(e => e.Value["value"] is not null).Select(e => ("gateway " + e.Key, (string?)e.Value["value"]!.ToString())));
        var problems = new List<string>();
        foreach (var (name, value) in values)
        {
            var parameter = WholeParameter().Match(value ?? "");
            if (parameter.Success && (string?)_template.Parameters[parameter.Groups[1].Value]?["type"] is { } type
                && !type.Equals("string", StringComparison.OrdinalIgnoreCase) && !type.Equals("securestring", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{name} takes the {type} parameter {parameter.Groups[1].Value} as it is; wrap it in string()");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void FunctionDefinitions_EverySettingTheyExpandIsSet()
    {
        var settings = _template.FunctionAppSettings;
        var problems = new List<string>();

        foreach (string definition in Directory.GetFiles(RepositoryPaths.InRoot("functions", "definitions"), "function.json", SearchOption.AllDirectories))
        {
            foreach (Match token in AppSettingToken().Matches(File.ReadAllText(definition)))
            {
                if (!settings.ContainsKey(token.Groups[1].Value))
                {
                    problems.Add($"{Path.GetRelativePath(RepositoryPaths.Root, definition)} uses %{token.Groups[1].Value}%, which the function app does not set");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void GatewayApp_ListensWhereItsIngressAndProbesSend()
    {
        var container = Assert.Single(_template.GatewayApp.Properties["template"]!["containers"]!.AsArray())!;
        int port = (int)_template.Variables["gatewayPort"]!;

        Assert.Equal("[format('http://0.0.0.0:{0}', variables('gatewayPort'))]", (string)_template.GatewayEnvironment["Gateway__ListenUrl"]["value"]!);
        Assert.Equal("[variables('gatewayPort')]", (string)_template.GatewayApp.Properties["configuration"]!["ingress"]!["targetPort"]!);
        Assert.All(container["probes"]!.AsArray(), probe =>
            Assert.Equal("[variables('gatewayPort')]", (string)(probe!["httpGet"] ?? probe["tcpSocket"])!["port"]!));
        Assert.Equal(8080, port);
    }

    [GeneratedRegex("%([A-Za-z0-9_]+)%")]
    private static partial Regex AppSettingToken();

    [GeneratedRegex(@"^\[parameters\('([^']+)'\)\]$")]
    private static partial Regex WholeParameter();
}
