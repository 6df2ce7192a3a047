using System.Text.Json.Serialization;

namespace Hub.Functions.Api.Models;

/// <summary>JupyterHub's API token model; <c>token</c> itself only in the answer that created it.</summary>
public sealed record TokenResponse
{
    public required string Id { get; init; }

    public string Kind => "api_token";

    public required string User { get; init; }

    public IReadOnlyList<string> Roles { get; init; } = [];

    public required IReadOnlyList<string> Scopes { get; init; }

    public required string Note { get; init; }

    public required string? Created { get; init; }

    public required string? ExpiresAt { get; init; }

    public required string? LastActivity { get; init; }

    public string? SessionId => null;

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Token { get; init; }
}

/// <summary>The answer of <c>GET /users/{name}/tokens</c>.</summary>
public sealed record TokenListResponse(IReadOnlyList<TokenResponse> ApiTokens)
{
    public IReadOnlyList<object> OauthTokens => [];
}
