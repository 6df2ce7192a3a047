using System.Globalization;
using System.Text.RegularExpressions;

namespace Hub.Core.Configuration;

/// <summary>Parsing and formatting of app-setting values, one rule per supported property type.</summary>
public static partial class SettingValue
{
    /// <summary>Parses <paramref name="text"/> as <paramref name="type"/>; on failure, <paramref name="expected"/> describes what was wanted.</summary>
    public static bool TryParse(Type type, string text, out object? value, out string expected)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        value = null;
        expected = Describe(target);
        text = text.Trim();

        if (target == typeof(string))
        {
            value = text;
            return true;
        }
        if (target == typeof(bool))
        {
            if (bool.TryParse(text, out bool flag))
            {
                value = flag;
                return true;
            }
            return false;
        }
        if (target == typeof(int))
        {
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int number))
            {
                value = number;
                return true;
            }
            return false;
        }
        if (target == typeof(long))
        {
            if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long number))
            {
                value = number;
                return true;
            }
            return false;
        }
        if (target == typeof(double))
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number))
            {
                value = number;
                return true;
            }
            return false;
        }
        if (target == typeof(TimeSpan))
        {
            if (TryParseDuration(text, out var duration))
            {
                value = duration;
                return true;
            }
            return false;
        }
        if (target == typeof(Uri))
        {
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri))
            {
                value = uri;
                return true;
            }
            return false;
        }
        if (target.IsEnum)
        {
            foreach (var name in Enum.GetNames(target))
            {
                if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase) || string.Equals(Kebab(name), text, StringComparison.OrdinalIgnoreCase))
                {
                    value = Enum.Parse(target, name);
                    return true;
                }
            }
            return false;
        }
        if (IsList(target))
        {
            value = text.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return true;
        }
        throw new NotSupportedException($"Settings of type {type.Name} are not supported.");
    }

    /// <summary>The text form of a value, as it appears in <c>local.settings.sample.json</c> and docs/settings.md.</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        bool flag => flag ? "true" : "false",
        TimeSpan duration => duration.ToString("c", CultureInfo.InvariantCulture),
        Uri uri => uri.OriginalString,
        Enum member => Kebab(member.ToString()),
        IEnumerable<string> list when value is not string => string.Join(",", list),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static bool IsSupported(Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        return target == typeof(string) || target == typeof(bool) || target == typeof(int) || target == typeof(long)
            || target == typeof(double) || target == typeof(TimeSpan) || target == typeof(Uri) || target.IsEnum || IsList(target);
    }

    private static bool IsList(Type type) =>
        type == typeof(string[]) || type == typeof(IReadOnlyList<string>) || type == typeof(IReadOnlyCollection<string>) || type == typeof(IEnumerable<string>);

    private static string Describe(Type type)
    {
        if (type == typeof(bool))
        {
            return "true or false";
        }
        if (type == typeof(int) || type == typeof(long))
        {
            return "a whole number";
        }
        if (type == typeof(double))
        {
            return "a number";
        }
        if (type == typeof(TimeSpan))
        {
            return "a duration such as 00:05:00, 90s, 5m, 2h or 1d";
        }
        if (type == typeof(Uri))
        {
            return "an absolute URL";
        }
        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(type).Select(Kebab));
        }
        return "a value";
    }

    /// <summary>
    /// Accepts the standard form (<c>[d.]hh:mm:ss[.fff]</c>), a number with a unit (ms, s, m, h or d), and a bare
    /// <c>0</c>, the one number whose meaning does not depend on a unit (the docs say "0 turns it off").
    /// </summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        if (text == "0")
        {
            duration = TimeSpan.Zero;
            return true;
        }
        var match = DurationWithUnit().Match(text);
        if (match.Success)
        {
            double amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            double milliseconds = match.Groups[2].Value switch
            {
                "ms" => amount,
                "s" => amount * 1_000,
                "m" => amount * 60_000,
                "h" => amount * 3_600_000,
                _ => amount * 86_400_000,
            };
            if (milliseconds <= TimeSpan.MaxValue.TotalMilliseconds)
            {
                duration = TimeSpan.FromMilliseconds(milliseconds);
                return true;
            }
        }
        return TimeSpan.TryParseExact(text, ["c", "g"], CultureInfo.InvariantCulture, out duration) && text.Contains(':');
    }

    /// <summary>Enum members appear in settings in kebab case: <c>SharedPassword</c> is <c>shared-password</c>.</summary>
    public static string Kebab(string name) => KebabBoundary().Replace(name, "$1-$2").ToLowerInvariant();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$")]
    private static partial Regex DurationWithUnit();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex KebabBoundary();
}
