using System.Globalization;
using System.Text.RegularExpressions;
using Hub.Core.Auth;
using Hub.Core.Configuration;
using Hub.Core.Security;
using Hub.Core.Users;
using Microsoft.Extensions.Configuration;

namespace Hub.Core.Services;

/// <summary>
/// The indexed app settings <c>Services__{n}__…</c> (n = 0, 1, …), one group per externally run service, bound and
/// checked with every other setting: every problem (a duplicate or bad name, a missing or short token, an unknown
/// role or scope, a bad URL, an unknown key) is reported at startup with its key. A token is never part of a message.
/// </summary>
public static partial class ServicesSettings
{
    public const string Section = "Services";

    /// <summary>The shortest API token a service may have (JupyterHub suggests <c>openssl rand -hex 32</c>, 64 characters).</summary>
    public const int MinimumTokenLength = 32;

    /// <summary>Each setting of one service: its name under <c>Services__{n}__</c>, its default and what it means (docs/settings.md lists them).</summary>
    public static readonly IReadOnlyList<(string Name, string Default, string Meaning)> Keys =
    [
        ("Name", "", "the service's name (lower-case letters, digits, - and _; at most 64); its URL is /services/{name}/"),
        ("ApiToken", "", $"its API token, at least {MinimumTokenLength} characters (a secret; control plane only)"),
        ("Roles", "", "built-in roles it holds: admin, or none"),
        ("Scopes", "", "its scopes, comma-separated, e.g. list:users,read:users:activity,admin:servers"),
        ("Url", "", "where it listens (http or https) for the gateway to route /services/{name}/ to; empty for an API-only service"),
        ("Display", "true", "listed for users, as JupyterHub's display"),
        ("Info__{key}", "", "free information in the service model's info"),
        ("AccessGroups", "", "who may open it in a browser beside admins: * for every user, or group names"),
    ];

    /// <summary>Every key as docs/settings.md writes it, e.g. <c>Services__{n}__Name</c>.</summary>
    public static IEnumerable<string> DocumentedKeys => Keys.Select(k => $"{Section}__{{n}}__{k.Name}");

    private static readonly HashSet<string> Known = new(Keys.Select(k => k.Name.Split("__")[0]), StringComparer.OrdinalIgnoreCase);

