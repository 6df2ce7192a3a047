using System.Text.Json.Nodes;
using Hub.Testing.Specs;
using NJsonSchema;
using YamlDotNet.Serialization;

namespace Hub.Functions.Tests.Api;

/// <summary>
/// The published JupyterHub 5.5.1 REST API spec (<see cref="PublishedSpecs"/>), read with YamlDotNet and checked with NJsonSchema:
/// a response body must match the schema the spec gives for that operation and status.
/// </summary>
public static class JupyterHubSpec
{
    /// <summary>
    /// Fields that JupyterHub itself sends as <c>null</c> although the spec types them as plain strings (it has no
    /// "nullable" on them): a stopped user's <c>server</c>, no <c>pending</c> action, never-seen <c>last_activity</c>,
    /// a token without <c>expires_at</c>. Only these may be null; any other null fails validation.
    /// </summary>
    private static readonly HashSet<string> NullInPractice = ["server", "pending", "last_activity", "started", "expires_at"];

    private static readonly Lazy<JsonObject> Document = new(() =>
    {
        string yaml = File.ReadAllText(PublishedSpecs.PathOf("jupyterhub-rest-api-5.5.1.yml"));
        object? tree = new DeserializerBuilder().Build().Deserialize<object>(yaml);
        string json = new SerializerBuilder().JsonCompatible().Build().Serialize(tree!);
        return JsonNode.Parse(json)!.AsObject();
    });

    private static readonly Dictionary<string, JsonSchema> Cache = new(StringComparer.Ordinal);

    /// <summary>Asserts that <paramref name="body"/> matches the response schema of <paramref name="method"/> <paramref name="path"/> for <paramref name="status"/>.</summary>
    /// <param name="path">The spec's path template, e.g. <c>/users/{name}</c>.</param>
    public static Task AssertResponseAsync(string method, string path, int status, string body) =>
        AssertAsync($"{method.ToUpperInvariant()} {path} {status}",
            Document.Value["paths"]?[path]?[method.ToLowerInvariant()]?["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)]?["content"]?["application/json"]?["schema"],
            body);

    /// <summary>Asserts that <paramref name="body"/> matches <c>components/schemas/{name}</c>.</summary>
    public static Task AssertSchemaAsync(string name, string body) =>
        AssertAsync("#/components/schemas/" + name, Document.Value["components"]?["schemas"]?[name], body);

    /// <summary>Every operation of the spec: its method (upper case) and path template.</summary>
    public static IEnumerable<(string Method, string Path)> Operations() =>
        Document.Value["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(operation => operation.Key is "get" or "post" or "put" or "patch" or "delete")
            .Select(operation => (operation.Key.ToUpperInvariant(), path.Key)));

    /// <summary>True when the spec documents a JSON body for this operation and status.</summary>
    public static bool HasResponseSchema(string method, string path, int status) =>
        Document.Value["paths"]?[path]?[method.ToLowerInvariant()]?["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)]?["content"]?["application/json"]?["schema"] is not null;

    private static async Task AssertAsync(string pointer, JsonNode? node, string body)
    {
        Assert.True(node is JsonObject, $"The spec has no schema for {pointer}");
        JsonSchema schema;
        lock (Cache)
        {
            Cache.TryGetValue(pointer, out schema!);
        }
        if (schema is null)
        {
            // The operation's schema as the root, with the components beside it so that its $refs resolve.
            var root = node!.DeepClone().AsObject();
            root["components"] = Document.Value["components"]!.DeepClone();
            WrapRefsWithSiblings(root);
            // NJsonSchema resolves references inside "definitions" only: the component schemas go there too.
            root["definitions"] = root["components"]!["schemas"]!.DeepClone();
            schema = await JsonSchema.FromJsonAsync(root.ToJsonString().Replace("#/components/schemas/", "#/definitions/", StringComparison.Ordinal));
            lock (Cache)
            {
                Cache[pointer] = schema;
            }
        }
        var actual = JsonNode.Parse(body);
        StripKnownNulls(actual);
        var errors = schema.Validate(actual?.ToJsonString() ?? "null");
        Assert.True(errors.Count == 0, $"Response does not match {pointer}:\n" + string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind} {e.Property}")) + "\nBody: " + body);
    }

    /// <summary>
    /// OpenAPI 3.1 lets a <c>$ref</c> stand beside other keys (the Share model's <c>"server": {"description": …,
    /// "$ref": …}</c>), which NJsonSchema leaves unresolved; <c>allOf</c> with the one reference means the same.
    /// </summary>
    private static void WrapRefsWithSiblings(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj.Count > 1 && obj["$ref"] is JsonValue reference)
                {
                    obj.Remove("$ref");
                    obj["allOf"] = new JsonArray(new JsonObject { ["$ref"] = reference.GetValue<string>() });
                }
                foreach (var (_, child) in obj.ToList())
                {
                    WrapRefsWithSiblings(child);
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    WrapRefsWithSiblings(child);
                }
                break;
        }
    }

    private static void StripKnownNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Where(p => p.Value is null && NullInPractice.Contains(p.Key)).Select(p => p.Key).ToList())
                {
                    obj.Remove(name);
                }
                foreach (var (_, child) in obj)
                {
                    StripKnownNulls(child);
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    StripKnownNulls(child);
                }
                break;
        }
    }
}
