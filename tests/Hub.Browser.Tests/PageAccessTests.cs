using System.Net;
using System.Text.RegularExpressions;
using Hub.Browser.Tests.Support;
using Hub.Testing;

namespace Hub.Browser.Tests;

/// <summary>The pages' HTTP contract through the gateway: login required, safe <c>next</c>, headers, static files and their caching.</summary>
[Collection(HubStackCollection.Name)]
public sealed partial class PageAccessTests(HubStack hub)
{
    private HttpClient Client() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = hub.Address, Timeout = TimeSpan.FromSeconds(30) };

    [Theory]
    [InlineData("/hub/home", "/hub/login?next=%2Fhub%2Fhome")]
    [InlineData("/hub/admin", "/hub/login?next=%2Fhub%2Fadmin")]
    [InlineData("/hub/token", "/hub/login?next=%2Fhub%2Ftoken")]
    [InlineData("/hub/spawn-pending/ada", "/hub/login?next=%2Fhub%2Fspawn-pending%2Fada")]
    [InlineData("/hub/user/ada/tree?x=1", "/hub/login?next=%2Fhub%2Fuser%2Fada%2Ftree%3Fx%3D1")]
    [InlineData("/hub/user-redirect/git-pull?repo=https%3A%2F%2Fexample.org%2Fr", "/hub/login?next=%2Fhub%2Fuser-redirect%2Fgit-pull%3Frepo%3Dhttps%253A%252F%252Fexample.org%252Fr")]
    public async Task Page_WithoutLogin_RedirectsToLoginWithNext(string path, string location)
    {
        using var client = Client();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task PageInfo_WithoutLogin_IsAProblem()
    {
        using var client = Client();

        var response = await client.GetAsync("/hub/page-info");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task StaticScript_IsServedWithPolicyAndRevalidated_304WhenUnchanged()
    {
        using var client = Client();

        var first = await client.GetAsync("/hub/static/js/api.js");
        var again = new HttpRequestMessage(HttpMethod.Get, "/hub/static/js/api.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var second = await client.SendAsync(again);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/javascript", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", first.Headers.CacheControl?.ToString());
        Assert.Contains("script-src 'self'", first.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Theory]
    [InlineData("/hub/static/js/nothing-here.js")]
    [InlineData("/hub/static/%2e%2e/pages/home.html")]
    [InlineData("/hub/static/..%2Fpages%2Fhome.html")]
    [InlineData("/hub/static/js")]
    [InlineData("/hub/static/../README.md")]
    public async Task StaticFile_MissingOrOutsideStatic_Is404(string path)
    {
        using var client = Client();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void Pages_HaveNoInlineScriptOrStyle_SoTheStrictPolicyHolds()
    {
        var problems = new List<string>();
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.InRoot("web", "pages"), "*.html"))
        {
            string html = File.ReadAllText(file);
            foreach (Match script in ScriptTag().Matches(html))
            {
                if (!script.Value.Contains("src=", StringComparison.Ordinal))
                {
                    problems.Add($"{Path.GetFileName(file)}: inline script");
                }
            }
            if (InlineHandlerOrStyle().IsMatch(html))
            {
                problems.Add($"{Path.GetFileName(file)}: an on…= handler or style attribute");
            }
            if (html.Contains("http://", StringComparison.Ordinal) || html.Contains("https://", StringComparison.Ordinal))
            {
                problems.Add($"{Path.GetFileName(file)}: loads something from another site");
            }
        }
        Assert.Empty(problems);
    }

    [GeneratedRegex("<script[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex(@"\s(on[a-z]+|style)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandlerOrStyle();
}
