namespace Hub.Gateway.Forwarding;

/// <summary>The outcome of forwarding one request.</summary>
/// <param name="Error">What went wrong, or <see cref="ForwarderError.None"/>.</param>
/// <param name="Reason">For the log: the underlying cause, never a secret.</param>
/// <param name="BackendStatus">With <see cref="ForwarderError.UpgradeFailed"/>: the status the backend answered the handshake with, if it answered.</param>
public readonly record struct ForwardResult(ForwarderError Error, string? Reason = null, int? BackendStatus = null)
{
    public static readonly ForwardResult Success = new(ForwarderError.None);

    public bool Succeeded => Error == ForwarderError.None;
}
