using System.Reflection;
using Hub.Core.Auth;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Functions.Api.Models;
using Hub.Functions.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hub.Functions.Api;

/// <summary>
/// <c>GET /hub/api/</c> (the version, no authentication: clients and the idle culler read it first),
/// <c>GET /hub/api/info</c> (<c>read:hub</c>) and <c>GET /hub/api/user</c> (who am I, with the request's scopes).
/// Every other <c>/hub/api/…</c> path answers a problem+json 404.
/// </summary>
public static class HubApiEndpoints
{
    /// <summary>The JupyterHub version whose REST API this hub speaks (clients compare against it).</summary>
    public const string CompatibleVersion = "5.5.1";

    public static IEndpointRouteBuilder MapHubApiEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Routing ignores a trailing slash: this answers both /hub/api and /hub/api/.
        endpoints.MapGet("/", Version).AllowAnonymous();
        endpoints.MapGet("/info", Info);
        endpoints.MapGet("/user", WhoAmIAsync);
        endpoints.MapGet("/authorizations/token/{token}", IdentifyTokenAsync);
        // Anonymous, as before the group existed: an unknown path is a 404 whoever asks.
        endpoints.Map("/{**rest}", (string rest) => ApiProblem.NotFound("No such API endpoint: /hub/api/" + Core.Security.LogText.Cap(rest))).AllowAnonymous();
        return endpoints;
    }

    private static JsonHttpResult<VersionResponse> Version() => ApiJson.Ok(new VersionResponse(CompatibleVersion));

    private static IResult Info(Caller caller, AuthOptions auth, IServiceProvider services)
    {
        if (!caller.Scopes.HasUnfiltered("read:hub"))
        {
            return ApiProblem.MissingScope("read:hub");
        }
        string ours = typeof(HubApiEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
        var spawner = services.GetService<IServerLifecycle>();
        return ApiJson.Ok(new InfoResponse(CompatibleVersion, Python: "", SysExecutable: "", ServerlessHub: ours,
            Authenticator: new PluginResponse(Core.Configuration.SettingValue.Kebab(auth.Authenticator.ToString()), ours),
            Spawner: new PluginResponse(spawner?.GetType().Name ?? "none", ours)));
    }

    private static async Task<IResult> WhoAmIAsync(HttpContext context, Caller caller, IHubStore store, ApiModels models) =>
        ApiJson.Ok(await IdentityAsync(caller.Identity, store, models, context.RequestAborted));

    /// <summary>
    /// The deprecated <c>GET /authorizations/token/{token}</c>, still used by older single-user servers: the owner of
    /// the token in the path, as <c>GET /user</c> would answer that token. Any authenticated caller may ask.
    /// </summary>
    private static async Task<IResult> IdentifyTokenAsync(string token, HttpContext context, IHubStore store, ApiModels models, RequestAuthenticator authenticator)
    {
        var owner = await authenticator.IdentifyTokenAsync(token, context.RequestAborted);
        return owner is null
            ? ApiProblem.NotFound("No user or service is identified by this token.")
            : ApiJson.Ok(await IdentityAsync(owner, store, models, context.RequestAborted));
    }

    /// <summary>The user model of a caller as <c>GET /user</c> gives it: what its scopes show, plus the scopes themselves.</summary>
    private static async Task<object> IdentityAsync(HubCaller caller, IHubStore store, ApiModels models, CancellationToken cancellationToken)
    {
        if (caller.Service is { } service)
        {
            return Services.ServiceModels.Identity(service, caller.Scopes);
        }
        var servers = new List<ServerRecord>();
        await foreach (var server in store.Servers.ListForUserAsync(caller.User.Name, cancellationToken))
        {
            servers.Add(server);
        }
        return models.User(caller.User, servers, caller.Scopes, includeStopped: false) with
        {
            Scopes = caller.Scopes.ToList(),
            SessionId = new Models.Optional<string?>(null),
            TokenId = caller.Token?.Id,
        };
    }
}
