using System.Net.Http.Headers;
using System.Text;
using Hub.Core.Auth;
using Hub.Core.Hosting;
using Hub.Core.Security;
using Hub.Core.Services;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Functions.Api;
using Hub.Functions.Auth;
using Hub.Functions.Pages;
using Microsoft.AspNetCore.WebUtilities;

namespace Hub.Functions.OAuth;

/// <summary>
/// The hub as OAuth 2.0 provider for hub-aware servers (<c>jupyterhub-singleuser</c>) and services, as JupyterHub's: the
/// authorization-code grant only. <c>GET /hub/api/oauth2/authorize</c> checks the client and its redirect URI against
/// the registered client (<see cref="OAuthClients"/>) before anything else, so a wrong one gets a 400 page and no code
/// is sent anywhere; the server's owner is not asked to consent (nor is anyone else allowed into it: an admin's
/// token would carry only the scopes of that server). <c>POST /hub/api/oauth2/token</c> exchanges a code once, with
/// the client's secret, for an API token with the granted scopes.
/// </summary>
public static class OAuthEndpoints
{
    /// <summary>How long an access token lives (JupyterHub's default cookie lifetime), unless <c>Auth__TokenMaxLifetime</c> is shorter.</summary>
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromDays(14);

    public static IEndpointRouteBuilder MapOAuthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Mapped in the /hub/api group, but with their own authentication: a login page, and the client's secret.
        endpoints.MapGet("/oauth2/authorize", AuthorizeAsync).AllowAnonymous();
        endpoints.MapPost("/oauth2/token", TokenAsync).DisableAntiforgery().AllowAnonymous();
        return endpoints;
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext context, OAuthClients clients, OAuthCodes codes, HubOptions hub, IHubStore store, TimeProvider time)
    {
        var (caller, login) = await PageAccess.RequireLoginAsync(context);
        if (caller is null)
        {
            return login!;
        }
        var query = context.Request.Query;
        var cancellationToken = context.RequestAborted;
        var client = await clients.FindAsync(query["client_id"].ToString(), cancellationToken);
        if (client is null)
        {
            return Refuse(StatusCodes.Status400BadRequest, "Invalid client_id: no running server or service has this OAuth client. Start the server again.");
        }
        string registered = client.RedirectPath;
        string redirect = query["redirect_uri"].ToString();
        if (redirect.Length > 0 && redirect != registered && redirect != new Uri(hub.PublicUrl, registered).AbsoluteUri)
        {
            return Refuse(StatusCodes.Status400BadRequest, "Invalid redirect_uri: it is not the one registered for this client.");
        }
        redirect = redirect.Length > 0 ? redirect : registered;
        string? state = query["state"].ToString() is { Length: > 0 } s ? s : null;
        if (query["response_type"].ToString() != "code")
        {
            return Results.Redirect(WithQuery(redirect, ("error", "unsupported_response_type"), ("state", state)));
        }
        if (client.Service is { } service)
        {
            if (!ServiceAccess.MayOpen(caller.Scopes, service))
            {
                return Refuse(StatusCodes.Status403Forbidden, $"You may not access the service {service.Name} (it needs the {service.AccessScope} scope).");
            }
        }
        else if (client.Server is { } server)
        {
            var owner = caller.User.Name == server.User ? caller.User : await store.Users.GetAsync(server.User, cancellationToken);
            if (owner is null || !caller.Scopes.Allows("access:servers", owner.Name, owner.Groups, server.Name))
            {
                return Refuse(StatusCodes.Status403Forbidden, $"You may not access the server of {LogText.Cap(server.User)}.");
            }
        }
        var allowed = client.GrantableScopes;
        var requested = query["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var granted = requested.Where(allowed.Contains).Distinct(StringComparer.Ordinal).ToList();
        var grant = new OAuthGrant(OAuthGrant.NewId(), caller.User.Name, client.Id, redirect,
            granted.Count > 0 ? granted : allowed, time.GetUtcNow() + OAuthCodes.Lifetime);
        context.Response.Headers.CacheControl = "no-store";
        return Results.Redirect(WithQuery(redirect, ("code", codes.Issue(grant)), ("state", state)));
    }

    private static async Task<IResult> TokenAsync(HttpContext context, OAuthClients clients, OAuthCodes codes, IHubStore store, AuthOptions auth, LoginAccessPolicy policy, TimeProvider time)
    {
        if (!context.Request.HasFormContentType)
        {
            return Error("invalid_request", "The token request must be a form (application/x-www-form-urlencoded).");
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var cancellationToken = context.RequestAborted;
        if (form["grant_type"].ToString() != "authorization_code")
        {
            return Error("unsupported_grant_type", "Only grant_type=authorization_code is supported.");
        }
        var (clientId, secret) = ClientCredentials(context.Request, form);
        var client = await clients.FindAsync(clientId, cancellationToken);
        if (client is null || !clients.IsSecretOf(client, secret))
        {
            return Error("invalid_client", "Unknown client, or wrong client secret.", StatusCodes.Status401Unauthorized);
        }
        var now = time.GetUtcNow();
        var grant = codes.Open(form["code"].ToString());
        if (grant is null || grant.Expires <= now || grant.ClientId != clientId)
        {
            return Error("invalid_grant", "The code is invalid or expired.");
        }
        if (form["redirect_uri"].ToString() is { Length: > 0 } redirect && redirect != grant.RedirectUri)
        {
            return Error("invalid_grant", "redirect_uri does not match the one the code was issued for.");
        }
        var user = await store.Users.GetAsync(grant.User, cancellationToken);
        if (!policy.Admits(user))
        {
            return Error("invalid_grant", "The code's user can no longer log in.");
        }
        var lifetime = auth.TokenMaxLifetime > TimeSpan.Zero && auth.TokenMaxLifetime < AccessTokenLifetime ? auth.TokenMaxLifetime : AccessTokenLifetime;
        string token = codes.AccessTokenFor(grant);
        var created = await store.Tokens.CreateAsync(new TokenRecord
        {
            Hash = SecretHash.Of(token),
            Id = "o" + SecretHash.Base64Url(System.Security.Cryptography.RandomNumberGenerator.GetBytes(9)),
            User = user.Name,
            Scopes = grant.Scopes,
            Note = client.TokenNote,
            Created = now,
            Expires = now + lifetime,
        }, cancellationToken);
        if (created.Status == StoreWriteStatus.AlreadyExists)
        {
            return Error("invalid_grant", "The code was already used.");
        }
        if (!created.Succeeded)
        {
            return ApiProblem.Of(StatusCodes.Status503ServiceUnavailable, "Could not store the new token; try again.");
        }
        context.Response.Headers.CacheControl = "no-store";
        return ApiJson.Ok(new Dictionary<string, object?>
        {
            ["access_token"] = token,
            ["token_type"] = "Bearer",
            ["expires_in"] = (long)lifetime.TotalSeconds,
            ["scope"] = string.Join(' ', grant.Scopes),
        });
    }

    /// <summary>The client's id and secret: HTTP Basic (RFC 6749 §2.3.1) or the form's <c>client_id</c>/<c>client_secret</c>.</summary>
    private static (string? Id, string? Secret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header)
            && header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && header.Parameter is { } parameter)
        {
            try
            {
                string pair = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
                int colon = pair.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    return (Uri.UnescapeDataString(pair[..colon]), Uri.UnescapeDataString(pair[(colon + 1)..]));
                }
            }
            catch (FormatException)
            {
                return (null, null);
            }
        }
        return (form["client_id"].ToString(), form["client_secret"].ToString());
    }

    private static string WithQuery(string url, params (string Name, string? Value)[] parameters) =>
        QueryHelpers.AddQueryString(url, parameters.Where(p => p.Value is not null).Select(p => new KeyValuePair<string, string?>(p.Name, p.Value)));

    private static IResult Refuse(int status, string message) =>
        PageLayout.Message(status == StatusCodes.Status400BadRequest ? "Bad OAuth request" : "Forbidden", message, status);

    /// <summary>RFC 6749's error object (<c>error</c>, <c>error_description</c>) inside the hub's problem+json.</summary>
    private static IResult Error(string error, string description, int status = StatusCodes.Status400BadRequest) =>
        Results.Json(new Dictionary<string, object?>
        {
            ["type"] = "about:blank",
            ["title"] = ReasonPhrases.GetReasonPhrase(status),
            ["status"] = status,
            ["detail"] = description,
            ["message"] = description,
            ["error"] = error,
            ["error_description"] = description,
        }, ApiJson.Options, ApiProblem.ContentType, status);
}
