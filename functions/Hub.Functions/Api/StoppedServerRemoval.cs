using Hub.Core.Store;

namespace Hub.Functions.Api;

/// <summary>
/// Deletes a server's record after it was stopped, at the version read once the stop was done, so a start that lands
/// between the stop and the delete is kept instead of being deleted with the record (its container would be
/// orphaned and its user would see no server).
/// </summary>
public static class StoppedServerRemoval
{
    private const int Attempts = 3;

    /// <summary>
    /// True when the record is gone (deleted here or already); false when the server was started again, or is still
    /// stopping, so the caller answers that instead of deleting.
    /// </summary>
    public static async Task<bool> DeleteIfStillStoppedAsync(IHubStore store, ServerKey key, CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            var record = await store.Servers.GetAsync(key, cancellationToken);
            if (record is null)
            {
                return true;
            }
            if (IsActive(record))
            {
                return false;
            }
            var status = await store.Servers.DeleteAsync(key, record.Version, cancellationToken);
            if (status != StoreWriteStatus.Changed)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Wanted running, or not yet at rest: a record that must not be deleted.</summary>
    public static bool IsActive(ServerRecord record) =>
        record.Desired == ServerDesiredState.Running || record.Phase is not (ServerPhase.Stopped or ServerPhase.Failed);
}
