using Hub.Core.Auth;

namespace Hub.Core.Services;

/// <summary>
/// An externally run service, as JupyterHub's <c>c.JupyterHub.services</c> entry without <c>command</c>: a process the
/// hub does not start, that calls the REST API with its own token and may be routed by the gateway at
/// <c>/services/{name}/</c>. Configured by the app settings <c>Services__{n}__…</c> (<see cref="ServicesSettings"/>).
/// </summary>
/// <param name="Name">The service's name: lower-case letters, digits, <c>-</c> and <c>_</c>.</param>
/// <param name="ApiToken">The service's API token; <c>null</c> where the app does not need it (the gateway).</param>
/// <param name="Roles">The built-in roles it holds (only <c>admin</c> means anything for a service).</param>
/// <param name="Scopes">Its own scopes beside those of its roles.</param>
/// <param name="Url">Where it listens, for the gateway to route <c>/services/{name}/</c> to; <c>null</c> for an API-only service.</param>
/// <param name="Display">Whether it is listed for users, as JupyterHub's <c>display</c>.</param>
/// <param name="Info">Free key/value information, as JupyterHub's <c>info</c>.</param>
/// <param name="AccessGroups">
/// Who may open it in a browser beside admins: <c>*</c> for every user, or group names; each member gets
/// <c>access:services!service={name}</c>.
/// </param>
public sealed record ServiceDefinition(
    string Name,
    string? ApiToken,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> Scopes,
    Uri? Url,
    bool Display,
    IReadOnlyDictionary<string, string> Info,
    IReadOnlyList<string> AccessGroups)
{
    /// <summary>Every user may open the service (an <see cref="AccessGroups"/> entry).</summary>
    public const string Everyone = "*";

    /// <summary>Whether its roles make it an admin, as JupyterHub's service <c>admin</c>.</summary>
    public bool Admin => Roles.Contains("admin", StringComparer.Ordinal);

    /// <summary>The scopes it holds: its roles' and its own, unexpanded.</summary>
    public IEnumerable<string> AllScopes => Roles.SelectMany(r => ScopeCatalog.Roles[r]).Concat(Scopes);

    /// <summary>The path the gateway routes to it, JupyterHub's service <c>prefix</c>.</summary>
    public string Prefix => "/services/" + Name + "/";

    /// <summary>Its OAuth client id, as JupyterHub names a service's client.</summary>
    public string OAuthClientId => "service-" + Name;

    /// <summary>Its OAuth redirect URI, as JupyterHub's default <c>oauth_redirect_uri</c>.</summary>
    public string OAuthRedirectPath => Prefix + "oauth_callback";

    /// <summary>The scope that lets a user open it: <c>access:services!service={name}</c>.</summary>
    public string AccessScope => "access:services!service=" + Name;
}
