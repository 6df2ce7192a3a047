namespace Hub.Core.Configuration;

/// <summary>
/// An options class bound from one section of app settings: property <c>P</c> of section <c>S</c> is the app
/// setting <c>S__P</c> (an environment variable, a Functions app setting, or a <c>local.settings.json</c> value).
/// Supported property types: string, bool, int, long, double, <see cref="TimeSpan"/>, <see cref="Uri"/>, enums,
/// and string lists (comma-separated). A <c>new()</c> instance holds the defaults, which must work locally as they are.
/// </summary>
public interface ISettingsSection
{
    /// <summary>The section name, the part of each key before <c>__</c>.</summary>
    static abstract string Section { get; }

    /// <summary>Adds a problem for every value that is invalid alone or in combination; never throws for bad values.</summary>
    void Validate(SettingsProblems problems);
}

/// <summary>
/// Overrides the app-setting key of a property: for keys set by a host (e.g. <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>),
/// and for settings a function definition reads as <c>%name%</c>, which the Functions host resolves only for names
/// without <c>__</c> or <c>:</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingKeyAttribute(string key) : Attribute
{
    public string Key { get; } = key;

    /// <summary>The key this setting had before, so that a configuration still using it is told the new name.</summary>
    public string? Formerly { get; init; }
}

/// <summary>Marks a setting whose value must never appear in messages or logs.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SecretSettingAttribute : Attribute;

/// <summary>Marks a setting that a hosting environment sets (not listed in <c>local.settings.sample.json</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SetByHostAttribute : Attribute;
