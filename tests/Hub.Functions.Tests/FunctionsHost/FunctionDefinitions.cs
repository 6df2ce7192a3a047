using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Testing;
using Hub.Testing.Specs;
using NJsonSchema;

namespace Hub.Functions.Tests.FunctionsHost;

/// <summary>The repository's host.json and function definitions, and the published JSON schemas they must satisfy.</summary>
internal static class FunctionDefinitions
{
    public static string HostJsonPath => RepositoryPaths.InRoot("host.json");

    public static string DefinitionsFolder => RepositoryPaths.InRoot("functions", "definitions");

    /// <summary>Function name (folder) → its function.json path.</summary>
    public static IReadOnlyDictionary<string, string> Functions(string root) =>
        Directory.GetDirectories(root)
            .Where(folder => File.Exists(Path.Combine(folder, "function.json")))
            .ToDictionary(folder => Path.GetFileName(folder), folder => Path.Combine(folder, "function.json"));

    public static Task<JsonSchema> HostSchemaAsync() => JsonSchema.FromFileAsync(PublishedSpecs.PathOf("host.schema.json"));

    /// <summary>
    /// The function.json schema declares draft-04 but uses draft-06's <c>const</c> in places (the SQL binding), which a
    /// draft-04 validator ignores, making that alternative match every binding. <c>const: x</c> means exactly
    /// <c>enum: [x]</c>, so it is rewritten that way before validating.
    /// </summary>
    public static async Task<JsonSchema> FunctionSchemaAsync()
    {
        var schema = JsonNode.Parse(await File.ReadAllTextAsync(PublishedSpecs.PathOf("function.schema.json")))!;
        RewriteConst(schema);
        return await JsonSchema.FromJsonAsync(schema.ToJsonString());
    }

    private static void RewriteConst(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["const"] is { } value)
                {
                    obj.Remove("const");
                    obj["enum"] = new JsonArray(value.DeepClone());
                }
                foreach (var (_, child) in obj.ToList())
                {
                    RewriteConst(child);
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    RewriteConst(child);
                }
                break;
        }
    }

    public static JsonElement Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    /// <summary>The bindings of the HTTP-triggered functions: name → (route, methods, auth level).</summary>
    public static IEnumerable<(string Name, string Route, IReadOnlyList<string> Methods, string AuthLevel)> HttpTriggers(string root)
    {
        foreach (var (name, path) in Functions(root))
        {
            foreach (var binding in Read(path).GetProperty("bindings").EnumerateArray())
            {
                if (binding.GetProperty("type").GetString() == "httpTrigger")
                {
                    yield return (name,
                        binding.GetProperty("route").GetString()!,
                        binding.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).ToList(),
                        binding.TryGetProperty("authLevel", out var level) ? level.GetString()! : "function");
                }
            }
        }
    }
}
