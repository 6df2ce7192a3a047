using Hub.Core.Store;
using Hub.Gateway.Forwarding;

namespace Hub.Gateway.Routing;

/// <summary>A route ready to use: its record and how to forward to it, with the server's token already derived.</summary>
public sealed class RouteEntry
{
    public RouteEntry(RouteRecord record, string serverToken)
    {
        Record = record;
        // A hub-aware server checks visitors itself, with the hub; it gets their own credentials, not its token.
        Target = new ForwardTarget(record.Target, BackendKind.UserServer, record.HubAware ? null : "token " + serverToken, record.Key);
    }

    public RouteRecord Record { get; }

    public ServerKey Key => Record.Key;

    public ForwardTarget Target { get; }

    /// <summary>Only http and https targets are forwarded to.</summary>
    public static bool IsUsable(RouteRecord record) =>
        record.Target.IsAbsoluteUri && (record.Target.Scheme == Uri.UriSchemeHttp || record.Target.Scheme == Uri.UriSchemeHttps)
        && string.IsNullOrEmpty(record.Target.Query) && string.IsNullOrEmpty(record.Target.Fragment);
}
