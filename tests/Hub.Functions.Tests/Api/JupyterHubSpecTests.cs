namespace Hub.Functions.Tests.Api;

/// <summary>The spec check itself can fail: otherwise a passing API test would prove nothing.</summary>
public sealed class JupyterHubSpecTests
{
    [Fact]
    public async Task AssertSchema_WrongTypes_Fails()
    {
        await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() =>
            JupyterHubSpec.AssertSchemaAsync("User", """{"name": "a", "kind": "user", "admin": "yes", "servers": {"": {"ready": 1}}}"""));
        await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() =>
            JupyterHubSpec.AssertSchemaAsync("User", """{"name": "a", "groups": null}"""));
        await JupyterHubSpec.AssertSchemaAsync("User", """{"name": "a", "kind": "user", "admin": false, "server": null, "servers": {}}""");
    }
}
