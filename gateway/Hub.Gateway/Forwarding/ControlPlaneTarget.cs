using Hub.Gateway.Hosting;

namespace Hub.Gateway.Forwarding;

/// <summary>Where <c>/hub/…</c> goes: the control plane, with the client's cookies and credentials passed on unchanged.</summary>
public sealed class ControlPlaneTarget(GatewayOptions options)
{
    public ForwardTarget Target { get; } = new(options.ControlPlaneUrl, BackendKind.ControlPlane);
}
