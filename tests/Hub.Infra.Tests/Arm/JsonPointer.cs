using System.Text.Json.Nodes;

namespace Hub.Infra.Tests.Arm;

/// <summary>Sets a value at a JSON pointer (<c>/a/b/0</c>) inside a parsed document, for tests that break a template on purpose.</summary>
internal static class JsonPointer
{
    public static void Set(JsonNode root, string pointer, JsonNode? value)
    {
        string[] segments = pointer.Trim('/').Split('/');
        JsonNode current = root;
        foreach (string segment in segments[..^1])
        {
            current = current is JsonArray array ? array[int.Parse(segment, System.Globalization.CultureInfo.InvariantCulture)]! : current[segment]!;
        }
        string last = segments[^1];
        if (current is JsonArray list)
        {
            list[int.Parse(last, System.Globalization.CultureInfo.InvariantCulture)] = value;
        }
        else
        {
            current.AsObject()[last] = value;
        }
    }
}
