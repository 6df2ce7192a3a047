using System.Security.Cryptography;
using System.Text;
using Hub.Core.Auth;

namespace Hub.Functions.Auth;

/// <summary>
/// One workshop password for every non-admin name, and an optional admin password valid only for names in
/// <c>Auth__AdminUsers</c> (JupyterHub's SharedPasswordAuthenticator). Comparisons take the same time whatever
/// the input: both sides are hashed first, then compared in constant time.
/// </summary>
public sealed class SharedPasswordAuthenticator(AuthOptions options, LoginAccessPolicy policy) : IPasswordAuthenticator
{
    private readonly byte[] _userPassword = Hash(options.SharedPassword);
    private readonly byte[]? _adminPassword = options.AdminPassword.Length > 0 ? Hash(options.AdminPassword) : null;

    public string Name => "shared-password";

    public AuthenticatedPerson? Authenticate(string user, string password)
    {
        byte[] typed = Hash(password);
        bool isAdminName = policy.IsConfiguredAdmin(user);
        if (_adminPassword is not null && isAdminName && CryptographicOperations.FixedTimeEquals(typed, _adminPassword))
        {
            return new AuthenticatedPerson(user, Admin: true);
        }
        // The shared password never logs in an admin: an admin name with it would otherwise gain admin rights.
        if (!isAdminName && CryptographicOperations.FixedTimeEquals(typed, _userPassword))
        {
            return new AuthenticatedPerson(user);
        }
        return null;
    }

    private static byte[] Hash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
}
