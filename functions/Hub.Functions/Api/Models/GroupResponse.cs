using System.Text.Json.Serialization;

namespace Hub.Functions.Api.Models;

/// <summary>
/// JupyterHub's group model: <c>kind</c> and <c>name</c> always; <c>users</c> and (empty) <c>properties</c> with
/// <c>read:groups</c>; (no) <c>roles</c> with <c>read:roles:groups</c>.
/// </summary>
public sealed record GroupResponse
{
    public string Kind => "group";

    public required string Name { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Users { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Properties { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Roles { get; init; }
}
