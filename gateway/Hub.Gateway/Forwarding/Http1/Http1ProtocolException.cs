namespace Hub.Gateway.Forwarding.Http1;

/// <summary>A backend's response that is not valid HTTP/1.1 (or that the gateway refuses to pass on, such as an ambiguous length).</summary>
internal sealed class Http1ProtocolException(string message) : Exception(message);
