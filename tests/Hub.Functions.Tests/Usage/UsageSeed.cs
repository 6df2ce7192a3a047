using System.Globalization;
using Hub.Core.Store;

namespace Hub.Functions.Tests.Usage;

/// <summary>Finished runs written straight to the usage table, and a term around today that holds them whatever the time of day.</summary>
internal static class UsageSeed
{
    public static Task RunAsync(IHubStore store, string user, TimeSpan length, double cpu = 1, double memoryInGb = 2, string server = "", params string[] groups)
    {
        var ended = DateTimeOffset.UtcNow.AddMinutes(-1);
        return store.Usage.UpsertAsync(new UsageRecord
        {
            User = user,
            Server = server,
            Started = ended - length,
            Ended = ended,
            Cpu = cpu,
            MemoryInGb = memoryInGb,
            Groups = groups,
        });
    }

    /// <summary>Quota settings with a term from yesterday to tomorrow, so that a run of the last hours is always inside it.</summary>
    public static Dictionary<string, string?> Term(Dictionary<string, string?> settings)
    {
        var today = DateTime.UtcNow.Date;
        settings["Quota:Period"] = "term";
        settings["Quota:TermStart"] = today.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        settings["Quota:TermEnd"] = today.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return settings;
    }

    public static DateTimeOffset TermEnd => new(DateTime.UtcNow.Date.AddDays(2), TimeSpan.Zero);
}
