using System.Diagnostics;

namespace Hub.Gateway.Metrics;

/// <summary>
/// The forwarding path's activity source: one <c>forward</c> activity per request for the hub or a user server, whose
/// context goes to the backend in <c>traceparent</c> (W3C trace context), so the control plane's spans of the same
/// request join the gateway's trace. Does nothing unless a tracer listens (Application Insights is configured).
/// </summary>
public static class ForwardingTracing
{
    /// <summary>The activity source's name, to register with a tracer.</summary>
    public const string SourceName = "Hub.Gateway.Forwarding";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>Middleware to run before the dispatcher.</summary>
    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!Source.HasListeners())
        {
            return next(context);
        }
        string path = context.Request.Path.Value ?? "";
        string? backend = path.StartsWith("/hub", StringComparison.Ordinal) ? "hub" : path.StartsWith("/user/", StringComparison.Ordinal) ? "user" : null;
        return backend is null ? next(context) : TraceAsync(context, next, backend);
    }

    private static async Task TraceAsync(HttpContext context, RequestDelegate next, string backend)
    {
        using var activity = Source.StartActivity("forward");
        if (activity is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        activity.SetTag("hub.backend", backend);
        // The forwarder copies the request's headers: the backend sees this activity as its parent, not the client's.
        DistributedContextPropagator.Current.Inject(activity, context.Request.Headers,
            static (carrier, name, value) => ((IHeaderDictionary)carrier!)[name] = value);
        await next(context).ConfigureAwait(false);
        activity.SetTag("http.response.status_code", context.Response.StatusCode);
    }
}
