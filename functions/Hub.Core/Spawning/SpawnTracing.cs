using System.Diagnostics;
using Hub.Core.Store;

namespace Hub.Core.Spawning;

/// <summary>
/// The spawn path's activity source: one activity per reconcile step of a server, so a trace of a start shows the
/// steps that advanced it and, under each, the store and ARM calls they made. Traced only when an exporter listens.
/// </summary>
public static class SpawnTracing
{
    /// <summary>The activity source's name, to register with a tracer.</summary>
    public const string SourceName = "Hub.Spawning";

    internal static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts the activity of one step of <paramref name="server"/>, or returns <c>null</c> when nobody listens.</summary>
    internal static Activity? StartStep(ServerKey server)
    {
        var activity = Source.StartActivity("reconcile step");
        activity?.SetTag("hub.server", SpawnLog.Name(server));
        return activity;
    }
}
