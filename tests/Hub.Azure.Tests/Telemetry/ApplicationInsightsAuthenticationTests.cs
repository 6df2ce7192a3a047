using Azure.Identity;
using Hub.Azure.Telemetry;

namespace Hub.Azure.Tests.Telemetry;

public sealed class ApplicationInsightsAuthenticationTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ClientId=3a1c;Authorization=Key")]
    [InlineData("Authorization")]
    public void Credential_NotEntraId_IsNone(string? authenticationString) =>
        Assert.Null(ApplicationInsightsAuthentication.Credential(authenticationString));

    [Theory]
    [InlineData("ClientId=3a1c;Authorization=AAD")]
    [InlineData(" authorization = aad ; clientid = 3a1c ")]
    [InlineData("Authorization=AAD")]
    public void Credential_EntraId_IsAManagedIdentity(string authenticationString) =>
        Assert.IsType<ManagedIdentityCredential>(ApplicationInsightsAuthentication.Credential(authenticationString));
}
