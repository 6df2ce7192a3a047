namespace Hub.Gateway.Forwarding;

/// <summary>The outcome of forwarding one request.</summary>
/// <param name="Error">What went wrong, or <see cref="ForwarderError.None"/>.</param>
/// <param name="Reason">For the log: the underlying cause, never a secret.</param>
public readonly record struct ForwardResult(ForwarderError Error, string? Reason = null)
{
    public static readonly ForwardResult Success = new(ForwarderError.None);

    public bool Succeeded => Error == ForwarderError.None;
}
