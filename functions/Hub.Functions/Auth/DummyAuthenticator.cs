using Hub.Core.Auth;

namespace Hub.Functions.Auth;

/// <summary>Accepts any name with any password (JupyterHub's DummyAuthenticator): for load tests and development.</summary>
public sealed class DummyAuthenticator : IPasswordAuthenticator
{
    public string Name => "dummy";

    public AuthenticatedPerson? Authenticate(string user, string password) => new(user);
}
