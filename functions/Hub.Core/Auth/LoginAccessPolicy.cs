using System.Diagnostics.CodeAnalysis;
using Hub.Core.Store;
using Hub.Core.Users;

namespace Hub.Core.Auth;

/// <summary>
/// Decides, after an authenticator vouched for someone, whether they may log in and whether they are an admin:
/// blocked names never; admins always; otherwise the allow lists, users an admin added, or <c>Auth__AllowAll</c>.
/// </summary>
public sealed class LoginAccessPolicy
{
    private readonly AuthOptions _options;
    private readonly HashSet<string> _allowed;
    private readonly HashSet<string> _blocked;
    private readonly HashSet<string> _admins;
    private readonly HashSet<string> _allowedGroups;
    private readonly HashSet<string> _adminGroups;

    public LoginAccessPolicy(AuthOptions options)
    {
        _options = options;
        _allowed = Names(options.AllowedUsers);
        _blocked = Names(options.BlockedUsers);
        _admins = Names(options.AdminUsers);
        _allowedGroups = new HashSet<string>(options.AllowedGroups, StringComparer.Ordinal);
        _adminGroups = new HashSet<string>(options.AdminGroups, StringComparer.Ordinal);
    }

    private static HashSet<string> Names(IEnumerable<string> names) => names.Select(UserNamePolicy.Fold).ToHashSet(StringComparer.Ordinal);

    public bool IsBlocked(string name) => _blocked.Contains(name);

    /// <summary>
    /// Whether a credential (session, API token, server token, OAuth grant) of <paramref name="user"/> still counts:
    /// the user exists and is not blocked. The one rule for every credential the control plane checks.
    /// </summary>
    public bool Admits([NotNullWhen(true)] UserRecord? user) => user is not null && !_blocked.Contains(user.Name);

    /// <summary>Named in <c>Auth__AdminUsers</c>.</summary>
    public bool IsConfiguredAdmin(string name) => _admins.Contains(name);

    /// <summary>The decision for one login.</summary>
    /// <param name="person">Who the authenticator vouched for.</param>
    /// <param name="existingUser">The user is already in the store (e.g. an admin added them through the API).</param>
    public LoginDecision Decide(AuthenticatedPerson person, bool existingUser)
    {
        if (_blocked.Contains(person.Name))
        {
            return LoginDecision.Refused;
        }
        bool admin = person.Admin || _admins.Contains(person.Name) || person.GroupList.Any(_adminGroups.Contains);
        if (admin)
        {
            return new LoginDecision(true, true);
        }
        bool allowed = _options.AllowAll
            || _allowed.Contains(person.Name)
            || person.GroupList.Any(_allowedGroups.Contains)
            || existingUser
            || (_options.Authenticator is AuthenticatorKind.Dummy or AuthenticatorKind.SharedPassword && _allowed.Count == 0 && _allowedGroups.Count == 0);
        return allowed ? new LoginDecision(true, false) : LoginDecision.Refused;
    }
}

/// <summary>Whether a login is admitted, and with admin rights.</summary>
public sealed record LoginDecision(bool Allowed, bool Admin)
{
    public static readonly LoginDecision Refused = new(false, false);
}
