using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hub.Infra.Tests.Arm;

/// <summary>What ARM accepts for a parameter of each declared type.</summary>
internal static class TemplateParameters
{
    public static bool Fits(string type, JsonNode? value) => type.ToLowerInvariant() switch
    {
        "string" or "securestring" => value?.GetValueKind() == JsonValueKind.String,
        "int" => value?.GetValueKind() == JsonValueKind.Number,
        "bool" => value?.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "object" or "secureobject" => value?.GetValueKind() == JsonValueKind.Object,
        "array" => value?.GetValueKind() == JsonValueKind.Array,
        _ => false,
    };
}
