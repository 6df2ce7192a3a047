using Hub.Core.Security;
using Hub.Core.Store;
using Hub.Functions.Api.Models;

namespace Hub.Functions.Api;

/// <summary>
/// <c>POST /hub/api/users/{name}/activity</c> (<c>users:activity</c>): single-user servers and the gateway report
/// when a user was last active. Timestamps only move forward; one more than 59 minutes ahead is refused (400),
/// as is a server the user does not have.
/// </summary>
public static class ActivityEndpoints
{
    public static IEndpointRouteBuilder MapActivityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/users/{name}/activity", PostAsync);
        return endpoints;
    }

    private static async Task<IResult> PostAsync(HttpContext context, string name, Caller caller, IHubStore store, TimeProvider time)
    {
        if (!caller.Scopes.HasAny("users:activity"))
        {
            return ApiProblem.MissingScope("users:activity");
        }
        var (body, bodyProblem) = await ApiBody.ReadObjectAsync(context.Request);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        if (!ActivityRequest.TryRead(body, time.GetUtcNow(), out var request, out var requestProblem))
        {
            return requestProblem!;
        }
        DateTimeOffset? userActivity = request.LastActivity;
        var serverActivity = request.Servers;

        var (user, notFound) = await ApiTargets.UserAsync(context, caller.Identity, name, "users:activity");
        if (user is null && serverActivity.Count > 0)
        {
            // A server token (users:activity!server=…) may report its own server's activity.
            (user, notFound) = await ApiTargets.UserAsync(context, caller.Identity, name, "users:activity", serverActivity.Keys.First());
            if (user is not null && serverActivity.Keys.Any(s => !caller.Scopes.Allows("users:activity", user.Name, user.Groups, s)))
            {
                user = null;
            }
        }
        if (user is null)
        {
            return notFound!;
        }
        foreach (var serverName in serverActivity.Keys)
        {
            if (await store.Servers.GetAsync(new ServerKey(user.Name, serverName), context.RequestAborted) is null)
            {
                return ApiProblem.BadRequest($"No such server '{LogText.Cap(serverName)}' for user {LogText.Cap(user.Name)}");
            }
        }
        foreach (var (serverName, at) in serverActivity)
        {
            await store.Servers.ChangeAsync(new ServerKey(user.Name, serverName),
                s => ActivityMerge.Forward(s, at, ActivityKind.ServerReported), context.RequestAborted);
        }
        var latest = new[] { userActivity }.Concat(serverActivity.Values.Select(v => (DateTimeOffset?)v)).Max();
        if (latest is { } newest)
        {
            await store.Users.ChangeAsync(user.Name, u => u.LastActivity is { } old && old >= newest ? null : u with { LastActivity = newest }, context.RequestAborted);
        }
        return Results.Ok();
    }
}
