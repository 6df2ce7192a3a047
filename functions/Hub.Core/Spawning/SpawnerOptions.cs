using Hub.Core.Configuration;

namespace Hub.Core.Spawning;

/// <summary>Which spawner runs the servers.</summary>
public enum SpawnerKind
{
    /// <summary>A Jupyter process per server on this machine (the local default).</summary>
    LocalProcess,

    /// <summary>An Azure Container Instances container group per server, with the user's Azure Files share as home.</summary>
    ContainerInstances,
}

/// <summary>What runs in a server, which decides who checks its visitors.</summary>
public enum ServerKind
{
    /// <summary>
    /// Plain Jupyter (<c>jupyter lab</c>, <c>jupyter notebook</c>): it knows only its token, and the gateway, having
    /// checked the visitor, sends that token with every request.
    /// </summary>
    Jupyter,

    /// <summary>
    /// JupyterHub's own <c>jupyterhub-singleuser</c>: it logs visitors in through the hub's OAuth provider and checks
    /// tokens with the hub's API itself; the gateway forwards the visitor's credentials and the server's cookies and
    /// injects nothing.
    /// </summary>
    JupyterhubSingleuser,
}

/// <summary>How servers are started: the spawner, the profiles to choose from, and the reconcile loop's pace.</summary>
public sealed class SpawnerOptions : ISettingsSection
{
    public static string Section => "Spawner";

    /// <summary><c>local-process</c> (the local default) or <c>container-instances</c> (required in Azure mode).</summary>
    public SpawnerKind Kind { get; set; } = SpawnerKind.LocalProcess;

    /// <summary>
    /// Optional profiles as a JSON array, e.g. <c>[{"slug":"large","displayName":"Large","cpu":2,"memoryInGb":8,
    /// "image":"…","environment":{"COURSE":"ml"},"default":true}]</c>. Empty: one default profile from the spawner's
    /// own settings. See <see cref="SpawnProfile"/>.
    /// </summary>
    public string Profiles { get; set; } = "";

    /// <summary>
    /// What runs in a server unless its profile says otherwise: <c>jupyter</c> (plain Jupyter, the gateway sends its
    /// token) or <c>jupyterhub-singleuser</c> (hub-aware: it does its own OAuth with the hub).
    /// </summary>
    public ServerKind ServerKind { get; set; } = ServerKind.Jupyter;

    /// <summary>
    /// The hub's REST API as servers reach it (<c>JUPYTERHUB_API_URL</c>), ending in <c>/hub/api</c>. Empty:
    /// <c>{Hub__PublicUrl}/hub/api</c>, through the gateway. In Azure, set it to the gateway's private address so
    /// servers' calls stay inside the network; never to the control plane.
    /// </summary>
    public string HubApiUrl { get; set; } = "";

    /// <summary>Whether users may start named servers besides their default one (JupyterHub's <c>allow_named_servers</c>).</summary>
    public bool AllowNamedServers { get; set; } = true;

    /// <summary>
    /// How many named servers one user may have, running or not, as JupyterHub counts them; 0: no limit (JupyterHub's
    /// <c>named_server_limit_per_user</c>). The default server does not count; one that exists may always start again.
    /// </summary>
    public int NamedServerLimitPerUser { get; set; }

    /// <summary>
    /// How often this instance steps every active server and removes orphaned resources by itself (the Functions timer
    /// calls <c>POST /reconcile</c> too). Also how often running servers are checked for having died.
    /// </summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether <c>/hub/</c> sends a user whose default server runs straight to it, as JupyterHub's
    /// <c>redirect_to_server</c> does; otherwise <c>/hub/</c> is the home page.
    /// </summary>
    public bool RedirectToServer { get; set; } = true;

    /// <summary>How long a start request waits for the server before answering "pending" (JupyterHub's <c>slow_spawn_timeout</c>).</summary>
    public TimeSpan SlowSpawnTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a stop request waits before answering "pending" (JupyterHub's <c>slow_stop_timeout</c>).</summary>
    public TimeSpan SlowStopTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The profiles parsed from <see cref="Profiles"/> (the built-in default when none are configured).</summary>
    public IReadOnlyList<SpawnProfile> ParsedProfiles { get; private set; } = [SpawnProfile.BuiltIn];

    /// <summary>The hub API URL servers are given: <see cref="HubApiUrl"/>, or the public URL's <c>/hub/api</c>.</summary>
    public Uri EffectiveHubApiUrl(Uri publicUrl) =>
        HubApiUrl.Length > 0 ? new Uri(HubApiUrl.TrimEnd('/')) : new Uri(publicUrl.AbsoluteUri.TrimEnd('/') + "/hub/api");

    /// <summary>The kind of server a profile runs.</summary>
    public ServerKind KindOf(SpawnProfile profile) => profile.ServerKind ?? ServerKind;

    public void Validate(SettingsProblems problems)
    {
        if (HubApiUrl.Length > 0 && (!Uri.TryCreate(HubApiUrl, UriKind.Absolute, out var api)
            || (api.Scheme != Uri.UriSchemeHttp && api.Scheme != Uri.UriSchemeHttps) || !api.AbsolutePath.TrimEnd('/').EndsWith("/hub/api", StringComparison.Ordinal)
            || !string.IsNullOrEmpty(api.Query) || !string.IsNullOrEmpty(api.Fragment)))
        {
            problems.Add("Spawner__HubApiUrl", $"must be an absolute http(s) URL ending in /hub/api, without query, not '{HubApiUrl}'");
        }
        if (NamedServerLimitPerUser < 0)
        {
            problems.Add("Spawner__NamedServerLimitPerUser", $"must be 0 (no limit) or more, not {NamedServerLimitPerUser}");
        }
        if (SpawnProfile.TryParseList(Profiles, out var profiles, out var profileProblems))
        {
            ParsedProfiles = profiles;
        }
        foreach (var problem in profileProblems)
        {
            problems.Add("Spawner__Profiles", problem);
        }
        if (ReconcileInterval < TimeSpan.FromSeconds(1) || ReconcileInterval > TimeSpan.FromHours(1))
        {
            problems.Add("Spawner__ReconcileInterval", $"must be from 1 second to 1 hour, not {ReconcileInterval}");
        }
        // A Functions HTTP request is cut at 230 s; the answer must come well before.
        var longest = TimeSpan.FromSeconds(200);
        if (SlowSpawnTimeout < TimeSpan.Zero || SlowSpawnTimeout > longest)
        {
            problems.Add("Spawner__SlowSpawnTimeout", $"must be from 0 to {longest.TotalSeconds:0} seconds, not {SlowSpawnTimeout}");
        }
        if (SlowStopTimeout < TimeSpan.Zero || SlowStopTimeout > longest)
        {
            problems.Add("Spawner__SlowStopTimeout", $"must be from 0 to {longest.TotalSeconds:0} seconds, not {SlowStopTimeout}");
        }
    }

    /// <summary>The profile a start asked for: the default when <paramref name="slug"/> is empty, <c>null</c> when unknown.</summary>
    public SpawnProfile? FindProfile(string? slug) =>
        string.IsNullOrEmpty(slug)
            ? ParsedProfiles.FirstOrDefault(p => p.Default) ?? ParsedProfiles[0]
            : ParsedProfiles.FirstOrDefault(p => p.Slug == slug);
}
