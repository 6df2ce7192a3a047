using Hub.Core.Auth.Credentials;
using Hub.Core.Security;
using Hub.Core.Store;
using Hub.Gateway.Activity;
using Hub.Gateway.Auth;
using Hub.Gateway.Forwarding;
using Hub.Gateway.Hosting;
using Hub.Gateway.Logging;
using Hub.Gateway.Metrics;
using Hub.Gateway.Routing;
using Microsoft.AspNetCore.Http.Features;

namespace Hub.Gateway;

/// <summary>
/// The gateway's request path. <c>/hub/…</c> goes to the control plane unchanged. <c>/user/{name}/…</c> needs a
/// session or token of the owner, an admin, or a user the server is shared with (the shares are looked up only
/// then; a WebSocket opened through a share is closed once the share is revoked, see <see cref="SharedConnectionWatch"/>),
/// a same-site origin for state changes and WebSockets, and a route;
/// without a route it is redirected to <c>/hub/user/{name}/…</c>, where the hub explains and offers a start.
/// <c>/services/{name}/…</c> goes to that service's URL under the same login rules, for whoever may open it
/// (<see cref="AccessPolicy.MayOpen(Hub.Core.Auth.Credentials.CredentialIdentity, Hub.Core.Services.ServiceDefinition)"/>); an unknown service is a 404.
/// Everything else falls through to the gateway's own endpoints.
/// </summary>
public sealed class RequestDispatcher(
    RouteTable routes,
    ServiceRoutes services,
    RequestCredentials credentials,
    OriginPolicy origins,
    BackendForwarder forwarder,
    ActivityRecorder activity,
    ActivityRules activityRules,
    GatewayMetrics metrics,
    ControlPlaneTarget controlPlane,
    SharedConnectionWatch sharedConnections,
    ILogger<RequestDispatcher> logger)
{
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        string raw = BackendRequest.RawPathAndQuery(context);
        if (raw.StartsWith("/hub/", StringComparison.Ordinal) || raw == "/hub" || raw.StartsWith("/hub?", StringComparison.Ordinal))
        {
            // The control plane would resolve /hub/../x to /x, outside what the gateway means to send it.
            int query = raw.IndexOf('?', StringComparison.Ordinal);
            return UserPath.HasDotSegment(query < 0 ? raw : raw[..query])
                ? RefuseAsync(context, StatusCodes.Status400BadRequest, "Bad path", "The path holds '.' or '..' segments, which browsers never send.", "bad-path")
                : ForwardAsync(context, controlPlane.Target);
        }
        if (raw.StartsWith("/user/", StringComparison.Ordinal))
        {
            return ForwardToUserServerAsync(context, raw);
        }
        if (ServiceRoutes.IsServicePath(raw))
        {
            return ForwardToServiceAsync(context, raw);
        }
        return next(context);
    }

    private async Task ForwardToServiceAsync(HttpContext context, string raw)
    {
        int query = raw.IndexOf('?', StringComparison.Ordinal);
        string rawPath = query < 0 ? raw : raw[..query];
        if (UserPath.HasDotSegment(rawPath))
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "Bad path", "The path holds '.' or '..' segments, which browsers never send.", "bad-path").ConfigureAwait(false);
            return;
        }
        if (!services.TryFind(rawPath, out var service, out var target, out bool bare))
        {
            await RefuseAsync(context, StatusCodes.Status404NotFound, "No such service", "The hub has no service at this address.", "no-service").ConfigureAwait(false);
            return;
        }
        if (bare)
        {
            GatewayResponses.Redirect(context, service.Prefix + (query < 0 ? "" : raw[query..]), preserveMethod: !IsBodiless(context.Request));
            metrics.CountGatewayResponse(context.Response.StatusCode);
            return;
        }
        bool webSocket = WebSocketRequests.IsWebSocket(context);
        var request = context.Request;
        if (await AuthenticateOrRefuseAsync(context, webSocket).ConfigureAwait(false) is not { } identity)
        {
            return;
        }
        if (!AccessPolicy.MayOpen(identity, service))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "Not allowed",
                $"You may not open the service {service.Name} (it needs the {service.AccessScope} scope).", "forbidden").ConfigureAwait(false);
            return;
        }
        if (OriginPolicy.NeedsCheck(request, webSocket) && origins.CrossSiteReason(request) is { } crossSite)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "Cross-site request refused", $"The request was refused because {crossSite}.", "cross-site").ConfigureAwait(false);
            return;
        }
        var result = await ForwardCoreAsync(context, target, webSocket).ConfigureAwait(false);
        await FinishAsync(context, target, result).ConfigureAwait(false);
    }

    private async Task ForwardToUserServerAsync(HttpContext context, string raw)
    {
        var request = context.Request;
        if (!UserPath.TryParse(raw, out var path, out string problem))
        {
            await RefuseAsync(context, StatusCodes.Status404NotFound, "Not found", problem, "bad-path").ConfigureAwait(false);
            return;
        }
        bool webSocket = WebSocketRequests.IsWebSocket(context);
        if (await AuthenticateOrRefuseAsync(context, webSocket).ConfigureAwait(false) is not { } authenticated)
        {
            return;
        }
        var identity = authenticated;
        if (!AccessPolicy.MayOpenServersOf(identity, path.User))
        {
            try
            {
                identity = await credentials.WithSharesAsync(identity).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
            {
                Log.CredentialLookupFailed(logger, FailureText.Of(ex));
                await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, "Cannot check your access right now", "The hub's store did not answer; try again in a moment.", "store-unavailable",
                    GatewayResponses.RetryAfterSeconds).ConfigureAwait(false);
                return;
            }
            if (!AccessPolicy.MayOpenServersOf(identity, path.User))
            {
                await RefuseAsync(context, StatusCodes.Status403Forbidden, "Not your server", "Only its owner, hub admins and those it is shared with may open this server.", "forbidden").ConfigureAwait(false);
                return;
            }
        }
        if (OriginPolicy.NeedsCheck(request, webSocket) && origins.CrossSiteReason(request) is { } crossSite)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "Cross-site request refused", $"The request was refused because {crossSite}.", "cross-site").ConfigureAwait(false);
            return;
        }

        RouteEntry? route;
        try
        {
            route = await routes.FindAsync(path.User, path.NextSegment, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, "Cannot find the server right now", "The hub's store did not answer; try again in a moment.", "store-unavailable",
                GatewayResponses.RetryAfterSeconds).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException)
        {
            metrics.CountGatewayResponse(499);
            return;
        }
        if (route is null)
        {
            await NoRouteAsync(context, path, webSocket).ConfigureAwait(false);
            return;
        }
        if (!AccessPolicy.MayOpen(identity, route.Key))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "Not allowed", "These credentials do not grant access to this server: it needs the access:servers scope for it (a token or a share may cover other servers only).", "forbidden").ConfigureAwait(false);
            return;
        }

        if (path.CanonicalTarget(route.Key) is { } canonical && context.Features.Get<IHttpRequestFeature>() is { } requestFeature)
        {
            // The backend URL is built from the raw target: the server sees its base URL as it was started with it.
            requestFeature.RawTarget = canonical;
        }
        if (activityRules.ForRequest(request, webSocket) is { } kind)
        {
            activity.Record(route.Key, kind);
        }
        // A connection opened through a share must not outlive the share: it is checked again while it lasts.
        await using var watch = webSocket && !AccessPolicy.MayOpen(authenticated, route.Key)
            ? sharedConnections.Watch(context, identity.User.Name, route.Key)
            : null;
        var result = await ForwardCoreAsync(context, route.Target, webSocket).ConfigureAwait(false);
        if (result.Error == ForwarderError.BackendUnreachable && !context.Response.HasStarted && !webSocket && IsBodiless(request)
            && await IsGoneAsync(route.Key, context.RequestAborted).ConfigureAwait(false))
        {
            // The server stopped after the snapshot was taken: send the user where a stopped server is explained.
            GatewayResponses.Redirect(context, path.HubLocation, preserveMethod: false);
            metrics.CountRequest(BackendKind.UserServer, context.Response.StatusCode);
            return;
        }
        await FinishAsync(context, route.Target, result).ConfigureAwait(false);
    }

    private async Task ForwardAsync(HttpContext context, ForwardTarget target)
    {
        var result = await ForwardCoreAsync(context, target, WebSocketRequests.IsWebSocket(context)).ConfigureAwait(false);
        await FinishAsync(context, target, result).ConfigureAwait(false);
    }

    private ValueTask<ForwardResult> ForwardCoreAsync(HttpContext context, ForwardTarget target, bool webSocket) =>
        forwarder.ForwardAsync(context, target, webSocket);

    private async Task FinishAsync(HttpContext context, ForwardTarget target, ForwardResult result)
    {
        if (result.Succeeded)
        {
            metrics.CountRequest(target.Kind, context.Response.StatusCode);
            return;
        }
        metrics.CountError(result.Error);
        string path = LogText.CapLong(context.Request.Path.Value);
        if (result.Error == ForwarderError.ClientAborted)
        {
            metrics.CountRequest(target.Kind, 499);
            Log.ClientAborted(logger, context.Request.Method, path);
            return;
        }
        Log.ForwardFailed(logger, context.Request.Method, path, target.Origin.Authority, ForwarderErrors.Label(result.Error), result.Reason ?? "");
        if (context.Response.HasStarted)
        {
            metrics.CountRequest(target.Kind, context.Response.StatusCode);
            return;
        }
        int status = ForwarderErrors.StatusCode(result.Error);
        string who = target.Kind switch
        {
            BackendKind.UserServer => "Your server",
            BackendKind.Service => "The service",
            _ => "The hub",
        };
        string detail = result.Error switch
        {
            ForwarderError.Timeout => $"{who} did not answer in time. Try again in a moment.",
            ForwarderError.UpgradeFailed => $"{who} accepted the WebSocket connection, but it could not be set up.",
            ForwarderError.InvalidResponse => $"{who} sent an answer that is not valid HTTP, so it was not passed on.",
            _ => $"{who} is not answering. Try again in a moment.",
        };
        context.Response.Clear();
        // The control plane restarts now and then: a browser waiting on it is sent back to try again.
        int? retry = !target.IsOutsideHub && result.Error is ForwarderError.Timeout or ForwarderError.BackendUnreachable ? GatewayResponses.RetryAfterSeconds : null;
        await GatewayResponses.ErrorAsync(context, status, ForwarderErrors.Title(result.Error), detail, ForwarderErrors.Label(result.Error), retry).ConfigureAwait(false);
        metrics.CountRequest(target.Kind, status);
    }

    private async Task NoRouteAsync(HttpContext context, UserPath path, bool webSocket)
    {
        if (webSocket)
        {
            metrics.CountError(ForwarderError.NoRoute);
            await RefuseAsync(context, StatusCodes.Status404NotFound, ForwarderErrors.Title(ForwarderError.NoRoute),
                "The server is not running, so there is nothing to connect to. Start it from the hub's home page.", ForwarderErrors.Label(ForwarderError.NoRoute)).ConfigureAwait(false);
            return;
        }
        GatewayResponses.Redirect(context, path.HubLocation, preserveMethod: !IsBodiless(context.Request));
        metrics.CountGatewayResponse(context.Response.StatusCode);
    }

    /// <summary>
    /// The one login check of user servers and services: the identity of the request's session or token, or
    /// <c>null</c> once the refusal is written (503 with Retry-After when the store cannot be asked; for no or invalid
    /// credentials a redirect to the login page for a page a browser navigates to, a 403 otherwise).
    /// </summary>
    private async ValueTask<CredentialIdentity?> AuthenticateOrRefuseAsync(HttpContext context, bool webSocket)
    {
        var authentication = await credentials.AuthenticateAsync(context.Request).ConfigureAwait(false);
        switch (authentication.Outcome)
        {
            case AuthenticationOutcome.Authenticated:
                return authentication.Identity;
            case AuthenticationOutcome.Unavailable:
                await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, "Cannot check your login right now", authentication.Reason!, "store-unavailable",
                    GatewayResponses.RetryAfterSeconds).ConfigureAwait(false);
                return null;
            default:
                await NotLoggedInAsync(context, authentication.Reason, webSocket).ConfigureAwait(false);
                return null;
        }
    }

    private async Task NotLoggedInAsync(HttpContext context, string? reason, bool webSocket)
    {
        var request = context.Request;
        if (!webSocket && IsBodiless(request) && GatewayResponses.WantsHtml(request))
        {
            string next = Uri.EscapeDataString(BackendRequest.RawPathAndQuery(context));
            GatewayResponses.Redirect(context, "/hub/login?next=" + next, preserveMethod: false);
            metrics.CountGatewayResponse(context.Response.StatusCode);
            return;
        }
        await RefuseAsync(context, StatusCodes.Status403Forbidden, "Login required",
            reason ?? "Send the hub's session cookie or an API token (Authorization: token …).", "unauthenticated").ConfigureAwait(false);
    }

    private async Task<bool> IsGoneAsync(ServerKey server, CancellationToken cancellationToken)
    {
        try
        {
            return await routes.ConfirmAsync(server, cancellationToken).ConfigureAwait(false) is null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return false;
        }
    }

    private async Task RefuseAsync(HttpContext context, int status, string title, string detail, string reason, int? retryAfterSeconds = null)
    {
        Log.Refused(logger, context.Request.Method, LogText.CapLong(context.Request.Path.Value), reason);
        await GatewayResponses.ErrorAsync(context, status, title, detail, reason, retryAfterSeconds).ConfigureAwait(false);
        metrics.CountGatewayResponse(status);
    }

    private static bool IsBodiless(HttpRequest request) => HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
}
