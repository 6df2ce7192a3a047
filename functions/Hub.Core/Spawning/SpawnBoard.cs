using System.Collections.Immutable;
using Hub.Core.Store;

namespace Hub.Core.Spawning;

/// <summary>
/// The active servers at a glance, for admission and queue positions: one query of the active records, shared by
/// every caller in this process for up to a second, and corrected at once for what this process admits or finishes.
/// Limits are therefore soft across several control-plane instances (each may admit on a one-second-old view).
/// </summary>
public sealed class SpawnBoard(IHubStore store, TimeProvider time)
{
    /// <summary>How long local changes are remembered, to re-apply them to a refresh that started before them.</summary>
    private static readonly TimeSpan NoteLifetime = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly List<(DateTimeOffset At, Func<BoardSnapshot, BoardSnapshot> Change)> _notes = [];
    private BoardSnapshot? _snapshot;
    private DateTimeOffset _taken;
    private Task<BoardSnapshot>? _refreshing;

    /// <summary>A view at most <paramref name="maxAge"/> old.</summary>
    public async Task<BoardSnapshot> GetAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        Task<BoardSnapshot> refreshing;
        lock (_gate)
        {
            if (_snapshot is not null && time.GetUtcNow() - _taken <= maxAge)
            {
                return _snapshot;
            }
            // Started off this thread: a refresh that completed inline would clear _refreshing before it is set.
            _refreshing ??= Task.Run(RefreshAsync);
            refreshing = _refreshing;
        }
        return await refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>This process accepted a start: the server is queued and counts as active at once.</summary>
    public void NoteRequested(ServerKey server) => Update(s => s.Request(server));

    /// <summary>This process recorded a stop (or a failed start): the server no longer counts as active.</summary>
    public void NoteStopped(ServerKey server) => Update(s => s.Stop(server));

    /// <summary>This process moved a server from the queue to creating.</summary>
    public void NoteAdmitted(ServerKey server) => Update(s => s.Admit(server));

    /// <summary>This process finished a start (ready or failed): its slot is free.</summary>
    public void NoteSettled(ServerKey server) => Update(s => s.Settle(server));

    private void Update(Func<BoardSnapshot, BoardSnapshot> change)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            // Every change was written to the store before it is noted here; a refresh that started before the note
            // may not show it, so the note is kept and applied again to such a refresh. Changes are idempotent.
            _notes.RemoveAll(n => n.At < now - NoteLifetime);
            _notes.Add((now, change));
            if (_snapshot is not null)
            {
                _snapshot = change(_snapshot);
            }
        }
    }

    private async Task<BoardSnapshot> RefreshAsync()
    {
        try
        {
            var started = time.GetUtcNow();
            var records = new List<ServerRecord>();
            await foreach (var record in store.Servers.ListActiveAsync(CancellationToken.None).ConfigureAwait(false))
            {
                records.Add(record);
            }
            var snapshot = BoardSnapshot.From(records);
            lock (_gate)
            {
                foreach (var (at, change) in _notes.Where(n => n.At >= started))
                {
                    snapshot = change(snapshot);
                }
                _snapshot = snapshot;
                _taken = started;
            }
            return snapshot;
        }
        finally
        {
            lock (_gate)
            {
                _refreshing = null;
            }
        }
    }
}

/// <summary>An immutable view of the active servers.</summary>
public sealed class BoardSnapshot
{
    private readonly ImmutableList<ServerKey> _queue;
    private readonly ImmutableHashSet<ServerKey> _inFlight;
    private readonly ImmutableHashSet<ServerKey> _active;

    private BoardSnapshot(ImmutableList<ServerKey> queue, ImmutableHashSet<ServerKey> inFlight, ImmutableHashSet<ServerKey> active)
    {
        _queue = queue;
        _inFlight = inFlight;
        _active = active;
    }

    /// <summary>Servers waiting for a spawn slot, first come first.</summary>
    public IReadOnlyList<ServerKey> Queue => _queue;

    /// <summary>Starts between leaving the queue and answering HTTP (they hold spawn slots).</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>Servers that should run: queued, starting or running (the active-server limit counts these).</summary>
    public int Active => _active.Count;

    public static BoardSnapshot From(IEnumerable<ServerRecord> records)
    {
        var list = records.ToList();
        var queue = list.Where(r => r.Desired == ServerDesiredState.Running && r.Phase == ServerPhase.Queued)
            .OrderBy(r => r.Requested ?? DateTimeOffset.MaxValue)
            .ThenBy(r => r.User, StringComparer.Ordinal)
            .ThenBy(r => r.Name, StringComparer.Ordinal)
            .Select(r => r.Key)
            .ToImmutableList();
        var inFlight = list.Where(HoldsSpawnSlot).Select(r => r.Key).ToImmutableHashSet();
        var active = list.Where(r => r.Desired == ServerDesiredState.Running).Select(r => r.Key).ToImmutableHashSet();
        return new BoardSnapshot(queue, inFlight, active);
    }

    /// <summary>Whether a server occupies one of the concurrent-spawn slots.</summary>
    public static bool HoldsSpawnSlot(ServerRecord record) =>
        record.Desired == ServerDesiredState.Running
        && record.Phase is ServerPhase.Creating or ServerPhase.Starting or ServerPhase.WaitingForHttp or ServerPhase.Stopping;

    /// <summary>1 for the next to leave the queue; <c>null</c> when the server is not queued (as far as this view knows).</summary>
    public int? PositionOf(ServerKey server)
    {
        int index = _queue.IndexOf(server);
        return index < 0 ? null : index + 1;
    }

    internal BoardSnapshot Request(ServerKey server) =>
        new(_queue.Contains(server) ? _queue : _queue.Add(server), _inFlight, _active.Add(server));

    internal BoardSnapshot Stop(ServerKey server) => new(_queue.Remove(server), _inFlight.Remove(server), _active.Remove(server));

    internal BoardSnapshot Admit(ServerKey server) => new(_queue.Remove(server), _inFlight.Add(server), _active);

    internal BoardSnapshot Settle(ServerKey server) => new(_queue.Remove(server), _inFlight.Remove(server), _active);
}
