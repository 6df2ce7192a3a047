using System.Net.WebSockets;

namespace GatewayBench;

/// <summary>The measured backend: 1 KiB of text for any GET, and a WebSocket echo for any upgrade.</summary>
internal static class StaticBackend
{
    private static readonly byte[] Body = System.Text.Encoding.ASCII.GetBytes(new string('x', 1023) + "\n");

    public static async Task<int> RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        // Requests run on the socket event threads, as in the gateway: the backend shares the cores with the proxy
        // measured, and handing each request to the thread pool cost it context switches and spinning workers.
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        var app = builder.Build();
        app.UseWebSockets();
        app.Run(async context =>
        {
            if (context.WebSockets.IsWebSocketRequest)
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                await EchoAsync(socket);
                return;
            }
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength = Body.Length;
            await context.Response.Body.WriteAsync(Body);
        });
        await app.StartAsync();
        Console.WriteLine("ready");
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static async Task EchoAsync(WebSocket socket)
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }
                await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
            // The client went away without closing; nothing to clean up.
        }
    }
}
