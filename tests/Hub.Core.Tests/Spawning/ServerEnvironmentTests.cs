using System.Text.Json;
using Hub.Core.Spawning;
using Hub.Core.Store;

namespace Hub.Core.Tests.Spawning;

public sealed class ServerEnvironmentTests
{
    [Fact]
    public void NamedServer_GetsJupyterHubsVariables()
    {
        var start = new SpawnerStart(new ServerKey("ada@example.org", "gpu 1"), null, "tok", SpawnProfile.BuiltIn, 1)
        {
            HubApiUrl = new Uri("http://127.0.0.1:8000/hub/api"),
        };

        var env = ServerEnvironment.For(start, "http://127.0.0.1:4242");

        Assert.Equal("tok", env["JUPYTERHUB_API_TOKEN"]);
        Assert.Equal("http://127.0.0.1:8000/hub/api", env["JUPYTERHUB_API_URL"]);
        Assert.Equal("http://127.0.0.1:8000/hub/api/users/ada@example.org/activity", env["JUPYTERHUB_ACTIVITY_URL"]);
        Assert.Equal("/", env["JUPYTERHUB_BASE_URL"]);
        Assert.Equal("jupyterhub-user-ada@example.org-gpu%201", env["JUPYTERHUB_CLIENT_ID"]);
        Assert.Equal("", env["JUPYTERHUB_HOST"]);
        Assert.Equal("/user/ada@example.org/gpu%201/oauth_callback", env["JUPYTERHUB_OAUTH_CALLBACK_URL"]);
        Assert.Equal(["access:servers!server=ada@example.org/gpu 1", "access:servers!user=ada@example.org"],
            JsonSerializer.Deserialize<string[]>(env["JUPYTERHUB_OAUTH_ACCESS_SCOPES"])!);
        Assert.Equal(env["JUPYTERHUB_OAUTH_ACCESS_SCOPES"], env["JUPYTERHUB_OAUTH_SCOPES"]);
        Assert.Equal(env["JUPYTERHUB_OAUTH_ACCESS_SCOPES"], env["JUPYTERHUB_OAUTH_CLIENT_ALLOWED_SCOPES"]);
        Assert.Equal("gpu 1", env["JUPYTERHUB_SERVER_NAME"]);
        Assert.Equal("/user/ada@example.org/gpu%201/", env["JUPYTERHUB_SERVICE_PREFIX"]);
        Assert.Equal("http://127.0.0.1:4242/user/ada@example.org/gpu%201/", env["JUPYTERHUB_SERVICE_URL"]);
        Assert.Equal("ada@example.org", env["JUPYTERHUB_USER"]);
        Assert.All(env.Keys.Where(ServerEnvironment.SecretNames.Contains), name => Assert.Equal("tok", env[name]));
    }

    [Theory]
    [InlineData("alice", "")]
    [InlineData("a-b", "c")]
    [InlineData("a", "b-c")]
    [InlineData("zoë", "x-y-z")]
    public void ClientId_NamesExactlyOneCandidateServer(string user, string server)
    {
        var key = new ServerKey(user, server);
        string clientId = ServerOAuthClient.ClientId(key);

        Assert.Contains(key, ServerOAuthClient.Candidates(clientId));
        Assert.Single(ServerOAuthClient.Candidates(clientId), k => k == key);
    }
}
