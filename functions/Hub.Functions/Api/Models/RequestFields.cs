using System.Text.Json;
using Hub.Core.Security;

namespace Hub.Functions.Api.Models;

/// <summary>
/// How the request records read one field of a JSON body (<see cref="ApiBody"/> has already checked that the body is
/// an object). Each record says in its own words what is wrong with a field; these only say whether it is.
/// </summary>
internal static class RequestFields
{
    /// <summary>A field that is present, even as <c>null</c> (a <c>null</c> where a value is required is a bad value).</summary>
    public static JsonElement? Present(JsonElement? body, string name) =>
        body is { } json && json.TryGetProperty(name, out var value) ? value : null;

    /// <summary>A field that is present and not <c>null</c> (<c>null</c> stands for "absent").</summary>
    public static JsonElement? Field(JsonElement? body, string name) =>
        Present(body, name) is { ValueKind: not JsonValueKind.Null } value ? value : null;

    /// <summary><c>true</c> or <c>false</c>, nothing else.</summary>
    public static bool TryBool(JsonElement value, out bool result)
    {
        result = value.ValueKind == JsonValueKind.True;
        return value.ValueKind is JsonValueKind.True or JsonValueKind.False;
    }

    /// <summary>A list of at most <paramref name="max"/> strings.</summary>
    public static bool TryStrings(JsonElement value, int max, out List<string> strings)
    {
        strings = [];
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > max)
        {
            return false;
        }
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return false;
            }
            strings.Add(item.GetString()!);
        }
        return true;
    }

    /// <summary>A body whose fields are all among <paramref name="allowed"/> (JupyterHub's sharing validators refuse others).</summary>
    public static bool TryOnly(JsonElement? body, string[] allowed, out IResult? problem)
    {
        problem = null;
        if (body is not { } json)
        {
            return true;
        }
        foreach (var property in json.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                problem = ApiProblem.BadRequest($"Unknown field '{LogText.Cap(property.Name)}' (expected {string.Join(", ", allowed)}).");
                return false;
            }
        }
        return true;
    }
}
