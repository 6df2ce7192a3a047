using System.Collections.Concurrent;
using Hub.Core.Store;

namespace Hub.Core.Spawning;

/// <summary>
/// Tells waiters in this process that a server's record was written here, so start requests and progress streams
/// answer at once instead of at their next poll. Writes made by other instances are seen at the next poll.
/// </summary>
public sealed class ServerChangeSignal
{
    private readonly ConcurrentDictionary<ServerKey, TaskCompletionSource> _waiters = new();

    public void Notify(ServerKey server)
    {
        if (_waiters.TryRemove(server, out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    /// <summary>Completes when the server's record is next written in this process, or after <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(ServerKey server, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var waiter = _waiters.GetOrAdd(server, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await waiter.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Time for the next poll.
        }
    }
}
