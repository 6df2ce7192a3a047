using Hub.Core.Auth;
using Hub.Core.Services;
using Hub.Core.Store;
using Hub.Functions.Auth;

namespace Hub.Functions.Services;

/// <summary>
/// A service's API token as a caller: exactly the service's scopes (its roles' and its own, expanded), never those of
/// any user. The API's handlers work on a caller's user record, so the service stands as a user record whose name no
/// user can have (upper case: every stored user name is folded), which the pages refuse and which owns nothing.
/// </summary>
public static class ServiceCallers
{
    /// <summary>The name a service's caller carries, e.g. <c>Service:culler</c> (never a user's).</summary>
    public static string CallerName(ServiceDefinition service) => "Service:" + service.Name;

    public static HubCaller For(ServiceDefinition service, DateTimeOffset now)
    {
        string name = CallerName(service);
        var user = new UserRecord { Name = name, Admin = service.Admin, Created = now };
        var scopes = ScopeSet.FromScopes(service.AllScopes, name, inherited: null);
        var token = new TokenRecord
        {
            Hash = "",
            Id = "service:" + service.Name,
            User = name,
            Scopes = service.AllScopes.ToList(),
            Note = "API token of the service " + service.Name,
            Created = now,
        };
        return new HubCaller(user, scopes, CallerCredential.Token, Token: token, Service: service);
    }
}
