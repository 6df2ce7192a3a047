using System.Text.Json.Nodes;

namespace Hub.Infra.Tests.Arm;

/// <summary>
/// The template against Microsoft's ARM schemas: the deployment-template schema (which checks every resource
/// against the schema of its type and API version through the index of all resource types), and each resource
/// against its own schema file directly, so that a failure names the resource.
/// </summary>
public sealed class TemplateSchemaTests
{
    [Fact]
    public async Task Template_IsValidAgainstTheDeploymentTemplateSchema()
    {
        var schema = await ArmSchemas.DeploymentTemplateAsync();

        var errors = schema.Validate(await File.ReadAllTextAsync(ArmTemplate.TemplatePath));

        Assert.True(errors.Count == 0, "infra/azuredeploy.json:" + Environment.NewLine + ValidationReport.Text(errors));
    }

    [Fact]
    public async Task EachResource_IsValidAgainstTheSchemaOfItsTypeAndApiVersion()
    {
        var template = ArmTemplate.Load();
        var problems = new List<string>();

        foreach (var resource in template.Resources)
        {
            var files = ArmSchemas.FilesDefining(resource.Type, resource.ApiVersion);
            if (files.Count == 0)
            {
                problems.Add($"{resource.Type}@{resource.ApiVersion}: no schema in the offline copy defines it");
            }
            foreach (string file in files)
            {
                var schema = await ArmSchemas.ResourceSchemaAsync(file, resource.Type, resource.IsNested);
                var errors = schema.Validate(resource.Json.ToJsonString());
                problems.AddRange(ValidationReport.Lines(errors).Select(line => $"{resource.Type} '{resource.Name}' ({Path.GetFileName(file)}): {line}"));
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task ParametersFile_IsValidAndNamesOnlyDeclaredParametersOfTheirType()
    {
        var schema = await ArmSchemas.DeploymentParametersAsync();
        string json = await File.ReadAllTextAsync(ArmTemplate.ParametersPath);
        var declared = ArmTemplate.Load().Parameters;

        var errors = schema.Validate(json);

        Assert.True(errors.Count == 0, ValidationReport.Text(errors));
        foreach (var (name, entry) in JsonNode.Parse(json)!["parameters"]!.AsObject())
        {
            Assert.True(declared.ContainsKey(name), $"azuredeploy.parameters.json sets '{name}', which the template does not declare");
            var value = entry!["value"]!;
            string type = (string)declared[name]!["type"]!;
            Assert.True(TemplateParameters.Fits(type, value), $"azuredeploy.parameters.json gives '{name}' the {value.GetValueKind()} {value.ToJsonString()}, but it is a {type}");
        }
    }

    public static TheoryData<string, string, string> InjectedErrors => new()
    {
        // resource type, JSON pointer below the resource, the bad value (JSON)
        { "Microsoft.Web/sites", "/properties/functionAppConfig/runtime/name", "\"klingon\"" },
        { "Microsoft.ContainerRegistry/registries", "/name", "\"ab\"" },
        { "Microsoft.Storage/storageAccounts", "/properties/minimumTlsVersion", "\"TLS0_9\"" },
        { "Microsoft.App/containerApps", "/properties/configuration/ingress/transport", "\"carrier-pigeon\"" },
        { "Microsoft.Authorization/roleAssignments", "/properties/principalType", "\"Robot\"" },
        { "Microsoft.Network/virtualNetworks", "/properties/subnets", "\"not a list\"" },
    };

    [Theory]
    [MemberData(nameof(InjectedErrors))]
    public async Task Validator_InjectedError_IsReportedByBothSchemas(string type, string pointer, string badValue)
    {
        var template = ArmTemplate.Load().Clone();
        var resource = template.OfType(type).First();
        JsonPointer.Set(resource.Json, pointer, JsonNode.Parse(badValue));

        var templateErrors = (await ArmSchemas.DeploymentTemplateAsync()).Validate(template.ToJson());
        var resourceErrors = new List<string>();
        foreach (string file in ArmSchemas.FilesDefining(resource.Type, resource.ApiVersion))
        {
            var schema = await ArmSchemas.ResourceSchemaAsync(file, resource.Type, resource.IsNested);
            resourceErrors.AddRange(ValidationReport.Lines(schema.Validate(resource.Json.ToJsonString())));
        }

        Assert.NotEmpty(templateErrors);
        Assert.NotEmpty(resourceErrors);
    }

    [Fact]
    public async Task Validator_UnknownTopLevelProperty_IsReported()
    {
        var template = ArmTemplate.Load().Clone();
        template.Root["resourcez"] = new JsonArray();

        var errors = (await ArmSchemas.DeploymentTemplateAsync()).Validate(template.ToJson());

        Assert.Contains(ValidationReport.Lines(errors), line => line.Contains("resourcez", StringComparison.Ordinal));
    }

    [Fact]
    public void FilesDefining_AnApiVersionNotInTheCopy_FindsNone()
    {
        Assert.Empty(ArmSchemas.FilesDefining("Microsoft.Web/sites", "1999-01-01"));
    }
}
