using System.Globalization;
using Hub.Core.Configuration;

namespace Hub.Core.Usage;

/// <summary><c>name=amount</c> rules, as <c>Quota__Groups</c>, <c>Quota__Users</c> and <c>Budget__Groups</c> list them.</summary>
public static class LimitRules
{
    /// <summary>The well-formed rules (bad ones are reported by <see cref="Validate"/> at startup).</summary>
    public static IReadOnlyDictionary<string, double> Parse(IReadOnlyList<string> rules)
    {
        var parsed = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (TrySplit(rule, out string name, out double amount))
            {
                parsed[name] = amount;
            }
        }
        return parsed;
    }

    /// <summary>Names every rule that names nothing, has no amount, a negative one, or repeats a name.</summary>
    public static void Validate(string key, string what, IReadOnlyList<string> rules, SettingsProblems problems)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            int equals = rule.IndexOf('=', StringComparison.Ordinal);
            string name = equals < 0 ? rule.Trim() : rule[..equals].Trim();
            string amount = equals < 0 ? "" : rule[(equals + 1)..].Trim();
            if (name.Length == 0)
            {
                problems.Add(key, $"has a rule naming no {what} ('{rule}'); write {what}=amount");
            }
            else if (equals < 0 || !double.TryParse(amount, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            {
                problems.Add(key, $"has a rule for {what} '{name}' without a number ('{rule}'); write {name}=amount");
            }
            else if (value < 0)
            {
                problems.Add(key, $"has a negative amount for {what} '{name}' ({amount})");
            }
            else if (!seen.Add(name))
            {
                problems.Add(key, $"names {what} '{name}' twice");
            }
        }
    }

    private static bool TrySplit(string rule, out string name, out double amount)
    {
        int equals = rule.IndexOf('=', StringComparison.Ordinal);
        name = equals < 0 ? "" : rule[..equals].Trim();
        amount = 0;
        return equals > 0 && name.Length > 0
            && double.TryParse(rule[(equals + 1)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out amount)
            && double.IsFinite(amount) && amount >= 0;
    }
}
