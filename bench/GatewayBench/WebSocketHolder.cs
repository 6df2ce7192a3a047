namespace GatewayBench;

/// <summary>Opens COUNT WebSockets (50 at a time), checks each with one echo, prints "open COUNT", and holds them until stdin closes.</summary>
internal static class WebSocketHolder
{
    public static async Task<int> RunAsync(Uri url, int count, string? cookie)
    {
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue });
        var sockets = new System.Collections.Concurrent.ConcurrentBag<System.Net.WebSockets.ClientWebSocket>();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 50 }, async (_, token) =>
        {
            var socket = await WebSocketTiming.ConnectAsync(url, cookie, invoker);
            await socket.SendAsync("hi"u8.ToArray(), System.Net.WebSockets.WebSocketMessageType.Text, true, token);
            await socket.ReceiveAsync(new byte[16], token);
            sockets.Add(socket);
        });
        Console.WriteLine($"open {sockets.Count}");
        await Console.In.ReadToEndAsync();
        foreach (var socket in sockets)
        {
            socket.Abort();
        }
        return 0;
    }
}
