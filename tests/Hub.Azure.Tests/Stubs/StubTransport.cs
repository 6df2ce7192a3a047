using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Hub.Azure.Tests.Stubs;

/// <summary>
/// A transport that records every request and answers with canned responses, for what Azurite cannot produce
/// (throttling, server errors, malformed bodies).
/// </summary>
public sealed class StubTransport(params Func<Request, StubResponse>[] responses) : HttpPipelineTransport
{
    private readonly Queue<Func<Request, StubResponse>> _responses = new(responses);

    /// <summary>Each request as it was sent: method, URI and headers.</summary>
    public List<(RequestMethod Method, Uri Uri, Dictionary<string, string> Headers)> Requests { get; } = [];

    public override Request CreateRequest() => new StubRequest();

    public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

    public override ValueTask ProcessAsync(HttpMessage message)
    {
        var request = message.Request;
        Requests.Add((request.Method, request.Uri.ToUri(), request.Headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase)));
        var respond = _responses.Count > 1 ? _responses.Dequeue() : _responses.Peek();
        message.Response = respond(request);
        return ValueTask.CompletedTask;
    }

    private sealed class StubRequest : Request
    {
        private readonly Dictionary<string, List<string>> _headers = new(StringComparer.OrdinalIgnoreCase);

        public override string ClientRequestId { get; set; } = Guid.NewGuid().ToString();

        public override void Dispose()
        {
        }

        protected override void AddHeader(string name, string value)
        {
            if (!_headers.TryGetValue(name, out var values))
            {
                _headers[name] = values = [];
            }
            values.Add(value);
        }

        protected override bool ContainsHeader(string name) => _headers.ContainsKey(name);

        protected override IEnumerable<HttpHeader> EnumerateHeaders() =>
            _headers.Select(h => new HttpHeader(h.Key, string.Join(",", h.Value)));

        protected override bool RemoveHeader(string name) => _headers.Remove(name);

        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
        {
            value = _headers.TryGetValue(name, out var values) ? string.Join(",", values) : null;
            return value is not null;
        }

        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = _headers.TryGetValue(name, out var list) ? list : null;
            return values is not null;
        }
    }
}

/// <summary>A canned response.</summary>
public sealed class StubResponse(int status, string? body = null, params (string Name, string Value)[] headers) : Response
{
    private readonly Dictionary<string, string> _headers = headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);

    public override int Status => status;

    public override string ReasonPhrase => status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override Stream? ContentStream { get; set; } = body is null ? null : new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body));

    public override string ClientRequestId { get; set; } = "";

    public override void Dispose()
    {
    }

    protected override bool ContainsHeader(string name) => _headers.ContainsKey(name);

    protected override IEnumerable<HttpHeader> EnumerateHeaders() => _headers.Select(h => new HttpHeader(h.Key, h.Value));

    protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value) => _headers.TryGetValue(name, out value);

    protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
    {
        values = _headers.TryGetValue(name, out var value) ? [value] : null;
        return values is not null;
    }

    public static StubResponse Json(int status, string json, params (string, string)[] headers) =>
        new(status, json, [("Content-Type", "application/json;odata=minimalmetadata"), .. headers]);
}
