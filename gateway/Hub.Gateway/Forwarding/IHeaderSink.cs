using System.Net.Http.Headers;

namespace Hub.Gateway.Forwarding;

/// <summary>Where the gateway's own backend request headers go: an <see cref="HttpHeaders"/> collection or a raw HTTP/1.1 head.</summary>
internal interface IHeaderSink
{
    void Add(string name, string value);
}

/// <summary>Adds to an <see cref="HttpHeaders"/> collection without validation (the values come from Kestrel, already checked).</summary>
internal readonly struct HttpHeadersSink(HttpHeaders headers) : IHeaderSink
{
    public void Add(string name, string value) => headers.TryAddWithoutValidation(name, value);
}
