using System.Text.Json;
using Hub.Core.Spawning;
using Hub.Testing;

namespace Hub.Browser.Tests;

/// <summary>The pages build server URLs in <c>web/static/js/api.js</c>; they must escape names exactly as the hub's <see cref="ServerUrls"/> does.</summary>
public sealed class ServerUrlMirrorTests
{
    private static readonly string[] Names =
    [
        "alice", "ada@example.org", "a/b", "zoë", "josé", "😀", "~x_y-z.1", "o'neil!(*)", "a b", "a%2Fb", "#?&=+;,:$", "日本",
    ];

    [Fact]
    public async Task ApiJs_EscapesEveryNameAsServerUrls()
    {
        string module = new Uri(RepositoryPaths.InRoot("web", "static", "js", "api.js")).AbsoluteUri;
        string script = $$"""
            const { escapeSegment, serverUrl, spawnPendingUrl } = await import({{JsonSerializer.Serialize(module)}});
            const names = JSON.parse(process.argv[1]);
            console.log(JSON.stringify(names.map((n) => [escapeSegment(n), serverUrl(n, ''), serverUrl(n, n), spawnPendingUrl(n, n)])));
            """;
        await using var node = ChildProcess.Start("node", ["--input-type=module", "-e", script, JsonSerializer.Serialize(Names)]);
        Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        var fromJs = JsonSerializer.Deserialize<string[][]>(node.StandardOutput)!;
        var expected = Names.Select(n => new[] { ServerUrls.EscapeSegment(n), ServerUrls.BasePath(n, ""), ServerUrls.BasePath(n, n), ServerUrls.SpawnPendingPath(n, n) });
        Assert.Equal(expected, fromJs);
    }
}
