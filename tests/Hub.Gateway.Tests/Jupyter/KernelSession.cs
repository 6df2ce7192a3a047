using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Gateway.Tests.Support;

namespace Hub.Gateway.Tests.Jupyter;

/// <summary>A kernel of a real Jupyter server, started and reached through the gateway, that runs code over its channels WebSocket.</summary>
public sealed class KernelSession : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly string _user;

    private KernelSession(HttpClient client, string user, string id, ClientWebSocket socket)
    {
        _client = client;
        _user = user;
        Id = id;
        Socket = socket;
    }

    public string Id { get; }

    public ClientWebSocket Socket { get; }

    public static async Task<KernelSession> StartAsync(RunningGateway gateway, HttpClient client, string user, string session, Func<string> diagnostics)
    {
        var started = await client.PostAsJsonAsync($"/user/{user}/api/kernels", new { name = "python3" });
        Assert.True(started.StatusCode == HttpStatusCode.Created, $"starting a kernel: {(int)started.StatusCode} {await started.Content.ReadAsStringAsync()}\n{diagnostics()}");
        string id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var socket = await WebSockets.ConnectAsync(gateway, $"/user/{user}/api/kernels/{id}/channels?session_id=test", session);
        return new KernelSession(client, user, id, socket);
    }

    /// <summary>Runs <paramref name="code"/> and returns its result as text (<c>text/plain</c> of the execute_result).</summary>
    public async Task<string> ExecuteAsync(string code)
    {
        string messageId = Guid.NewGuid().ToString("N");
        await WebSockets.SendTextAsync(Socket, ExecuteRequest(messageId, code));
        while (true)
        {
            var message = JsonNode.Parse(await WebSockets.ReceiveTextAsync(Socket))!;
            if (message["parent_header"]?["msg_id"]?.GetValue<string>() == messageId && message["msg_type"]?.GetValue<string>() == "execute_result")
            {
                return message["content"]!["data"]!["text/plain"]!.GetValue<string>();
            }
        }
    }

    /// <summary>Shuts the kernel down through the gateway; the answer, for the caller to check.</summary>
    public Task<HttpResponseMessage> DeleteAsync() => _client.DeleteAsync($"/user/{_user}/api/kernels/{Id}");

    private string ExecuteRequest(string messageId, string code) => JsonSerializer.Serialize(new
    {
        header = new { msg_id = messageId, username = _user, session = "test", msg_type = "execute_request", version = "5.3", date = DateTimeOffset.UtcNow },
        parent_header = new { },
        metadata = new { },
        content = new { code, silent = false, store_history = false, user_expressions = new { }, allow_stdin = false, stop_on_error = true },
        channel = "shell",
        buffers = Array.Empty<object>(),
    });

    public ValueTask DisposeAsync()
    {
        Socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