    /// <summary>Binds every configured service; problems go to <paramref name="addProblem"/> (key, problem).</summary>
    /// <param name="requireTokens">The control plane needs each token; the gateway routes only and is not given them.</param>
    public static IReadOnlyList<ServiceDefinition> Bind(IConfiguration configuration, Action<string, string> addProblem, bool requireTokens)
    {
        var services = new List<ServiceDefinition>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = configuration.GetSection(Section).GetChildren()
            .OrderBy(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : int.MaxValue)
            .ThenBy(c => c.Key, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            string prefix = $"{Section}__{Shorten(entry.Key)}";
            if (!int.TryParse(entry.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                addProblem(prefix, "is not a setting this app reads (a service is Services__{n}__Name with n = 0, 1, …)");
                continue;
            }
            var service = BindOne(entry, prefix, addProblem, requireTokens);
            if (service is null)
            {
                continue;
            }
            if (names.TryGetValue(service.Name, out string? first))
            {
                addProblem(prefix + "__Name", $"repeats the service name '{service.Name}' of {first}__Name");
                continue;
            }
            names[service.Name] = prefix;
            if (service.ApiToken is { } token)
            {
                if (tokens.TryGetValue(token, out string? same))
                {
                    addProblem(prefix + "__ApiToken", $"is the same token as {same}__ApiToken: each service needs its own");
                    continue;
                }
                tokens[token] = prefix;
            }
            services.Add(service);
        }
        return services;
    }

    private static ServiceDefinition? BindOne(IConfigurationSection entry, string prefix, Action<string, string> addProblem, bool requireTokens)
    {
        int problems = 0;
        void Problem(string key, string text)
        {
            problems++;
            addProblem(prefix + "__" + key, text);
        }

        foreach (var child in entry.GetChildren())
        {
            if (!Known.Contains(child.Key))
            {
                Problem(Shorten(child.Key), "is not a setting this app reads (a service has " + string.Join(", ", Keys.Select(k => k.Name)) + ")");
            }
        }

        string name = entry["Name"]?.Trim() ?? "";
        if (name.Length == 0)
        {
            Problem("Name", "must be set: every Services__{n} entry names its service");
        }
        else if (!ServiceName().IsMatch(name))
        {
            Problem("Name", $"must be lower-case letters, digits, '-' and '_' (at most 64, starting with a letter or digit), not '{Shorten(name)}'");
        }

        string? token = entry["ApiToken"]?.Trim();
        if (string.IsNullOrEmpty(token))
        {
            token = null;
            if (requireTokens)
            {
                Problem("ApiToken", $"must be set: the service's API token, at least {MinimumTokenLength} characters (for example: openssl rand -hex 32)");
            }
        }
        else if (token.Length < MinimumTokenLength || token.Length > SecretHash.MaxSecretLength)
        {
            Problem("ApiToken", $"must have {MinimumTokenLength} to {SecretHash.MaxSecretLength} characters (for example: openssl rand -hex 32)");
        }
        else if (token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            Problem("ApiToken", "cannot contain spaces or control characters");
        }

        var roles = List(entry["Roles"]);
        foreach (var role in roles)
        {
            if (role != "admin")
            {
                Problem("Roles", ScopeCatalog.Roles.ContainsKey(role)
                    ? $"cannot hold '{Shorten(role)}': it is defined for users (a service can hold admin; list other scopes in {prefix}__Scopes)"
                    : $"has '{Shorten(role)}', which is not a role (a service can hold admin; list other scopes in {prefix}__Scopes)");
            }
        }

        var scopes = List(entry["Scopes"]);
        foreach (var text in scopes)
        {
            if (text is ScopeCatalog.Self or ScopeCatalog.Inherit)
            {
                Problem("Scopes", $"cannot hold '{text}': a service has no user to stand for");
            }
            else if (!Scope.TryParse(text, out var scope, out string problem))
            {
                Problem("Scopes", "has a bad scope: " + problem);
            }
            else if (scope.Filter is { Value: null })
            {
                Problem("Scopes", $"cannot hold '{Shorten(text)}': a bare !{scope.Filter.Kind} names no one for a service (write !{scope.Filter.Kind}=NAME)");
            }
        }

        Uri? url = null;
        if (entry["Url"]?.Trim() is { Length: > 0 } rawUrl)
        {
            if (!Uri.TryCreate(rawUrl, UriKind.Absolute, out url) || url.Scheme is not ("http" or "https") || url.Host.Length == 0)
            {
                Problem("Url", $"must be an absolute http or https URL, not '{Shorten(rawUrl)}'");
                url = null;
            }
            else if (url.UserInfo.Length > 0 || url.Query.Length > 0 || url.Fragment.Length > 0)
            {
                Problem("Url", "must have no user name, password, query or fragment");
                url = null;
            }
        }

        bool display = true;
        if (entry["Display"]?.Trim() is { Length: > 0 } rawDisplay && !bool.TryParse(rawDisplay, out display))
        {
            Problem("Display", $"must be true or false, not '{Shorten(rawDisplay)}'");
        }

        var info = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in entry.GetSection("Info").GetChildren())
        {
            if (item.GetChildren().Any())
            {
                Problem("Info__" + Shorten(item.Key), "must be a value, not a section");
                continue;
            }
            info[item.Key] = item.Value ?? "";
        }

        var groups = List(entry["AccessGroups"]);
        foreach (var group in groups)
        {
            if (group != ServiceDefinition.Everyone && GroupNames.Problem(group) is { } problem)
            {
                Problem("AccessGroups", problem);
            }
        }

        return problems > 0 ? null : new ServiceDefinition(name, token, roles, scopes, url, display, info, groups);
    }

    private static List<string> List(string? raw) =>
        (raw ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();

    private static string Shorten(string text) => LogText.Cap(text);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex ServiceName();
}
