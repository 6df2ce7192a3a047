using Hub.Core.Auth;
using Hub.Core.Services;
using Hub.Functions.Api.Models;

namespace Hub.Functions.Services;

/// <summary>
/// JupyterHub's service model (<see cref="ServiceResponse"/>), showing what the caller's scopes let it see:
/// <c>read:services</c> the whole model, <c>read:services:name</c> the name, <c>read:roles:services</c> the roles.
/// An externally run service has no <c>command</c> and no <c>pid</c> (JupyterHub's <c>[]</c>-like empty and 0).
/// </summary>
public static class ServiceModels
{
    /// <summary>The model, or <c>null</c> when <paramref name="scopes"/> show nothing of it (then it is a 404).</summary>
    public static ServiceResponse? Service(ServiceDefinition service, ScopeSet scopes)
    {
        bool full = scopes.AllowsService("read:services", service.Name);
        if (!full && !scopes.AllowsService("read:services:name", service.Name))
        {
            return null;
        }
        var model = new ServiceResponse
        {
            Name = service.Name,
            Roles = full || scopes.AllowsService("read:roles:services", service.Name) ? service.Roles : null,
        };
        return full
            ? model with
            {
                Admin = service.Admin,
                Url = service.Url?.AbsoluteUri ?? "",
                Prefix = service.Url is null ? "" : service.Prefix,
                Command = [],
                Pid = 0,
                Info = service.Info,
                Display = service.Display,
            }
            : model;
    }

    /// <summary>What a caller listing services sees of one whose <c>list:services</c> it holds: at least its name.</summary>
    public static ServiceResponse Listed(ServiceDefinition service, ScopeSet scopes) => Service(service, scopes) ?? new ServiceResponse { Name = service.Name };

    /// <summary><c>GET /user</c> with a service's token: the service's model with its <c>scopes</c>, as JupyterHub answers.</summary>
    public static ServiceResponse Identity(ServiceDefinition service, ScopeSet scopes) =>
        Listed(service, scopes) with { Roles = service.Roles, Admin = service.Admin, Scopes = scopes.ToList() };
}
