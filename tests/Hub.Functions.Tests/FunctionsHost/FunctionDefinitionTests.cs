using System.Text.Json;
using Hub.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests.FunctionsHost;

/// <summary>host.json and the function definitions: valid against the published schemas, and in step with the app.</summary>
public sealed class FunctionDefinitionTests
{
    [Fact]
    public async Task HostJson_IsValidAgainstTheHostSchema()
    {
        var schema = await FunctionDefinitions.HostSchemaAsync();

        var errors = schema.Validate(await File.ReadAllTextAsync(FunctionDefinitions.HostJsonPath));

        Assert.Empty(errors.Select(e => e.ToString()));
    }

    [Fact]
    public void HostJson_ProxiesToTheCustomHandlerWithoutRoutePrefix()
    {
        var host = FunctionDefinitions.Read(FunctionDefinitions.HostJsonPath);
        var handler = host.GetProperty("customHandler");

        Assert.Equal("2.0", host.GetProperty("version").GetString());
        Assert.True(handler.GetProperty("enableProxyingHttpRequest").GetBoolean());
        Assert.False(handler.TryGetProperty("enableForwardingHttpRequest", out _));
        Assert.Equal("handler/Hub.Functions", handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString());
        Assert.Equal("", host.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    [Fact]
    public async Task FunctionJson_EachIsValidAgainstTheFunctionSchema()
    {
        var schema = await FunctionDefinitions.FunctionSchemaAsync();
        var functions = FunctionDefinitions.Functions(FunctionDefinitions.DefinitionsFolder);

        Assert.NotEmpty(functions);
        foreach (var (name, path) in functions)
        {
            var errors = schema.Validate(await File.ReadAllTextAsync(path));
            Assert.True(errors.Count == 0, $"{name}/function.json: {string.Join("; ", errors)}");
        }
    }

    [Fact]
    public void HttpFunction_IsOneAnonymousCatchAllUnderHub()
    {
        var trigger = Assert.Single(FunctionDefinitions.HttpTriggers(FunctionDefinitions.DefinitionsFolder));

        Assert.Equal("anonymous", trigger.AuthLevel);
        Assert.Equal("hub/{*path}", trigger.Route);
        Assert.Superset(new HashSet<string> { "GET", "POST", "PUT", "PATCH", "DELETE" }, trigger.Methods.ToHashSet());
    }

    [Fact]
    public void AppRoutes_AreReachableThroughTheCatchAllOrAreTimerFunctions()
    {
        var trigger = Assert.Single(FunctionDefinitions.HttpTriggers(FunctionDefinitions.DefinitionsFolder));
        var functionNames = FunctionDefinitions.Functions(FunctionDefinitions.DefinitionsFolder).Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var app = ControlPlaneApp.Build([], builder => builder.Configuration.AddInMemoryCollection(
            [new("ControlPlane:ListenUrl", "http://127.0.0.1:0")]));
        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>().ToList();

        Assert.NotEmpty(endpoints);
        foreach (var endpoint in endpoints)
        {
            string route = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST", "PUT", "PATCH", "DELETE"];
            if (route.StartsWith("/hub/", StringComparison.Ordinal) || route == "/hub")
            {
                Assert.True(methods.All(m => trigger.Methods.Contains(m)), $"{route} answers {string.Join(",", methods)}, which the HTTP function does not forward");
            }
            else
            {
                // Outside /hub/ only the timer functions' own endpoints may exist: the host calls them, the public cannot.
                Assert.True(functionNames.Contains(route.TrimStart('/')) && methods.SequenceEqual(["POST"]),
                    $"{route} is served by the app but is neither under /hub/ nor a timer function");
            }
        }
    }

    [Fact]
    public async Task FunctionSchema_InvalidBinding_IsRefused()
    {
        var schema = await FunctionDefinitions.FunctionSchemaAsync();

        var errors = schema.Validate("""{"bindings":[{"type":"httpTrigger","direction":"in","name":"req","authLevel":"public"}]}""");

        Assert.NotEmpty(errors);
    }

    [Fact]
    public async Task HostSchema_UnknownCustomHandlerKey_IsRefused()
    {
        var schema = await FunctionDefinitions.HostSchemaAsync();

        var errors = schema.Validate("""{"version":"2.0","customHandler":{"enableProxying":true}}""");

        Assert.NotEmpty(errors);
    }
}
