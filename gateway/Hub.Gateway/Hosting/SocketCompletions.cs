namespace Hub.Gateway.Hosting;

/// <summary>
/// Runs socket completions on the sockets' event threads instead of queueing each one to the thread pool, on one event
/// thread per core. A proxy completes two socket operations per request and direction, and nothing on its request
/// path blocks, so the hand-off is pure overhead. Each event thread then runs the whole request path for its share of
/// the connections, so their number caps how many cores the gateway can use: one per core lets a gateway with cores of
/// its own use all of them. (One per two cores did better for the hand-written forwarder on two cores shared with the
/// load generator and the backend; YARP's forwarder costs more per request, and a single event thread became the
/// limit: bench/gateway-quick.sh, figures in bench/README.md.) .NET reads both switches only from the environment,
/// once, when the first socket is used; an operator's own values win (INLINE_COMPLETIONS=0 turns both choices off).
/// </summary>
internal static class SocketCompletions
{
    internal const string InlineVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
    internal const string ThreadCountVariable = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";

    public static void RunInline() => RunInline(Environment.ProcessorCount);

    internal static void RunInline(int processorCount)
    {
        if (Environment.GetEnvironmentVariable(InlineVariable) is null)
        {
            Environment.SetEnvironmentVariable(InlineVariable, "1");
        }
        if (Environment.GetEnvironmentVariable(InlineVariable) == "1" && Environment.GetEnvironmentVariable(ThreadCountVariable) is null)
        {
            Environment.SetEnvironmentVariable(ThreadCountVariable, EventThreads(processorCount).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>One event thread per core.</summary>
    internal static int EventThreads(int processorCount) => Math.Max(1, processorCount);
}
