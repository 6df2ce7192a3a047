namespace Hub.Core.Auth;

/// <summary>Who an authenticator vouched for: a normalised user name, whether it claims admin, and its groups.</summary>
/// <param name="Name">The hub user name (normalised).</param>
/// <param name="Admin">The authenticator says this person is an admin (admin password, admin group).</param>
/// <param name="Groups">Groups from the identity provider (course membership); empty when the authenticator has none.</param>
public sealed record AuthenticatedPerson(string Name, bool Admin = false, IReadOnlyList<string>? Groups = null)
{
    public IReadOnlyList<string> GroupList => Groups ?? [];
}
