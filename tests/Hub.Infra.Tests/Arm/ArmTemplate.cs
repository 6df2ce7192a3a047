using System.Text.Json.Nodes;
using Hub.Testing;

namespace Hub.Infra.Tests.Arm;

/// <summary>One resource of a template, nested children included; <see cref="Type"/> is the full type.</summary>
/// <param name="IsNested">Declared inside its parent's <c>resources</c>, with a short type and name.</param>
internal sealed record TemplateResource(string Type, string ApiVersion, JsonObject Json, bool IsNested)
{
    public string Name => (string)Json["name"]!;

    public JsonObject Properties => Json["properties"]!.AsObject();
}

/// <summary>The repository's ARM template (<c>infra/azuredeploy.json</c>), parsed, with the lookups the tests share.</summary>
internal sealed class ArmTemplate
{
    private ArmTemplate(JsonObject root) => Root = root;

    public static string TemplatePath => RepositoryPaths.InRoot("infra", "azuredeploy.json");

    public static string ParametersPath => RepositoryPaths.InRoot("infra", "azuredeploy.parameters.json");

    public JsonObject Root { get; }

    public JsonObject Parameters => Root["parameters"]!.AsObject();

    public JsonObject Variables => Root["variables"]!.AsObject();

    public JsonObject Outputs => Root["outputs"]!.AsObject();

    public static ArmTemplate Load() => Parse(File.ReadAllText(TemplatePath));

    public static ArmTemplate Parse(string json) => new(JsonNode.Parse(json)!.AsObject());

    /// <summary>A copy to change in memory, so that a test can show a check failing.</summary>
    public ArmTemplate Clone() => new(Root.DeepClone().AsObject());

    public string ToJson() => Root.ToJsonString();

    /// <summary>Every resource, children declared inside a parent's <c>resources</c> included.</summary>
    public IReadOnlyList<TemplateResource> Resources
    {
        get
        {
            var all = new List<TemplateResource>();
            Collect(Root["resources"]!.AsArray(), parentType: null, all);
            return all;
        }
    }

    public IEnumerable<TemplateResource> OfType(string type) => Resources.Where(r => r.Type == type);

    public TemplateResource Single(string type) => Assert.Single(OfType(type));

    public TemplateResource FunctionApp => Single("Microsoft.Web/sites");

    public TemplateResource GatewayApp => Single("Microsoft.App/containerApps");

    /// <summary>The control plane's app settings: name → value (a literal or an expression).</summary>
    public IReadOnlyDictionary<string, string> FunctionAppSettings =>
        FunctionApp.Properties["siteConfig"]!["appSettings"]!.AsArray()
            .ToDictionary(s => (string)s!["name"]!, s => (string)s!["value"]!);

    /// <summary>The gateway container's environment: name → the entry (<c>value</c> or <c>secretRef</c>).</summary>
    public IReadOnlyDictionary<string, JsonObject> GatewayEnvironment =>
        Assert.Single(GatewayApp.Properties["template"]!["containers"]!.AsArray())!["env"]!.AsArray()
            .ToDictionary(e => (string)e!["name"]!, e => e!.AsObject());

    /// <summary>Every string in the template (property values, not names), with its JSON path.</summary>
    public IEnumerable<(string Path, string Value)> Strings() => Strings(Root);

    public static IEnumerable<(string Path, string Value)> Strings(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    if (child is not null)
                    {
                        foreach (var found in Strings(child))
                        {
                            yield return found;
                        }
                    }
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is not null)
                    {
                        foreach (var found in Strings(child))
                        {
                            yield return found;
                        }
                    }
                }
                break;
            case JsonValue value when value.TryGetValue<string>(out string? text):
                yield return (node.GetPath(), text);
                break;
        }
    }

    /// <summary>Every template expression (a string in brackets), property names included.</summary>
    public IEnumerable<(string Path, string Expression)> Expressions()
    {
        foreach (var (path, value) in Strings().Concat(PropertyNames(Root)))
        {
            if (ArmExpression.IsExpression(value))
            {
                yield return (path, value);
            }
        }
    }

    private static IEnumerable<(string Path, string Value)> PropertyNames(JsonNode node)
    {
        if (node is JsonObject obj)
        {
            foreach (var (name, child) in obj)
            {
                yield return (obj.GetPath() + "." + name, name);
                if (child is not null)
                {
                    foreach (var found in PropertyNames(child))
                    {
                        yield return found;
                    }
                }
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var child in array.Where(c => c is not null))
            {
                foreach (var found in PropertyNames(child!))
                {
                    yield return found;
                }
            }
        }
    }

    private static void Collect(JsonArray resources, string? parentType, List<TemplateResource> all)
    {
        foreach (var node in resources)
        {
            var resource = node!.AsObject();
            string type = (string)resource["type"]!;
            string fullType = parentType is null ? type : parentType + "/" + type;
            all.Add(new TemplateResource(fullType, (string)resource["apiVersion"]!, resource, parentType is not null));
            if (resource["resources"] is JsonArray children)
            {
                Collect(children, fullType, all);
            }
        }
    }
}
