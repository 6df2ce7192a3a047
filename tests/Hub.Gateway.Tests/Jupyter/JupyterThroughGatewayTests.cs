using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Core.Security;
using Hub.Gateway.Tests.Support;
using Hub.Testing;

namespace Hub.Gateway.Tests.Jupyter;

/// <summary>A real Jupyter server behind the gateway, reached only with the hub's session and the token the gateway injects.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class JupyterThroughGatewayTests(AzuriteFixture azurite) : GatewayTestBase(azurite)
{
    [Fact]
    public async Task Kernel_ExecuteOnePlusOneOverWebSocket_Answers2()
    {
        string nonce = ServerTokens.NewNonce();
        string token = ServerTokens.Derive(Gateway.SecretKey, new Hub.Core.Store.ServerKey("alice", ""), nonce);
        await using var jupyter = await JupyterServer.StartAsync("alice", token);
        await Gateway.AddRouteAsync("alice", jupyter.Address, nonce: nonce);
        using var client = Gateway.CreateClient(AliceSession);

        var direct = await new HttpClient().GetAsync(new Uri(jupyter.Address, "/user/alice/api/kernels"));
        var status = await client.GetAsync("/user/alice/api/status");
        var started = await client.PostAsJsonAsync("/user/alice/api/kernels", new { name = "python3" });
        Assert.True(started.StatusCode == HttpStatusCode.Created, $"starting a kernel: {(int)started.StatusCode} {await started.Content.ReadAsStringAsync()}\n{jupyter.Output}");
        string kernel = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        using var socket = await WebSockets.ConnectAsync(Gateway, $"/user/alice/api/kernels/{kernel}/channels?session_id=test", AliceSession);
        string messageId = Guid.NewGuid().ToString("N");
        await WebSockets.SendTextAsync(socket, ExecuteRequest(messageId, "1+1"));
        string? result = null;
        while (result is null)
        {
            var message = JsonNode.Parse(await WebSockets.ReceiveTextAsync(socket))!;
            if (message["parent_header"]?["msg_id"]?.GetValue<string>() == messageId && message["msg_type"]?.GetValue<string>() == "execute_result")
            {
                result = message["content"]!["data"]!["text/plain"]!.GetValue<string>();
            }
        }

        Assert.Equal(HttpStatusCode.Forbidden, direct.StatusCode);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal("2", result);
        var deleted = await client.DeleteAsync($"/user/alice/api/kernels/{kernel}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    private static string ExecuteRequest(string messageId, string code) => JsonSerializer.Serialize(new
    {
        header = new { msg_id = messageId, username = "alice", session = "test", msg_type = "execute_request", version = "5.3", date = DateTimeOffset.UtcNow },
        parent_header = new { },
        metadata = new { },
        content = new { code, silent = false, store_history = false, user_expressions = new { }, allow_stdin = false, stop_on_error = true },
        channel = "shell",
        buffers = Array.Empty<object>(),
    });
}
