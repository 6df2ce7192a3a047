namespace Hub.Functions.Api.Models;

/// <summary>JupyterHub 5's share model: the server, the scopes, and the user or the group it is shared with (the other <c>null</c>).</summary>
public sealed record ShareResponse(SharedServerResponse Server, IReadOnlyList<string> Scopes, NameResponse? User, NameResponse? Group, string Kind, string? CreatedAt);

/// <summary>The shortened server model in shares and share codes: owner, name, URLs and whether it is ready.</summary>
public sealed record SharedServerResponse(NameResponse User, string Name, string Url, string FullUrl, bool Ready);

/// <summary>A user or group named inside another model: <c>{"name": …}</c>.</summary>
public sealed record NameResponse(string Name);
