using Hub.Core.Store;
using Hub.Gateway.Activity;

namespace Hub.Gateway.Forwarding;

/// <summary>Marks a user server active for every chunk of its response body that reaches the client.</summary>
internal sealed class ResponseActivity(ActivityRecorder activity, ServerKey server) : ITransferObserver
{
    public void Transferred(int bytes) => activity.Record(server);
}
