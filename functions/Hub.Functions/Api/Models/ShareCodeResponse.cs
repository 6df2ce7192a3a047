using System.Text.Json.Serialization;

namespace Hub.Functions.Api.Models;

/// <summary>JupyterHub 5's share code model; the code and its accept URLs only in the answer that issued it.</summary>
public sealed record ShareCodeResponse
{
    public required SharedServerResponse Server { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public required string Id { get; init; }

    public required string? CreatedAt { get; init; }

    public required string? ExpiresAt { get; init; }

    public required int ExchangeCount { get; init; }

    public required string? LastExchangedAt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Code { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AcceptUrl { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FullAcceptUrl { get; init; }
}
