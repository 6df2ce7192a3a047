using System.Text.Json.Nodes;
using NJsonSchema;
using NJsonSchema.Validation;
using Hub.Testing.Specs;

namespace Hub.ArmDouble;

/// <summary>
/// Checks request bodies against a definition of a published swagger (ARM specs are Swagger 2.0, whose definitions
/// are JSON Schema draft-04). References outside the file (ARM's common types: the read-only id, name and type of a
/// resource) are not part of the saved specs and become empty schemas; every object that lists its properties is
/// closed (no other properties allowed), so a misspelt property is an error instead of being silently ignored by Azure.
/// </summary>
public sealed class SpecValidator
{
    private readonly JsonSchema _schema;

    private SpecValidator(JsonSchema schema)
    {
        _schema = schema;
    }

    /// <summary>The ContainerGroup definition of the ACI spec (the PUT body of a container group).</summary>
    public static readonly Lazy<SpecValidator> ContainerGroup = new(() => Load("aci-containerinstance.json", "ContainerGroup"));

    /// <summary>The FileShare definition of the Microsoft.Storage file spec (the PUT body of a share).</summary>
    public static readonly Lazy<SpecValidator> FileShare = new(() => Load("storage-fileshares-2025-01-01.json", "FileShare"));

    /// <summary>The problems found, each with its JSON path; empty when the body is valid.</summary>
    public IReadOnlyList<string> Validate(string json) =>
        Flatten(_schema.Validate(json)).Select(error => $"{error.Path}: {error.Kind}{(error.Property is null ? "" : $" ({error.Property})")}").ToList();

    private static IEnumerable<ValidationError> Flatten(IEnumerable<ValidationError> errors) =>
        errors.SelectMany(error => error is ChildSchemaValidationError child
            ? [error, .. Flatten(child.Errors.SelectMany(e => e.Value))]
            : new[] { error });

    public static SpecValidator Load(string specFile, string definition)
    {
        string path = PublishedSpecs.PathOf(specFile);
        var spec = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var definitions = spec["definitions"]!.DeepClone().AsObject();
        foreach (var (_, node) in definitions)
        {
            Prepare(node);
        }
        var root = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-04/schema#",
            ["definitions"] = definitions,
            ["$ref"] = "#/definitions/" + definition,
        };
        var schema = JsonSchema.FromJsonAsync(root.ToJsonString()).GetAwaiter().GetResult();
        return new SpecValidator(schema);
    }

    /// <summary>Properties every ARM resource has (from ARM's common types, which are not saved with the specs).</summary>
    private static JsonObject ResourceBaseProperties() => new()
    {
        ["id"] = new JsonObject { ["type"] = "string", ["readOnly"] = true },
        ["name"] = new JsonObject { ["type"] = "string", ["readOnly"] = true },
        ["type"] = new JsonObject { ["type"] = "string", ["readOnly"] = true },
        ["etag"] = new JsonObject { ["type"] = "string", ["readOnly"] = true },
        ["systemData"] = new JsonObject { ["type"] = "object", ["readOnly"] = true },
    };

    private static void Prepare(JsonNode? node)
    {
        if (node is not JsonObject schema)
        {
            return;
        }
        if (schema["$ref"] is JsonValue reference && !reference.GetValue<string>().StartsWith("#/", StringComparison.Ordinal))
        {
            schema.Remove("$ref");
        }
        foreach (var key in schema.Select(p => p.Key).Where(k => k.StartsWith("x-", StringComparison.Ordinal) || k is "example" or "discriminator").ToList())
        {
            schema.Remove(key);
        }
        if (schema["allOf"] is JsonArray allOf && allOf.All(a => a is JsonObject o && o["$ref"] is JsonValue r && !r.GetValue<string>().StartsWith("#/", StringComparison.Ordinal)))
        {
            // allOf: [ARM's resource base]: take its properties in, so the object can be closed.
            schema.Remove("allOf");
            var properties = schema["properties"] as JsonObject ?? new JsonObject();
            schema["properties"] = properties;
            foreach (var (name, property) in ResourceBaseProperties())
            {
                if (!properties.ContainsKey(name))
                {
                    properties[name] = property!.DeepClone();
                }
            }
        }
        if (schema["properties"] is JsonObject map)
        {
            foreach (var (_, property) in map)
            {
                Prepare(property);
            }
            if (!schema.ContainsKey("additionalProperties"))
            {
                schema["additionalProperties"] = false;
            }
        }
        Prepare(schema["items"]);
        Prepare(schema["additionalProperties"]);
        foreach (var keyword in new[] { "allOf", "anyOf", "oneOf" })
        {
            if (schema[keyword] is JsonArray list)
            {
                foreach (var item in list)
                {
                    Prepare(item);
                }
            }
        }
    }
}
