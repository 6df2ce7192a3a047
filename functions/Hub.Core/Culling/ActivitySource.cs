namespace Hub.Core.Culling;

/// <summary>What counts as a server's activity for the idle culler (<see cref="CullerOptions.ActivitySource"/>).</summary>
public enum ActivitySource
{
    /// <summary>
    /// What a person does: requests through the gateway that change something (any method but GET, HEAD and
    /// OPTIONS), a new WebSocket connection, <c>execute_request</c> messages a client sends to a kernel, terminal
    /// input, busy kernels and kernels newer than the recorded activity. An open tab's polling and everything the
    /// server sends do not count.
    /// </summary>
    User,

    /// <summary>
    /// Every request, response chunk and WebSocket frame through the gateway, and the server's own
    /// <c>last_activity</c> (which Jupyter moves on every API call): what JupyterHub with configurable-http-proxy
    /// counts, so an open tab keeps its server.
    /// </summary>
    Traffic,
}
