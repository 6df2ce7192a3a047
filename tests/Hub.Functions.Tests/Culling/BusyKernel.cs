using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Testing;

namespace Hub.Functions.Tests.Culling;

/// <summary>A kernel of a real Jupyter server kept busy by a long computation that prints nothing, as a student's training run does.</summary>
internal sealed class BusyKernel : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly ClientWebSocket _socket;
    private readonly string _kernelPath;

    private BusyKernel(HttpClient client, ClientWebSocket socket, string kernelPath) => (_client, _socket, _kernelPath) = (client, socket, kernelPath);

    public static async Task<BusyKernel> StartAsync(Uri target, string basePath, string token, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var client = new HttpClient { BaseAddress = target };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", token);
        var created = await client.PostAsync(basePath + "api/kernels", new StringContent("{}", Encoding.UTF8, "application/json"), cancellation.Token);
        created.EnsureSuccessStatusCode();
        string kernel = JsonDocument.Parse(await created.Content.ReadAsStringAsync(cancellation.Token)).RootElement.GetProperty("id").GetString()!;

        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "token " + token);
        string session = Guid.NewGuid().ToString("N");
        var uri = new UriBuilder(target) { Scheme = "ws", Path = basePath + $"api/kernels/{kernel}/channels", Query = "session_id=" + session }.Uri;
        await socket.ConnectAsync(uri, cancellation.Token);
        var request = new JsonObject
        {
            ["header"] = new JsonObject
            {
                ["msg_id"] = Guid.NewGuid().ToString("N"), ["username"] = "test", ["session"] = session, ["msg_type"] = "execute_request",
                ["version"] = "5.3", ["date"] = DateTimeOffset.UtcNow.ToString("O"),
            },
            ["parent_header"] = new JsonObject(),
            ["metadata"] = new JsonObject(),
            ["content"] = new JsonObject
            {
                ["code"] = "import time\ntime.sleep(600)", ["silent"] = false, ["store_history"] = false, ["user_expressions"] = new JsonObject(),
                ["allow_stdin"] = false, ["stop_on_error"] = true,
            },
            ["channel"] = "shell",
            ["buffers"] = new JsonArray(),
        };
        await socket.SendAsync(Encoding.UTF8.GetBytes(request.ToJsonString()), WebSocketMessageType.Text, true, cancellation.Token);

        string kernelPath = basePath + "api/kernels/" + kernel;
        await Eventually.UntilAsync(async () =>
        {
            var model = await client.GetFromJsonAsync<JsonElement>(kernelPath + "?no_track_activity=1", cancellation.Token);
            return model.GetProperty("execution_state").GetString() == "busy";
        }, timeout, "the kernel to be busy");
        return new BusyKernel(client, socket, kernelPath);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _client.DeleteAsync(_kernelPath, cancellation.Token);
            _socket.Abort();
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            // The server may be gone already; the hub fixture stops it anyway.
        }
        finally
        {
            _socket.Dispose();
            _client.Dispose();
        }
    }
}
