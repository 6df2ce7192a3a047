using System.Globalization;

namespace Hub.Core.Spawning;

/// <summary>Durations in words for messages people read ("5 minutes", "30 seconds").</summary>
internal static class Durations
{
    public static string Describe(TimeSpan duration)
    {
        if (duration >= TimeSpan.FromHours(1) && duration.TotalHours % 1 == 0)
        {
            return Plural(duration.TotalHours, "hour");
        }
        if (duration >= TimeSpan.FromMinutes(1) && duration.TotalMinutes % 1 == 0)
        {
            return Plural(duration.TotalMinutes, "minute");
        }
        return Plural(Math.Max(1, Math.Round(duration.TotalSeconds)), "second");
    }

    private static string Plural(double amount, string unit) =>
        amount.ToString("0", CultureInfo.InvariantCulture) + " " + unit + (amount == 1 ? "" : "s");
}
