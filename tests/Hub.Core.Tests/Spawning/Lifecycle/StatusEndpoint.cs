using System.Net;
using Hub.Testing;

namespace Hub.Core.Tests.Spawning.Lifecycle;

/// <summary>
/// A real HTTP listener on a loopback port that answers every request with one status: 200 stands for a Jupyter
/// server that is ready, 503 for one that never becomes ready. Counts the requests (the readiness probes).
/// </summary>
internal sealed class StatusEndpoint : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpStatusCode _status;
    private readonly Task _serving;
    private int _requests;

    private StatusEndpoint(HttpStatusCode status)
    {
        _status = status;
        int port = FreePort.Next();
        Url = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Url.AbsoluteUri);
        _listener.Start();
        _serving = ServeAsync();
    }

    public Uri Url { get; }

    public int Requests => Volatile.Read(ref _requests);

    public static StatusEndpoint Start(HttpStatusCode status) => new(status);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }
            Interlocked.Increment(ref _requests);
            context.Response.StatusCode = (int)_status;
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Close alone: after Stop, Close unregisters the prefix again and so binds the port once more, which fails
        // when another test has taken it meanwhile ("Address already in use").
        _listener.Close();
        await _serving;
    }
}
