namespace Hub.Core.Store;

/// <summary>
/// Whether the store's tables exist yet. The start-up initializer marks it once they do; background work that reads
/// the store on its own (the first reconcile sweep) waits for it, so a fresh deployment does not start by logging
/// errors about tables that are still being created. Registered only where something marks it.
/// </summary>
public sealed class StoreReadiness
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsReady => _ready.Task.IsCompleted;

    /// <summary>Completes when <see cref="MarkReady"/> is called.</summary>
    public Task Ready => _ready.Task;

    public void MarkReady() => _ready.TrySetResult();
}
