using Azure.Core;

namespace Hub.Azure.Arm;

/// <summary>
/// The credential for an ARM endpoint on a loopback address (a local test double, in local mode only): a fixed,
/// meaningless token, so that the request still carries the header a real endpoint requires.
/// </summary>
public sealed class LoopbackCredential : TokenCredential
{
    public const string Token = "loopback-development-token";

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(Token, DateTimeOffset.UtcNow.AddHours(1));

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
