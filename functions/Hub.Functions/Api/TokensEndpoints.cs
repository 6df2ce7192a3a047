using Hub.Core.Auth;
using Hub.Core.Security;
using Hub.Core.Store;
using Hub.Functions.Api.Models;
using Hub.Functions.Auth;
using Hub.Functions.Logging;

namespace Hub.Functions.Api;

/// <summary>
/// API tokens: <c>GET/POST /hub/api/users/{name}/tokens</c>, <c>GET/DELETE /hub/api/users/{name}/tokens/{id}</c>.
/// Only the token's hash is stored; the token is returned once, at creation. Requested scopes (or roles, resolved
/// at once) must be within both the owner's and the requester's scopes; lifetimes are capped by <c>Auth__TokenMaxLifetime</c>.
/// </summary>
public static class TokensEndpoints
{
    public static IEndpointRouteBuilder MapTokensEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/users/{name}/tokens", ListAsync).AddEndpointFilter(TargetFilter.User("read:tokens"));
        endpoints.MapPost("/users/{name}/tokens", CreateAsync).AddEndpointFilter(TargetFilter.User("tokens"));
        endpoints.MapGet("/users/{name}/tokens/{id}", GetAsync).AddEndpointFilter(TargetFilter.User("read:tokens"));
        endpoints.MapDelete("/users/{name}/tokens/{id}", DeleteAsync).AddEndpointFilter(TargetFilter.User("tokens"));
        return endpoints;
    }

    private static async Task<IResult> ListAsync(HttpContext context, ApiTarget target, IHubStore store)
    {
        var user = target.User;
        var tokens = new List<TokenResponse>();
        await foreach (var token in store.Tokens.ListForUserAsync(user.Name, context.RequestAborted))
        {
            tokens.Add(ApiModels.Token(token));
        }
        return ApiJson.Ok(new TokenListResponse(tokens.OrderBy(t => t.Created, StringComparer.Ordinal).ToList()));
    }

    private static async Task<IResult> GetAsync(HttpContext context, ApiTarget target, string id, IHubStore store)
    {
        var user = target.User;
        var token = await FindAsync(store, user.Name, id, context.RequestAborted);
        return token is null ? ApiProblem.NotFound("No such token: " + LogText.Cap(id)) : ApiJson.Ok(ApiModels.Token(token));
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, Caller caller, ApiTarget target, string id, IHubStore store, ILogger<TokenRecord> logger)
    {
        var user = target.User;
        var token = await FindAsync(store, user.Name, id, context.RequestAborted);
        if (token is null)
        {
            return ApiProblem.NotFound("No such token: " + LogText.Cap(id));
        }
        await store.Tokens.DeleteAsync(token.Hash, cancellationToken: context.RequestAborted);
        Log.TokenRevoked(logger, token.Id, LogText.Cap(user.Name), LogText.Cap(caller.User.Name));
        return Results.NoContent();
    }

    private static async Task<IResult> CreateAsync(HttpContext context, Caller caller, ApiTarget target, IHubStore store, AuthOptions options, TimeProvider time, ILogger<TokenRecord> logger)
    {
        var user = target.User;
        var (request, bodyProblem) = await ApiBody.ReadAsync<TokenRequest>(context.Request);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        string note = request.Note
            ?? (caller.Credential == CallerCredential.Token ? "Requested via api by token " + caller.Token!.Id : "Requested via api");
        var lifetime = request.ExpiresIn;
        if (options.TokenMaxLifetime > TimeSpan.Zero && (lifetime is null || lifetime > options.TokenMaxLifetime))
        {
            if (lifetime is not null)
            {
                return ApiProblem.BadRequest($"expires_in must be at most {options.TokenMaxLifetime.TotalSeconds:0} seconds on this hub.");
            }
            lifetime = options.TokenMaxLifetime;
        }
        var requested = new List<string>(request.Scopes);
        foreach (var role in request.Roles)
        {
            if (!ScopeCatalog.Roles.TryGetValue(role, out var roleScopes))
            {
                return ApiProblem.Forbidden($"Role {LogText.Cap(role)} does not exist.");
            }
            requested.AddRange(roleScopes);
        }
        if (requested.Count == 0)
        {
            requested.Add(ScopeCatalog.Inherit);
        }

        // What the new token asks for must be within what its owner and the requester can do now: the owner's roles,
        // the services' grants and the shares they hold, as a request with the token would be checked.
        var services = context.RequestServices.GetService<Hub.Core.Services.ServiceCatalog>();
        var shared = await Hub.Core.Sharing.SharedAccess.ScopesOfAsync(store, user, context.RequestAborted);
        var owner = ScopeSet.ForUser(user, services is null ? shared : services.GrantsFor(user).Concat(shared));
        var wanted = ScopeSet.FromScopes(requested, user.Name, owner);
        if (!owner.Covers(wanted) || !caller.Scopes.Covers(wanted))
        {
            return ApiProblem.Forbidden("The requested scopes exceed what the token's owner or the requester holds.");
        }

        string secret = SecretHash.NewSecret();
        var now = time.GetUtcNow();
        var record = new TokenRecord
        {
            Hash = SecretHash.Of(secret),
            Id = "a" + SecretHash.Base64Url(System.Security.Cryptography.RandomNumberGenerator.GetBytes(9)),
            User = user.Name,
            Scopes = requested.Distinct(StringComparer.Ordinal).ToList(),
            Note = note,
            Created = now,
            Expires = lifetime is { } l ? now + l : null,
        };
        var created = await store.Tokens.CreateAsync(record, context.RequestAborted);
        if (!created.Succeeded)
        {
            return ApiProblem.Of(StatusCodes.Status503ServiceUnavailable, "Could not store the new token; try again.");
        }
        Log.TokenCreated(logger, record.Id, LogText.Cap(user.Name), LogText.Cap(caller.User.Name));
        context.Response.Headers.CacheControl = "no-store";
        return ApiJson.Ok(ApiModels.Token(created.Record!, secret), StatusCodes.Status201Created);
    }

    private static async Task<TokenRecord?> FindAsync(IHubStore store, string user, string id, CancellationToken cancellationToken)
    {
        if (id.Length > 64)
        {
            return null;
        }
        await foreach (var token in store.Tokens.ListForUserAsync(user, cancellationToken))
        {
            if (token.Id == id)
            {
                return token;
            }
        }
        return null;
    }
}
