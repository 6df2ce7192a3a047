using Azure.Core;
using Azure.Core.Pipeline;

namespace Hub.Azure.Arm;

/// <summary>
/// Adds <c>Authorization: Bearer …</c> for the ARM scope, caching the token until shortly before it expires. Tokens go
/// only to https endpoints, or to a loopback address (a local test double), never to anything else over plain http.
/// </summary>
internal sealed class ArmBearerTokenPolicy(TokenCredential credential, TimeProvider time) : HttpPipelinePolicy
{
    public const string Scope = "https://management.azure.com/.default";

    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private AccessToken _token;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Authorize(message, GetTokenAsync(message, async: false).GetAwaiter().GetResult());
        ProcessNext(message, pipeline);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Authorize(message, await GetTokenAsync(message, async: true).ConfigureAwait(false));
        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
    }

    private static void Authorize(HttpMessage message, string token)
    {
        var uri = message.Request.Uri.ToUri();
        if (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)
        {
            throw new InvalidOperationException($"Refusing to send an ARM token to {uri.GetLeftPart(UriPartial.Authority)} over plain http.");
        }
        message.Request.Headers.SetValue(HttpHeader.Names.Authorization, "Bearer " + token);
    }

    private async ValueTask<string> GetTokenAsync(HttpMessage message, bool async)
    {
        if (_token.Token is not null && _token.ExpiresOn - RefreshMargin > time.GetUtcNow())
        {
            return _token.Token;
        }
        if (async)
        {
            await _refresh.WaitAsync(message.CancellationToken).ConfigureAwait(false);
        }
        else
        {
            _refresh.Wait(message.CancellationToken);
        }
        try
        {
            if (_token.Token is null || _token.ExpiresOn - RefreshMargin <= time.GetUtcNow())
            {
                var context = new TokenRequestContext([Scope]);
                _token = async
                    ? await credential.GetTokenAsync(context, message.CancellationToken).ConfigureAwait(false)
                    : credential.GetToken(context, message.CancellationToken);
            }
            return _token.Token;
        }
        finally
        {
            _refresh.Release();
        }
    }
}
