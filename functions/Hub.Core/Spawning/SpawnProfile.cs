using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Hub.Core.Spawning;

/// <summary>
/// A choice offered at start (kubespawner's <c>profile_list</c>): what overrides the spawner's defaults. Fields left
/// out keep the spawner's own settings; the local spawner uses only <see cref="Environment"/>.
/// </summary>
/// <param name="Slug">The identifier a start names (<c>user_options.profile</c>): lower-case letters, digits, hyphens.</param>
/// <param name="DisplayName">What the spawn page shows.</param>
/// <param name="Image">The container image, or <c>null</c> for the spawner's.</param>
/// <param name="Cpu">CPU cores, or <c>null</c> for the spawner's.</param>
/// <param name="MemoryInGb">Memory in GB, or <c>null</c> for the spawner's.</param>
/// <param name="Environment">Extra environment variables for the server.</param>
/// <param name="Default">Used when a start names no profile (the first profile when none is marked).</param>
/// <param name="ServerKind">Which kind of server it runs, or <c>null</c> for <c>Spawner__ServerKind</c>.</param>
/// <param name="Command">The command instead of the spawner's (same placeholders), or <c>null</c> for the spawner's.</param>
public sealed partial record SpawnProfile(
    string Slug,
    string DisplayName,
    string? Image = null,
    double? Cpu = null,
    double? MemoryInGb = null,
    IReadOnlyDictionary<string, string>? Environment = null,
    bool Default = false,
    ServerKind? ServerKind = null,
    string? Command = null)
{
    /// <summary>The only profile when none are configured: the spawner's own settings.</summary>
    public static readonly SpawnProfile BuiltIn = new("default", "Default", Default: true);

    /// <summary>The largest CPU and memory a profile may ask of one ACI container group in most regions.</summary>
    public const double MaxCpu = 4, MaxMemoryInGb = 16;

    public IReadOnlyDictionary<string, string> EnvironmentOrEmpty => Environment ?? new Dictionary<string, string>();

    /// <summary>The placeholders a profile's command may use.</summary>
    public static readonly IReadOnlyList<string> CommandPlaceholders = ["{ip}", "{port}", "{base_url}", "{home}", "{user}", "{server}"];

    /// <summary><see cref="Command"/> split into arguments, or <c>null</c> when the profile has none.</summary>
    public IReadOnlyList<string>? CommandArguments => Command?.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Whether an environment variable name may be set by configuration (the hub sets the token and JupyterHub's own).</summary>
    public static bool IsReservedVariable(string name) =>
        name.Equals("JUPYTER_TOKEN", StringComparison.OrdinalIgnoreCase) || name.StartsWith("JUPYTERHUB_", StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks an environment variable name: letters, digits and underscores, not starting with a digit.</summary>
    public static bool IsValidVariableName(string name) => VariableName().IsMatch(name);

    /// <summary>Parses the <c>Spawner__Profiles</c> JSON; every problem is reported, none thrown.</summary>
    public static bool TryParseList(string json, out IReadOnlyList<SpawnProfile> profiles, out IReadOnlyList<string> problems)
    {
        profiles = [BuiltIn];
        var found = new List<string>();
        problems = found;
        if (string.IsNullOrWhiteSpace(json))
        {
            return true;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            found.Add($"is not valid JSON: {ex.Message}");
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array || document.RootElement.GetArrayLength() == 0)
            {
                found.Add("must be a non-empty JSON array of profiles");
                return false;
            }
            var list = new List<SpawnProfile>();
            int index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (ParseOne(element, $"profile {index + 1}", found) is { } profile)
                {
                    if (list.Any(p => p.Slug == profile.Slug))
                    {
                        found.Add($"names profile '{profile.Slug}' twice");
                    }
                    list.Add(profile);
                }
                index++;
            }
            if (list.Count(p => p.Default) > 1)
            {
                found.Add("marks more than one profile as default");
            }
            if (found.Count > 0)
            {
                return false;
            }
            profiles = list;
            return true;
        }
    }

    private static SpawnProfile? ParseOne(JsonElement element, string where, List<string> problems)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{where} must be a JSON object");
            return null;
        }
        int before = problems.Count;
        string? slug = null, displayName = null, image = null, command = null;
        ServerKind? kind = null;
        double? cpu = null, memory = null;
        bool isDefault = false;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "slug":
                    slug = String(property, where, problems);
                    break;
                case "displayName":
                    displayName = String(property, where, problems);
                    break;
                case "image":
                    image = String(property, where, problems);
                    break;
                case "cpu":
                    cpu = Number(property, where, MaxCpu, problems);
                    break;
                case "memoryInGb":
                    memory = Number(property, where, MaxMemoryInGb, problems);
                    break;
                case "default":
                    if (property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                    {
                        isDefault = property.Value.GetBoolean();
                    }
                    else
                    {
                        problems.Add($"{where}: 'default' must be true or false");
                    }
                    break;
                case "environment":
                    ReadEnvironment(property.Value, where, environment, problems);
                    break;
                case "serverKind":
                    kind = String(property, where, problems) switch
                    {
                        null => null,
                        "jupyter" => Spawning.ServerKind.Jupyter,
                        "jupyterhub-singleuser" => Spawning.ServerKind.JupyterhubSingleuser,
                        var other => Invalid($"{where}: 'serverKind' must be 'jupyter' or 'jupyterhub-singleuser', not '{Shorten(other)}'"),
                    };
                    break;
                case "command":
                    command = String(property, where, problems);
                    if (command is not null)
                    {
                        CheckCommand(command, where, problems);
                    }
                    break;
                default:
                    problems.Add($"{where}: '{Shorten(property.Name)}' is not a profile field (slug, displayName, image, cpu, memoryInGb, environment, default, serverKind, command)");
                    break;
            }
        }
        if (slug is null || !SlugPattern().IsMatch(slug))
        {
            problems.Add($"{where}: 'slug' must be 1 to 32 lower-case letters, digits or hyphens, starting with a letter or digit");
        }
        if (image is { Length: 0 })
        {
            problems.Add($"{where}: 'image' must not be empty (leave it out to use the spawner's image)");
        }
        return problems.Count > before ? null : new SpawnProfile(slug!, displayName ?? slug!, image, cpu, memory, environment, isDefault, kind, command);

        ServerKind? Invalid(string problem)
        {
            problems.Add(problem);
            return null;
        }
    }

    private static void CheckCommand(string command, string where, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(command))
        {
            problems.Add($"{where}: 'command' must not be empty (leave it out to use the spawner's command)");
        }
        foreach (Match placeholder in Placeholder().Matches(command))
        {
            if (!CommandPlaceholders.Contains(placeholder.Value))
            {
                problems.Add($"{where}: 'command' uses {placeholder.Value}, which is not one of {string.Join(", ", CommandPlaceholders)}");
            }
        }
    }

    private static void ReadEnvironment(JsonElement value, string where, Dictionary<string, string> environment, List<string> problems)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{where}: 'environment' must be an object of names and string values");
            return;
        }
        foreach (var variable in value.EnumerateObject())
        {
            if (!IsValidVariableName(variable.Name) || IsReservedVariable(variable.Name))
            {
                problems.Add($"{where}: '{Shorten(variable.Name)}' cannot be set (names are letters, digits and _; JUPYTER_TOKEN and JUPYTERHUB_* are set by the hub)");
            }
            else if (variable.Value.ValueKind != JsonValueKind.String)
            {
                problems.Add($"{where}: environment variable {variable.Name} must have a string value");
            }
            else
            {
                environment[variable.Name] = variable.Value.GetString()!;
            }
        }
    }

    private static string? String(JsonProperty property, string where, List<string> problems)
    {
        if (property.Value.ValueKind == JsonValueKind.String)
        {
            return property.Value.GetString();
        }
        problems.Add($"{where}: '{property.Name}' must be a string");
        return null;
    }

    private static double? Number(JsonProperty property, string where, double max, List<string> problems)
    {
        if (property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetDouble(out double value) && value > 0 && value <= max)
        {
            return value;
        }
        problems.Add($"{where}: '{property.Name}' must be a number above 0 and at most {max.ToString(CultureInfo.InvariantCulture)}");
        return null;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("\\{[^}]*\\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();
}
