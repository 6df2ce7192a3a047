using Hub.Core.Auth;
using Hub.Core.Services;

namespace Hub.Functions.Services;

/// <summary>
/// JupyterHub's service model (<c>Service</c> in the 5.5.1 spec), showing what the caller's scopes let it see:
/// <c>read:services</c> the whole model, <c>read:services:name</c> the name, <c>read:roles:services</c> the roles.
/// An externally run service has no <c>command</c> and no <c>pid</c> (JupyterHub's <c>[]</c>-like empty and 0).
/// </summary>
public static class ServiceModels
{
    /// <summary>The model, or <c>null</c> when <paramref name="scopes"/> show nothing of it (then it is a 404).</summary>
    public static Dictionary<string, object?>? Service(ServiceDefinition service, ScopeSet scopes)
    {
        bool full = scopes.AllowsService("read:services", service.Name);
        if (!full && !scopes.AllowsService("read:services:name", service.Name))
        {
            return null;
        }
        var model = new Dictionary<string, object?> { ["kind"] = "service", ["name"] = service.Name };
        if (full || scopes.AllowsService("read:roles:services", service.Name))
        {
            model["roles"] = service.Roles;
        }
        if (full)
        {
            model["admin"] = service.Admin;
            model["url"] = service.Url?.AbsoluteUri ?? "";
            model["prefix"] = service.Url is null ? "" : service.Prefix;
            model["command"] = Array.Empty<string>();
            model["pid"] = 0;
            model["info"] = service.Info;
            model["display"] = service.Display;
        }
        return model;
    }

    /// <summary><c>GET /user</c> with a service's token: the service's model with its <c>scopes</c>, as JupyterHub answers.</summary>
    public static Dictionary<string, object?> Identity(ServiceDefinition service, ScopeSet scopes)
    {
        var model = Service(service, scopes) ?? new Dictionary<string, object?> { ["kind"] = "service", ["name"] = service.Name };
        model["roles"] = service.Roles;
        model["admin"] = service.Admin;
        model["scopes"] = scopes.ToList();
        return model;
    }
}
