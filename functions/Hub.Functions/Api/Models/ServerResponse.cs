using System.Text.Json.Serialization;

namespace Hub.Functions.Api.Models;

/// <summary>JupyterHub's server model, with two fields of ours beside its own (its schema allows more).</summary>
public sealed record ServerResponse
{
    public required string Name { get; init; }

    public required bool Ready { get; init; }

    public required bool Stopped { get; init; }

    /// <summary><c>spawn</c>, <c>stop</c> or <c>null</c>.</summary>
    public required string? Pending { get; init; }

    public required string Url { get; init; }

    public required string FullUrl { get; init; }

    public required string ProgressUrl { get; init; }

    public required string FullProgressUrl { get; init; }

    public required string? Started { get; init; }

    public required string? LastActivity { get; init; }

    public required IReadOnlyDictionary<string, string> UserOptions { get; init; }

    /// <summary>Ours: seconds of the completed runs; the current run, if any, is the time since <c>started</c>.</summary>
    public required long UsedSeconds { get; init; }

    /// <summary>Ours: what <c>last_activity</c> was, for the admin page.</summary>
    public required string? LastActivityKind { get; init; }

    /// <summary>With <c>admin:server_state</c> only.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ServerStateResponse? State { get; init; }
}

/// <summary>The spawner's state of a server (<c>admin:server_state</c>).</summary>
public sealed record ServerStateResponse(string? SpawnerState, string Phase);
