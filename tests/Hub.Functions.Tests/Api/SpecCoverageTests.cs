using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hub.Functions.Api;
using Hub.Functions.Tests.Auth;
using Hub.Testing;

namespace Hub.Functions.Tests.Api;

/// <summary>Every operation of the JupyterHub 5.5.1 spec is routed: implemented, or a 501 that names it, never the 404 of an unknown endpoint.</summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class SpecCoverageTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task EveryOperationOfTheSpec_IsImplementedOrAnswers501NamingIt()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var admin = hub.Api(await hub.TokenAsync("admin"));
        var notImplemented = NotImplementedEndpoints.Operations.Select(o => (o.Method, o.Route)).ToHashSet();
        var problems = new List<string>();

        foreach (var (method, path) in JupyterHubSpec.Operations())
        {
            string concrete = "/hub/api" + Parameter().Replace(path, "nobody");
            using var request = new HttpRequestMessage(new HttpMethod(method), concrete);
            var response = await admin.SendAsync(request);
            string body = await response.Content.ReadAsStringAsync();
            if (notImplemented.Contains((method, path)))
            {
                if (response.StatusCode != HttpStatusCode.NotImplemented || !body.Contains($"{method} /hub/api{path}", StringComparison.Ordinal))
                {
                    problems.Add($"{method} {path}: {(int)response.StatusCode} {body}");
                }
            }
            else if (response.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented || body.Contains("No such API endpoint", StringComparison.Ordinal))
            {
                problems.Add($"{method} {path} is not routed: {(int)response.StatusCode} {body}");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.Equal(6, notImplemented.Count);
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
