using Hub.Core.Store;

namespace Hub.Core.Spawning;

/// <summary>
/// Turns a server record into the progress event a student sees (JupyterHub's <c>/progress</c> stream): what is
/// happening, in words, and how far along it is.
/// </summary>
public static class SpawnProgressReport
{
    public const string CreatingMessage = "Creating your server";
    public const string StartingMessage = "Starting Jupyter";
    public const string WaitingForHttpMessage = "Waiting for your server to answer";
    public const string WaitingForCapacityMessage = "Waiting for capacity in the cloud; your place is kept";

    /// <summary>The usual message of a phase on the way up.</summary>
    public static string MessageFor(ServerPhase phase) => phase switch
    {
        ServerPhase.Creating => CreatingMessage,
        ServerPhase.Starting => StartingMessage,
        ServerPhase.WaitingForHttp => WaitingForHttpMessage,
        _ => phase.ToString(),
    };

    /// <summary>The event for a record; <paramref name="position"/> is the queue position when queued.</summary>
    public static SpawnProgress For(ServerRecord record, int? position, int queueLength)
    {
        if (record.Phase == ServerPhase.Running && record.Desired == ServerDesiredState.Running)
        {
            string url = ServerUrls.BasePath(record.Key);
            return new SpawnProgress(100, $"Server ready at {url}", Ready: true, Url: url);
        }
        if (record.Failure is not null)
        {
            return new SpawnProgress(100, "Spawn failed: " + (record.Message ?? record.Failure), Failed: true);
        }
        if (record.Desired == ServerDesiredState.Stopped)
        {
            return new SpawnProgress(100, "Spawn cancelled: the server was stopped", Failed: true);
        }
        return record.Phase switch
        {
            ServerPhase.Queued => new SpawnProgress(5,
                position is int p ? $"Waiting for a free slot: you are number {p} of {Math.Max(p, queueLength)} in the queue" : "Waiting for a free slot",
                QueuePosition: position),
            ServerPhase.Creating => new SpawnProgress(25, record.Message ?? CreatingMessage),
            ServerPhase.Starting => new SpawnProgress(55, record.Message ?? StartingMessage),
            ServerPhase.WaitingForHttp => new SpawnProgress(80, record.Message ?? WaitingForHttpMessage),
            // Cleaning up a failed attempt before the next one; the message says so.
            ServerPhase.Stopping => new SpawnProgress(20, record.Message ?? "Cleaning up before trying again"),
            _ => new SpawnProgress(0, record.Message ?? "Waiting to start"),
        };
    }
}
