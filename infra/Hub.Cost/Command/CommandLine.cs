using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Hub.Cost.Model;

namespace Hub.Cost.Command;

/// <summary>
/// Parses <c>--option value</c> pairs: one option per <see cref="CostAssumptions"/> property in kebab case
/// (<c>--server-vcpu 2</c>), switches for the yes/no ones (<c>--free-grants</c>), <c>--prices FILE</c>, <c>--from-usage FILE</c> and <c>--help</c>.
/// Every problem is reported at once.
/// </summary>
public static partial class CommandLine
{
    public static IReadOnlyDictionary<string, PropertyInfo> Options { get; } =
        typeof(CostAssumptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToDictionary(p => Kebab(p.Name), p => p, StringComparer.Ordinal);

    /// <exception cref="CommandLineException">Unknown options, missing or unparsable values, or values out of range.</exception>
    public static CostOptions Parse(IReadOnlyList<string> arguments)
    {
        var assumptions = new CostAssumptions();
        var problems = new List<string>();
        string? prices = null;
        string? fromUsage = null;
        bool help = false;
        for (int i = 0; i < arguments.Count; i++)
        {
            string argument = arguments[i];
            string name = argument.StartsWith("--", StringComparison.Ordinal) ? argument[2..] : "";
            if (argument is "-h" or "--help")
            {
                help = true;
            }
            else if (name == "prices")
            {
                prices = Value(arguments, ref i, argument, problems);
            }
            else if (name == "from-usage")
            {
                fromUsage = i + 1 < arguments.Count && arguments[i + 1] == "-" ? arguments[++i] : Value(arguments, ref i, argument, problems);
            }
            else if (Options.TryGetValue(name, out var property))
            {
                if (property.PropertyType == typeof(bool))
                {
                    property.SetValue(assumptions, true);
                }
                else if (Value(arguments, ref i, argument, problems) is { } text)
                {
                    if (TryConvert(text, property.PropertyType, out object? value))
                    {
                        property.SetValue(assumptions, value);
                    }
                    else
                    {
                        problems.Add($"{argument} must be a {(property.PropertyType == typeof(int) ? "whole number" : "number")}, not '{Shorten(text)}'");
                    }
                }
            }
            else
            {
                string suggestion = Closest(name) is { } close ? $" (did you mean --{close}?)" : "";
                problems.Add($"'{Shorten(argument)}' is not an option of ./hub cost{suggestion}; --help lists them");
                if (name.Length > 0 && i + 1 < arguments.Count && !arguments[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    i++; // its value, so that it is not reported again as an option
                }
            }
        }
        problems.AddRange(assumptions.Problems());
        if (problems.Count > 0)
        {
            throw new CommandLineException(problems);
        }
        return new CostOptions(assumptions, prices, help, fromUsage);
    }

    public static string Kebab(string name) => KebabBoundary().Replace(name, "$1-$2").ToLowerInvariant();

    private static string? Value(IReadOnlyList<string> arguments, ref int i, string option, List<string> problems)
    {
        if (i + 1 >= arguments.Count || arguments[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            problems.Add($"{option} needs a value");
            return null;
        }
        return arguments[++i];
    }

    private static bool TryConvert(string text, Type type, out object? value)
    {
        value = null;
        if (type == typeof(int) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int whole))
        {
            value = whole;
        }
        else if (type == typeof(decimal) && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out decimal number))
        {
            value = number;
        }
        return value is not null;
    }

    /// <summary>The option within a few typos of <paramref name="name"/>, if any.</summary>
    private static string? Closest(string name) =>
        Options.Keys.Append("prices").Append("from-usage")
            .Select(option => (Option: option, Distance: Distance(name, option)))
            .Where(c => c.Distance <= Math.Max(2, name.Length / 4))
            .OrderBy(c => c.Distance)
            .Select(c => c.Option)
            .FirstOrDefault();

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex KebabBoundary();
}
