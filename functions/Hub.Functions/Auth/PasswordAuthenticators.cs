namespace Hub.Functions.Auth;

/// <summary>
/// An authenticator that checks a name and password typed into the login form. The name is already normalised;
/// the decision about who may log in (allow and block lists) is made afterwards, by <c>LoginAccessPolicy</c>.
/// </summary>
public interface IPasswordAuthenticator
{
    /// <summary>The class name shown by <c>GET /hub/api/info</c>.</summary>
    string Name { get; }

    /// <summary>Whether <paramref name="password"/> proves <paramref name="user"/>; <c>null</c> when it does not.</summary>
    Core.Auth.AuthenticatedPerson? Authenticate(string user, string password);
}
