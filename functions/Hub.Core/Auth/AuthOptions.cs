using Hub.Core.Configuration;
using Hub.Core.Hosting;

namespace Hub.Core.Auth;

/// <summary>Who may log in, and how sessions, tokens and login attempts are bounded (section <c>Auth</c>).</summary>
public sealed class AuthOptions : ISettingsSection
{
    public const int MinimumSharedPasswordLength = 8;
    public const int MinimumAdminPasswordLength = 32;

    public static string Section => "Auth";

    /// <summary>The authenticator: <c>dummy</c>, <c>shared-password</c>, <c>entra</c> or <c>oidc</c>.</summary>
    public AuthenticatorKind Authenticator { get; set; } = AuthenticatorKind.Dummy;

    /// <summary>Lets <c>dummy</c> run in Azure mode. Anyone can then log in as anyone: for load tests of a throw-away hub only.</summary>
    public bool AllowDummyInAzure { get; set; }

    /// <summary>
    /// Admits everyone the authenticator accepts. When false, only names in <see cref="AllowedUsers"/>, members of
    /// <see cref="AllowedGroups"/>, admins and users an admin added may log in; for <c>dummy</c> and
    /// <c>shared-password</c> with both lists empty everyone is admitted, as in JupyterHub.
    /// </summary>
    public bool AllowAll { get; set; }

    /// <summary>User names that may log in (compared after normalisation).</summary>
    public IReadOnlyList<string> AllowedUsers { get; set; } = [];

    /// <summary>User names that may never log in, even if allowed otherwise; their tokens and sessions stop working too.</summary>
    public IReadOnlyList<string> BlockedUsers { get; set; } = [];

    /// <summary>User names that are admins (and are allowed to log in).</summary>
    public IReadOnlyList<string> AdminUsers { get; set; } = [];

    /// <summary>Groups (from the identity provider's groups claim) whose members may log in.</summary>
    public IReadOnlyList<string> AllowedGroups { get; set; } = [];

    /// <summary>Groups whose members are admins.</summary>
    public IReadOnlyList<string> AdminGroups { get; set; } = [];

    /// <summary>With <c>shared-password</c>: the password everyone uses (at least 8 characters).</summary>
    [SecretSetting]
    public string SharedPassword { get; set; } = "";

    /// <summary>With <c>shared-password</c>: an optional password (at least 32 characters) valid only for names in <see cref="AdminUsers"/>.</summary>
    [SecretSetting]
    public string AdminPassword { get; set; } = "";

    /// <summary>How long a login lasts (JupyterHub's <c>cookie_max_age_days</c>).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Stops the user's servers when they log out (JupyterHub's <c>shutdown_on_logout</c>). Files are kept.</summary>
    public bool StopServersOnLogout { get; set; }

    /// <summary>Failed logins for one user name within <see cref="FailedLoginWindow"/> before further attempts are refused (429).</summary>
    public int FailedLoginLimitPerUser { get; set; } = 5;

    /// <summary>Failed logins from one client address within <see cref="FailedLoginWindow"/> before further attempts are refused (429).</summary>
    public int FailedLoginLimitPerClient { get; set; } = 30;

    /// <summary>The window over which failed logins are counted.</summary>
    public TimeSpan FailedLoginWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest lifetime an API token may be given (JupyterHub's <c>token_expires_in_max_seconds</c>); 0 means no limit.</summary>
    public TimeSpan TokenMaxLifetime { get; set; } = TimeSpan.Zero;

    public void Validate(SettingsProblems problems)
    {
        if (Authenticator == AuthenticatorKind.SharedPassword)
        {
            if (SharedPassword.Length < MinimumSharedPasswordLength)
            {
                problems.Add("Auth__SharedPassword", $"must have at least {MinimumSharedPasswordLength} characters with Auth__Authenticator=shared-password");
            }
            if (AdminPassword.Length > 0 && AdminPassword.Length < MinimumAdminPasswordLength)
            {
                problems.Add("Auth__AdminPassword", $"must have at least {MinimumAdminPasswordLength} characters (or be empty)");
            }
            if (AdminPassword.Length > 0 && AdminPassword == SharedPassword)
            {
                problems.Add("Auth__AdminPassword", "must differ from Auth__SharedPassword");
            }
            if (AdminPassword.Length > 0 && AdminUsers.Count == 0)
            {
                problems.Add("Auth__AdminPassword", "is set but Auth__AdminUsers is empty, so no one could use it");
            }
        }
        else if (SharedPassword.Length > 0 || AdminPassword.Length > 0)
        {
            problems.Add("Auth__SharedPassword", "and Auth__AdminPassword are only read with Auth__Authenticator=shared-password");
        }

        if (Authenticator is AuthenticatorKind.Entra or AuthenticatorKind.Oidc
            && !AllowAll && AllowedUsers.Count == 0 && AllowedGroups.Count == 0 && AdminUsers.Count == 0 && AdminGroups.Count == 0)
        {
            problems.Add("Auth__AllowAll", "is false and Auth__AllowedUsers and Auth__AllowedGroups are empty, so no one could log in; set one of them");
        }
        if (SessionLifetime < TimeSpan.FromMinutes(5) || SessionLifetime > TimeSpan.FromDays(366))
        {
            problems.Add("Auth__SessionLifetime", $"must be between 5 minutes and 366 days, not {SettingValue.Format(SessionLifetime)}");
        }
        if (FailedLoginLimitPerUser < 1)
        {
            problems.Add("Auth__FailedLoginLimitPerUser", "must be at least 1");
        }
        if (FailedLoginLimitPerClient < 1)
        {
            problems.Add("Auth__FailedLoginLimitPerClient", "must be at least 1");
        }
        if (FailedLoginWindow < TimeSpan.FromSeconds(1))
        {
            problems.Add("Auth__FailedLoginWindow", "must be at least 1 second");
        }
        if (TokenMaxLifetime < TimeSpan.Zero)
        {
            problems.Add("Auth__TokenMaxLifetime", "cannot be negative (0 means no limit)");
        }
    }

    /// <summary>Checks that need the hub-wide mode.</summary>
    /// <param name="hub">The hub-wide settings.</param>
    /// <param name="report">Receives (key, problem) for every problem.</param>
    public void Validate(HubOptions hub, Action<string, string> report)
    {
        if (Authenticator == AuthenticatorKind.Dummy && hub.Mode == HubMode.Azure && !AllowDummyInAzure)
        {
            report("Auth__Authenticator", "is dummy (anyone can log in as anyone), which Azure mode refuses unless Auth__AllowDummyInAzure=true");
        }
    }
}
