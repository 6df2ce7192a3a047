using System.Text;
using Hub.Core.Hosting;
using Hub.Core.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests.Timers;

/// <summary>Runs a timer job by HTTP as an allowed caller: with the <see cref="TimerInvocationHeader"/> made from the hub's key.</summary>
public static class TimerRequests
{
    /// <summary>A minimal payload of the shape the Functions host sends.</summary>
    public const string HostPayload = """{"Data":{"timer":{"IsPastDue":false}},"Metadata":{}}""";

    /// <summary>The header of the control plane whose key is generated in <paramref name="dataDirectory"/>.</summary>
    public static TimerInvocationHeader HeaderFor(string dataDirectory) =>
        new(HubSecretKey.Load(new HubOptions { DataDirectory = dataDirectory }));

    public static Task<HttpResponseMessage> PostTimerAsync(this RunningControlPlane hub, string job, string body = HostPayload, string? invocationId = null) =>
        hub.Client.PostTimerAsync(hub.Services.GetRequiredService<TimerInvocationHeader>(), job, body, invocationId);

    public static async Task<HttpResponseMessage> PostTimerAsync(this HttpClient client, TimerInvocationHeader header, string job, string body = HostPayload, string? invocationId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + job) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(TimerInvocationHeader.Name, header.Value);
        if (invocationId is not null)
        {
            request.Headers.Add("X-Azure-Functions-InvocationId", invocationId);
        }
        return await client.SendAsync(request).ConfigureAwait(false);
    }
}
