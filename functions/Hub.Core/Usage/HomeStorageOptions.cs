using Hub.Core.Configuration;

namespace Hub.Core.Usage;

/// <summary>
/// How often users' homes are measured for the admin page and the usage API (see docs/usage.md, "Storage"). Homes are
/// measured during the cull run, never on a page view; a measurement is kept on the user record with its time.
/// </summary>
public sealed class HomeStorageOptions : ISettingsSection
{
    public static string Section => "HomeStorage";

    /// <summary>
    /// The least time between two measurements of one home (one ARM read per share with container-instances); a home
    /// is measured again only while its server runs or after its owner's activity. <c>0</c> turns measuring off.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(15);

    public bool Enabled => RefreshInterval > TimeSpan.Zero;

    public void Validate(SettingsProblems problems)
    {
        if (RefreshInterval < TimeSpan.Zero || (RefreshInterval > TimeSpan.Zero && RefreshInterval < TimeSpan.FromMinutes(1)))
        {
            problems.Add("HomeStorage__RefreshInterval", $"must be 0 (off) or at least 1 minute, not {RefreshInterval}");
        }
    }
}
