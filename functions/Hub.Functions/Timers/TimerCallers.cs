using System.Net;
using Hub.Core.Security;
using Hub.Functions.Hosting;
using Microsoft.AspNetCore.Http.Features;

namespace Hub.Functions.Timers;

/// <summary>
/// Who may run a timer job by HTTP. Anyone who shows <see cref="TimerInvocationHeader"/> (made from the hub's key).
/// Under the Functions host (<c>FUNCTIONS_CUSTOMHANDLER_PORT</c> set) also the host itself: it cannot add a header of
/// ours, so its invocation is recognised by what it can do and others cannot, namely a request on loopback carrying
/// its <c>X-Azure-Functions-InvocationId</c> to exactly <c>/{function}</c>; its public HTTP function proxies only
/// <c>/hub/…</c>, so no client request arrives at these paths through it. Either way the request target must be the
/// job's path as sent, not one that Kestrel arrived at by resolving dot segments (<c>/hub/../reconcile</c>).
/// </summary>
internal sealed class TimerCallers(TimerInvocationHeader header, ControlPlaneOptions hosting)
{
    public const string HostInvocationHeader = "X-Azure-Functions-InvocationId";

    /// <summary>Why the request may not run <paramref name="job"/>, or null when it may.</summary>
    public string? Refusal(HttpContext context, ITimerJob job)
    {
        string raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        int query = raw.IndexOf('?', StringComparison.Ordinal);
        if (!string.Equals(query < 0 ? raw : raw[..query], "/" + job.Name, StringComparison.OrdinalIgnoreCase))
        {
            return $"Timer jobs are run only at their own path (/{job.Name}), never through dot segments or encoded characters.";
        }
        if (header.Verify(context.Request.Headers[TimerInvocationHeader.Name].FirstOrDefault()))
        {
            return null;
        }
        if (hosting.FunctionsCustomHandlerPort is not null
            && context.Request.Headers.ContainsKey(HostInvocationHeader)
            && context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address))
        {
            return null;
        }
        return $"Timer jobs are run by the Functions host or the hub's own scheduler; another caller must send the {TimerInvocationHeader.Name} header derived from the hub's key.";
    }
}
