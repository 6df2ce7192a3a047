using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Hub.Core.Configuration;

/// <summary>
/// Binds one <see cref="ISettingsSection"/> from configuration without stopping at the first bad value:
/// every unparsable value and every unknown key in the section becomes a problem naming its key.
/// </summary>
public static class SettingsBinder
{
    /// <summary>Describes every setting of <typeparamref name="T"/>, with defaults from a new instance.</summary>
    /// <param name="only">
    /// Property names: an app that needs only these settings of a section describes (and binds) just them, and keeps
    /// the defaults for the rest; <c>null</c> for every property.
    /// </param>
    public static IReadOnlyList<SettingDescription> Describe<T>(IReadOnlyCollection<string>? only = null) where T : class, ISettingsSection, new() =>
        only is null ? Describe(typeof(T), T.Section) : [.. Describe(typeof(T), T.Section).Where(s => only.Contains(s.Property.Name))];

    /// <summary>Binds and validates <typeparamref name="T"/>, adding every problem found to <paramref name="problems"/>.</summary>
    /// <param name="only">
    /// The properties the app reads (see <see cref="Describe{T}"/>). The section's other properties are left at their
    /// defaults and their keys pass unread (the other app reads them from the same settings); unknown keys are reported.
    /// </param>
    public static T Bind<T>(IConfiguration configuration, SettingsProblems problems, IReadOnlyCollection<string>? only = null) where T : class, ISettingsSection, new()
    {
        var settings = new T();
        var descriptions = Describe<T>(only);
        foreach (var setting in descriptions)
        {
            string? raw = configuration[ConfigurationPath(setting.Key)];
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }
            if (SettingValue.TryParse(setting.Property.PropertyType, raw, out var value, out string expected))
            {
                setting.Property.SetValue(settings, value);
            }
            else
            {
                problems.Add(setting.Key, setting.IsSecret
                    ? $"must be {expected}"
                    : $"must be {expected}, not '{Shorten(raw)}'");
            }
        }

        ReportUnknownKeys(configuration, T.Section, only is null ? descriptions : Describe<T>(), problems);
        settings.Validate(problems);
        return settings;
    }

    /// <summary>The configuration path of an app-setting key: <c>A__B</c> is <c>A:B</c>.</summary>
    public static string ConfigurationPath(string key) => key.Replace("__", ":", StringComparison.Ordinal);

    private static void ReportUnknownKeys(IConfiguration configuration, string section, IReadOnlyList<SettingDescription> known, SettingsProblems problems)
    {
        var names = known.Where(k => k.Key.StartsWith(section + "__", StringComparison.Ordinal))
            .Select(k => k.Key[(section.Length + 2)..])
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var renamed = known.Select(k => (k.Key, Formerly: k.Property.GetCustomAttribute<SettingKeyAttribute>()?.Formerly))
            .Where(k => k.Formerly?.StartsWith(section + "__", StringComparison.Ordinal) == true)
            .ToDictionary(k => k.Formerly![(section.Length + 2)..], k => k.Key, StringComparer.OrdinalIgnoreCase);
        foreach (var child in configuration.GetSection(section).GetChildren())
        {
            if (renamed.TryGetValue(child.Key, out string? newKey))
            {
                problems.Add($"{section}__{child.Key}", $"was renamed to {newKey}: set that instead");
            }
            else if (!names.Contains(child.Key))
            {
                string suggestion = Closest(child.Key, names) is { } close ? $" (did you mean {section}__{close}?)" : "";
                problems.Add($"{section}__{Shorten(child.Key)}", $"is not a setting this app reads{suggestion}");
            }
        }
    }

    private static IReadOnlyList<SettingDescription> Describe(Type type, string section)
    {
        object defaults = Activator.CreateInstance(type)!;
        var list = new List<SettingDescription>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true })
            {
                continue;
            }
            if (!SettingValue.IsSupported(property.PropertyType))
            {
                throw new NotSupportedException($"{type.Name}.{property.Name} has type {property.PropertyType.Name}, which app settings cannot hold.");
            }
            string key = property.GetCustomAttribute<SettingKeyAttribute>()?.Key ?? $"{section}__{property.Name}";
            list.Add(new SettingDescription(
                key,
                property,
                SettingValue.Format(property.GetValue(defaults)),
                property.IsDefined(typeof(SecretSettingAttribute)),
                property.IsDefined(typeof(SetByHostAttribute))));
        }
        return list;
    }

    private static string? Closest(string name, IEnumerable<string> candidates) =>
        candidates.Select(c => (Candidate: c, Distance: Distance(name.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(c => c.Distance <= Math.Max(2, name.Length / 3))
            .OrderBy(c => c.Distance)
            .Select(c => c.Candidate)
            .FirstOrDefault();

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>Caps what a user typed before it goes into a message.</summary>
    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
