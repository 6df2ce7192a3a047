using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hub.Gateway.Tests.Support;

/// <summary>
/// A real Kestrel server on a free loopback port standing in for a user server or the control plane: it echoes what it
/// received, streams large bodies and events in steps that a test releases, and runs a WebSocket echo. Gates let a test
/// prove streaming: the backend waits for the client to see the first bytes (or the other way round) before going on.
/// </summary>
public sealed class TestBackend : IAsyncDisposable
{
    public const int Chunk = 64 * 1024;
    private static readonly TimeSpan GateTimeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;

    private TestBackend(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Every request's raw target and headers, in arrival order.</summary>
    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    /// <summary>Set when an upload has delivered its first megabyte.</summary>
    public TaskCompletionSource UploadStarted { get; } = New();

    /// <summary>The test sets this once the client has the first chunk of a download; the backend then sends the rest.</summary>
    public TaskCompletionSource DownloadGate { get; } = New();

    /// <summary>The test sets this once the client has the first event; the backend then sends the second.</summary>
    public TaskCompletionSource EventGate { get; } = New();

    /// <summary>Set when a hanging request was aborted because the client went away.</summary>
    public TaskCompletionSource HangAborted { get; } = New();

    /// <summary>The close status and text the backend received from the client on the WebSocket.</summary>
    public TaskCompletionSource<(WebSocketCloseStatus? Status, string? Description)> ClientClosed { get; } = New<(WebSocketCloseStatus?, string?)>();

    public static async Task<TestBackend> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        var app = builder.Build();
        TestBackend? backend = null;
        app.UseWebSockets();
        app.Use(async (context, next) =>
        {
            backend!.Requests.Enqueue(SeenRequest.From(context));
            await next(context);
        });
        app.MapPost("/user/{name}/upload", (HttpContext context) => backend!.UploadAsync(context));
        app.MapGet("/user/{name}/download", (HttpContext context, long size) => backend!.DownloadAsync(context, size));
        app.MapGet("/user/{name}/events", (HttpContext context) => backend!.EventsAsync(context));
        app.MapGet("/user/{name}/slow", async (HttpContext context) => await Task.Delay(TimeSpan.FromSeconds(20), context.RequestAborted));
        app.MapGet("/user/{name}/hang", (HttpContext context) => backend!.HangAsync(context));
        app.MapGet("/user/{name}/set-cookies", (HttpContext context) =>
        {
            context.Response.Headers.Append("Set-Cookie", "hub-session=tossed; Path=/");
            context.Response.Headers.Append("Set-Cookie", "_xsrf=tossed; Path=/hub/");
            context.Response.Headers.Append("Set-Cookie", "_xsrf=own; Path=/user/alice/");
            context.Response.Headers.Append("Set-Cookie", "hub-session=tossed; Path=/user/alice/; Path=/");
            context.Response.Headers.Append("Set-Cookie", "theme=dark; Path=/");
            return "ok";
        });
        app.MapGet("/user/{name}/connection-listed", (HttpContext context) =>
        {
            // Headers named in Connection describe this connection only (RFC 9110 §7.6.1).
            context.Response.Headers.Connection = "X-Hop-Response";
            context.Response.Headers["X-Hop-Response"] = "backend-private";
            context.Response.Headers["X-End-To-End"] = "kept";
            return "ok";
        });
        app.Map("/user/{name}/ws", (HttpContext context) => backend!.WebSocketEchoAsync(context));
        // Where Jupyter has its kernel and terminal WebSockets: the gateway reads what clients send on these.
        app.Map("/user/{name}/api/kernels/{id}/channels", (HttpContext context) => backend!.WebSocketEchoAsync(context));
        app.Map("/user/{name}/terminals/websocket/{id}", (HttpContext context) => backend!.WebSocketEchoAsync(context));
        app.Map("/{**path}", (HttpContext context) => backend!.EchoAsync(context));

        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        backend = new TestBackend(app, new Uri(address));
        return backend;
    }

    /// <summary>The bytes of a test body: position-dependent, so that a lost, repeated or reordered chunk changes the hash.</summary>
    public static void Fill(Span<byte> buffer, long offset)
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (byte)((offset + i) * 31 % 251);
        }
    }

    private async Task EchoAsync(HttpContext context)
    {
        long length = 0;
        var buffer = new byte[Chunk];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            length += read;
        }
        var seen = SeenRequest.From(context);
        await context.Response.WriteAsJsonAsync(new EchoResponse(seen.Method, seen.RawTarget, seen.Headers, length));
    }

    private async Task UploadAsync(HttpContext context)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[Chunk];
        long total = 0;
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            total += read;
            if (total >= 1024 * 1024)
            {
                UploadStarted.TrySetResult();
            }
        }
        await context.Response.WriteAsJsonAsync(new UploadResponse(total, Convert.ToHexStringLower(hash.GetHashAndReset())));
    }

    private async Task DownloadAsync(HttpContext context, long size)
    {
        context.Response.ContentLength = size;
        context.Response.ContentType = "application/octet-stream";
        var buffer = new byte[Chunk];
        for (long offset = 0; offset < size; offset += Chunk)
        {
            int count = (int)Math.Min(Chunk, size - offset);
            Fill(buffer.AsSpan(0, count), offset);
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, count), context.RequestAborted);
            if (offset == 0)
            {
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await DownloadGate.Task.WaitAsync(GateTimeout, context.RequestAborted);
            }
        }
    }

    private async Task EventsAsync(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.WriteAsync("data: one\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        await EventGate.Task.WaitAsync(GateTimeout, context.RequestAborted);
        await context.Response.WriteAsync("data: two\n\n", context.RequestAborted);
    }

    private async Task HangAsync(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        await context.Response.WriteAsync("data: waiting\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        try
        {
            await Task.Delay(GateTimeout, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            HangAborted.TrySetResult();
        }
    }

    private async Task WebSocketEchoAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        if (context.Request.Query["refuse"] is [{ } refusal])
        {
            // As Jupyter does for a foreign origin or a missing kernel: refuse the handshake with a status.
            context.Response.StatusCode = int.Parse(refusal, System.Globalization.CultureInfo.InvariantCulture);
            return;
        }
        string? protocol = context.WebSockets.WebSocketRequestedProtocols.FirstOrDefault();
        using var socket = await context.WebSockets.AcceptWebSocketAsync(protocol);
        var buffer = new byte[Chunk];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                ClientClosed.TrySetResult((socket.CloseStatus, socket.CloseStatusDescription));
                await socket.CloseOutputAsync(socket.CloseStatus ?? WebSocketCloseStatus.Empty, socket.CloseStatusDescription, CancellationToken.None);
                return;
            }
            string text = received.MessageType == WebSocketMessageType.Text ? Encoding.UTF8.GetString(buffer, 0, received.Count) : "";
            if (text.StartsWith("close:", StringComparison.Ordinal))
            {
                // "close:4001:reason" asks the backend to close with that code.
                var parts = text.Split(':', 3);
                await socket.CloseAsync((WebSocketCloseStatus)int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), parts[2], CancellationToken.None);
                return;
            }
            await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, CancellationToken.None);
        }
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static TaskCompletionSource<T> New<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed record EchoResponse(string Method, string RawTarget, Dictionary<string, string> Headers, long BodyLength);

    public sealed record UploadResponse(long Total, string Sha256);

    public sealed record SeenRequest(string Method, string RawTarget, Dictionary<string, string> Headers)
    {
        public static SeenRequest From(HttpContext context) => new(
            context.Request.Method,
            context.Features.Get<IHttpRequestFeature>()!.RawTarget,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
    }
}
