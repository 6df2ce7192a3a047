using Azure.Core;
using Azure.Core.Pipeline;

namespace Hub.Azure.Arm;

/// <summary>
/// Azure Resource Manager over Azure.Core's <see cref="HttpPipeline"/> (bearer token and retries as policies), for
/// the few operations the hub needs (container groups and file shares). Each call returns the answer as an
/// <see cref="ArmResponse"/>; the caller switches on the documented status codes.
/// </summary>
public sealed class ArmClient
{
    private readonly HttpPipeline _pipeline;
    private readonly TimeSpan _callTimeout;

    /// <param name="endpoint">ARM's endpoint: <c>https://management.azure.com</c>, or a loopback test double.</param>
    public ArmClient(Uri endpoint, TokenCredential credential, ArmClientOptions? options = null)
    {
        options ??= new ArmClientOptions();
        Endpoint = endpoint;
        _callTimeout = options.CallTimeout;
        _pipeline = HttpPipelineBuilder.Build(new HttpPipelineOptions(options)
        {
            PerRetryPolicies = { new ArmBearerTokenPolicy(credential, options.TimeProvider) },
        });
    }

    public Uri Endpoint { get; }

    /// <summary>Sends one request to <paramref name="path"/> (a resource path, or an absolute <c>nextLink</c>).</summary>
    /// <param name="apiVersion">Appended as <c>api-version</c> unless the path is a link that already carries one.</param>
    public Task<ArmResponse> SendAsync(RequestMethod method, string path, string? apiVersion, BinaryData? body, CancellationToken cancellationToken) =>
        SendAsync(method, path, apiVersion, body, _callTimeout, cancellationToken);

    /// <summary>Sends one request, which may take <paramref name="timeout"/> in all (tries and retries).</summary>
    /// <exception cref="TimeoutException">ARM did not answer within <paramref name="timeout"/>.</exception>
    public async Task<ArmResponse> SendAsync(RequestMethod method, string path, string? apiVersion, BinaryData? body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        var uri = Uri.TryCreate(path, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
            ? absolute
            : new Uri(Endpoint, path);
        message.Request.Uri.Reset(uri);
        if (apiVersion is not null && !uri.Query.Contains("api-version=", StringComparison.Ordinal))
        {
            message.Request.Uri.AppendQuery("api-version", apiVersion);
        }
        message.Request.Headers.SetValue(HttpHeader.Names.Accept, "application/json");
        if (body is not null)
        {
            message.Request.Headers.SetValue(HttpHeader.Names.ContentType, "application/json");
            message.Request.Content = RequestContent.Create(body);
        }
        // Real time, not the options' clock: the deadline bounds waiting on sockets.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        ArmClientOptions.SetDeadline(message, timeout);
        try
        {
            await _pipeline.SendAsync(message, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Azure Resource Manager did not answer a {method} request within {timeout.TotalSeconds:0.#} s.", ex);
        }
        return ArmResponse.Read(message.Response);
    }
}
