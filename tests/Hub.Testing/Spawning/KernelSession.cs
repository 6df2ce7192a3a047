using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hub.Testing.Spawning;

/// <summary>
/// Talks to a Jupyter server as a notebook does: starts a kernel over REST, executes code over the kernel's WebSocket.
/// The token is the server's own (straight to Jupyter) or a hub API token (through the gateway, which swaps it for the
/// server's).
/// </summary>
public static class KernelSession
{
    /// <summary>Runs <paramref name="code"/> in a new kernel and returns the <c>text/plain</c> of its execute_result.</summary>
    public static async Task<string> ExecuteAsync(Uri target, string basePath, string token, string code, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        using var client = new HttpClient { BaseAddress = target };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", token);
        var created = await client.PostAsync(basePath + "api/kernels", new StringContent("{}", Encoding.UTF8, "application/json"), cancellation.Token);
        created.EnsureSuccessStatusCode();
        string kernel = JsonDocument.Parse(await created.Content.ReadAsStringAsync(cancellation.Token)).RootElement.GetProperty("id").GetString()!;

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "token " + token);
        string session = Guid.NewGuid().ToString("N");
        var uri = new UriBuilder(target) { Scheme = "ws", Path = basePath + $"api/kernels/{kernel}/channels", Query = "session_id=" + session }.Uri;
        await socket.ConnectAsync(uri, cancellation.Token);

        string messageId = Guid.NewGuid().ToString("N");
        var request = new JsonObject
        {
            ["header"] = new JsonObject
            {
                ["msg_id"] = messageId, ["username"] = "test", ["session"] = session, ["msg_type"] = "execute_request",
                ["version"] = "5.3", ["date"] = DateTimeOffset.UtcNow.ToString("O"),
            },
            ["parent_header"] = new JsonObject(),
            ["metadata"] = new JsonObject(),
            ["content"] = new JsonObject
            {
                ["code"] = code, ["silent"] = false, ["store_history"] = true, ["user_expressions"] = new JsonObject(),
                ["allow_stdin"] = false, ["stop_on_error"] = true,
            },
            ["channel"] = "shell",
            ["buffers"] = new JsonArray(),
        };
        await socket.SendAsync(Encoding.UTF8.GetBytes(request.ToJsonString()), WebSocketMessageType.Text, true, cancellation.Token);

        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult received;
            do
            {
                received = await socket.ReceiveAsync(buffer, cancellation.Token);
                message.Write(buffer, 0, received.Count);
            }
            while (!received.EndOfMessage);
            if (received.MessageType != WebSocketMessageType.Text)
            {
                continue;
            }
            var reply = JsonNode.Parse(message.ToArray())!;
            if (reply["parent_header"]?["msg_id"]?.GetValue<string>() != messageId)
            {
                continue;
            }
            string type = reply["header"]!["msg_type"]!.GetValue<string>();
            if (type == "execute_result")
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancellation.Token);
                return reply["content"]!["data"]!["text/plain"]!.GetValue<string>();
            }
            if (type == "error")
            {
                throw new InvalidOperationException("The kernel answered with an error: " + reply["content"]!.ToJsonString());
            }
        }
    }
}
