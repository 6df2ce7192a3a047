using System.Text.Json.Serialization;

namespace Hub.Functions.Api.Models;

/// <summary>
/// JupyterHub's service model (<c>Service</c> in the 5.5.1 spec): <c>kind</c> and <c>name</c> always; <c>roles</c>
/// with <c>read:roles:services</c>; the rest with <c>read:services</c> (left out, not <c>null</c>, when not allowed);
/// <c>scopes</c> only in <c>GET /user</c> with a service's token.
/// </summary>
public sealed record ServiceResponse
{
    public string Kind => "service";

    public required string Name { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Roles { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Admin { get; init; }

    /// <summary>Where it listens; <c>""</c> for an API-only service.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Url { get; init; }

    /// <summary>Its path under the hub; <c>""</c> for an API-only service.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Prefix { get; init; }

    /// <summary>Always empty: every service here runs on its own, never launched by the hub.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Always 0, for the same reason.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Pid { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Info { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Display { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Scopes { get; init; }
}
