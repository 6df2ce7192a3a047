using Hub.Core.Store;

namespace Hub.Core.Spawning;

/// <summary>
/// Server-hours: a run lasts from <see cref="ServerRecord.Started"/> (the server became ready) until its resources
/// are gone. Ending a run moves its length into <see cref="ServerRecord.UsedSeconds"/> and clears
/// <see cref="ServerRecord.Started"/> in one record, so the write that stores it is also the marker that it was
/// counted: a stop step repeated after that write finds no run to end, and one repeated before it (the write failed
/// or never happened) counts the run then.
/// </summary>
public static class ServerUsage
{
    /// <summary>The record with its current run (if any) counted and closed at <paramref name="now"/>.</summary>
    public static ServerRecord EndRun(ServerRecord record, DateTimeOffset now) =>
        record.Started is null ? record : record with { UsedSeconds = record.UsedSeconds + RunSeconds(record, now), Started = null };

    /// <summary>Whole seconds of the current run at <paramref name="now"/>; 0 when none (or a clock behind <see cref="ServerRecord.Started"/>).</summary>
    public static long RunSeconds(ServerRecord record, DateTimeOffset now) =>
        record.Started is { } started && now > started ? (long)(now - started).TotalSeconds : 0;

}
