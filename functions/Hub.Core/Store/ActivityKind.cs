namespace Hub.Core.Store;

/// <summary>What the last recorded activity of a server was (<see cref="ServerRecord.LastActivityKind"/>).</summary>
public enum ActivityKind
{
    /// <summary>Any request, response chunk or WebSocket frame (the culler counts traffic).</summary>
    Traffic,

    /// <summary>A request that changes something: a save, an upload, a new kernel.</summary>
    Request,

    /// <summary>A new WebSocket connection (a notebook or terminal opened).</summary>
    WebSocket,

    /// <summary>An <c>execute_request</c> a client sent to a kernel.</summary>
    Execute,

    /// <summary>Input typed into a terminal.</summary>
    Terminal,

    /// <summary>A kernel the server lists was active after the recorded activity (the culler asked).</summary>
    Kernel,

    /// <summary>A kernel was executing when the culler asked.</summary>
    KernelBusy,

    /// <summary>The server reported its own activity (<c>POST /hub/api/users/{name}/activity</c>).</summary>
    ServerReported,
}

/// <summary>The names of <see cref="ActivityKind"/> in the store, the API and the admin page.</summary>
public static class ActivityKinds
{
    private static readonly string[] Labels = ["traffic", "request", "websocket", "execute", "terminal", "kernel", "kernel-busy", "server-reported"];

    /// <summary>How many kinds there are (the gateway packs a kind into a few bits).</summary>
    public static int Count => Labels.Length;

    public static string Label(ActivityKind kind) => Labels[(int)kind];

    public static ActivityKind? Parse(string? label)
    {
        int index = label is null ? -1 : Array.IndexOf(Labels, label);
        return index < 0 ? null : (ActivityKind)index;
    }
}
