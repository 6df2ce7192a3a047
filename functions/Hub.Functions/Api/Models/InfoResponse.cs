namespace Hub.Functions.Api.Models;

/// <summary>The answer of <c>GET /hub/api/</c>: the JupyterHub version whose API this hub speaks.</summary>
public sealed record VersionResponse(string Version);

/// <summary>The answer of <c>GET /hub/api/info</c> (<c>read:hub</c>), with our own version beside JupyterHub's fields.</summary>
public sealed record InfoResponse(string Version, string Python, string SysExecutable, string ServerlessHub, PluginResponse Authenticator, PluginResponse Spawner);

/// <summary>The authenticator or spawner in <see cref="InfoResponse"/>.</summary>
public sealed record PluginResponse(string Class, string Version);
