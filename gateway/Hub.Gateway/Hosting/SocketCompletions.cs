namespace Hub.Gateway.Hosting;

/// <summary>
/// Runs socket completions on the sockets' event threads instead of queueing each one to the thread pool, on one event
/// thread per two cores. A proxy completes two socket operations per request and direction, and nothing on its
/// request path blocks, so the hand-off is pure overhead. With completions inline, .NET starts one event thread per
/// core; each then runs the whole request path for its share of the connections, wakes for fewer events at a time and
/// sleeps more often, while the kernel's network work for those requests needs the cores too, so half as many threads
/// (one on two cores) do better. Both choices lowered context switches and CPU time per request in
/// bench/gateway-proxy.sh (figures in bench/README.md). .NET reads both switches only from the environment, once, when
/// the first socket is used; an operator's own values win (INLINE_COMPLETIONS=0 turns both choices off).
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

    /// <summary>One event thread per two cores, at least one.</summary>
    internal static int EventThreads(int processorCount) => Math.Max(1, processorCount / 2);
}
