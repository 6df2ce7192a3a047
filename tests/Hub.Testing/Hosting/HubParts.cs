namespace Hub.Testing.Hosting;

/// <summary>Which of the hub's hosts a <see cref="HubHost"/> starts.</summary>
[Flags]
public enum HubParts
{
    /// <summary>The control plane (<c>functions/Hub.Functions</c>).</summary>
    ControlPlane = 1,

    /// <summary>The gateway (<c>gateway/Hub.Gateway</c>); alone, it forwards <c>/hub/</c> to <see cref="HubHostOptions.ControlPlaneUrl"/>.</summary>
    Gateway = 2,

    /// <summary>The whole hub: the gateway in front of the control plane, on one public address.</summary>
    Both = ControlPlane | Gateway,
}
