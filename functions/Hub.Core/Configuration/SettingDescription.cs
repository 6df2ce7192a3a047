using System.Reflection;

namespace Hub.Core.Configuration;

/// <summary>One app setting as the app reads it: its key, its type, and its default in text form.</summary>
/// <param name="Key">The app-setting key, e.g. <c>Storage__ConnectionString</c>.</param>
/// <param name="Property">The options property it binds to.</param>
/// <param name="Default">The default value, formatted as it would be written in app settings.</param>
/// <param name="IsSecret">The value must never be printed.</param>
/// <param name="IsSetByHost">A hosting environment sets it; it is not in the sample settings file.</param>
public sealed record SettingDescription(string Key, PropertyInfo Property, string Default, bool IsSecret, bool IsSetByHost);
