using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;

namespace GatewayBench;

/// <summary>
/// Handshake time (connect until open, then a clean close, one at a time) and echo round-trip time (32-byte text
/// messages, one in flight, on one connection). Prints medians and 99th percentiles in microseconds as JSON.
/// </summary>
internal static class WebSocketTiming
{
    public static async Task<int> RunAsync(Uri url, int handshakes, int roundTrips, string? cookie)
    {
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());
        var handshakeTimes = new List<double>(handshakes);
        for (int i = 0; i < handshakes + 10; i++)
        {
            long started = Stopwatch.GetTimestamp();
            using var socket = await ConnectAsync(url, cookie, invoker);
            double elapsed = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            if (i >= 10)
            {
                handshakeTimes.Add(elapsed);
            }
        }

        var roundTripTimes = new List<double>(roundTrips);
        using (var socket = await ConnectAsync(url, cookie, invoker))
        {
            var message = new byte[32];
            Array.Fill(message, (byte)'m');
            var buffer = new byte[1024];
            for (int i = 0; i < roundTrips + 100; i++)
            {
                long started = Stopwatch.GetTimestamp();
                await socket.SendAsync(message, WebSocketMessageType.Text, true, CancellationToken.None);
                var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
                double elapsed = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
                if (received.Count != message.Length)
                {
                    throw new InvalidOperationException($"echo returned {received.Count} bytes");
                }
                if (i >= 100)
                {
                    roundTripTimes.Add(elapsed);
                }
            }
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            handshake_p50_us = Percentile(handshakeTimes, 50),
            handshake_p99_us = Percentile(handshakeTimes, 99),
            rtt_p50_us = Percentile(roundTripTimes, 50),
            rtt_p99_us = Percentile(roundTripTimes, 99),
        }));
        return 0;
    }

    internal static async Task<ClientWebSocket> ConnectAsync(Uri url, string? cookie, HttpMessageInvoker invoker)
    {
        var socket = new ClientWebSocket();
        if (cookie is not null)
        {
            socket.Options.SetRequestHeader("Cookie", cookie);
        }
        await socket.ConnectAsync(url, invoker, CancellationToken.None);
        return socket;
    }

    private static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return Math.Round(sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)], 1);
    }
}
