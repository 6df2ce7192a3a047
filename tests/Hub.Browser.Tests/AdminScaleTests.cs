using System.Diagnostics;
using System.Globalization;
using Hub.Browser.Tests.Support;
using Hub.Core.Store;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Hub.Browser.Tests;

/// <summary>
/// The admin page with a large class: 5,000 users in 50 groups of 100, searched, sorted, paged and narrowed to one
/// group by the API one page at a time.
/// </summary>
[Collection(HubStackCollection.Name)]
public sealed class AdminScaleTests(HubStack hub, ITestOutputHelper output)
{
    private const int ClassSize = 5000;
    private const int Groups = 50;

    /// <summary>Generous for a shared 2-core machine; what matters is that a page does not grow with the class.</summary>
    private static readonly TimeSpan Fast = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task AdminPage_With5000Users_SearchesSortsAndPagesQuickly()
    {
        await SeedAsync();
        using var client = await AdminClientAsync();
        var apiMedian = await MedianAsync(client, "/hub/api/users?limit=50&offset=100&sort=-last_activity&name_filter=s&include_stopped_servers=1");
        var groupsMedian = await MedianAsync(client, "/hub/api/groups?limit=200");
        var groupMedian = await MedianAsync(client, "/hub/api/users?limit=50&group=course-7&sort=name&include_stopped_servers=1");
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();
        await PageSteps.SignInToHomeAsync(page, HubStack.Admin);

        var opened = Stopwatch.StartNew();
        await page.GotoAsync("/hub/admin");
        await Expect(page.Locator("#rows tr")).ToHaveCountAsync(50);
        opened.Stop();
        string range = await page.Locator("#range").TextContentAsync() ?? "";

        var searched = Stopwatch.StartNew();
        await page.GetByLabel("Search by name").FillAsync("s4999");
        await Expect(page.Locator("#rows tr")).ToHaveCountAsync(1);
        searched.Stop();
        await Expect(page.Locator("#rows tr").First).ToHaveAttributeAsync("data-user", "s4999");

        await page.GetByLabel("Search by name").FillAsync("s1");
        await Expect(page.Locator("#range")).ToHaveTextAsync("Showing 1–50 of 1111 users");
        var sorted = Stopwatch.StartNew();
        await page.GetByRole(AriaRole.Button, new() { Name = "Name" }).ClickAsync();
        await Expect(page.Locator("#rows tr").First).ToHaveAttributeAsync("data-user", "s1999");
        sorted.Stop();
        var paged = Stopwatch.StartNew();
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Expect(page.Locator("#range")).ToHaveTextAsync("Showing 51–100 of 1111 users");
        paged.Stop();
        await HubStack.ScreenshotAsync(page, "admin-5000-users");

        await page.GetByLabel("Search by name").FillAsync("");
        await Expect(page.Locator("#range")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Showing 1–50 of \d{4,} users$"));
        await Expect(page.Locator("#group-filter option[value='course-7']")).ToHaveTextAsync("course-7 (100)");
        var classed = Stopwatch.StartNew();
        await page.GetByLabel("Class (group)").SelectOptionAsync("course-7");
        await Expect(page.Locator("#range")).ToHaveTextAsync("Showing 1–50 of 100 users");
        classed.Stop();
        await Expect(page.Locator("#all-count")).ToHaveTextAsync("100");

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{ClassSize}+ users in {Groups} groups: API (median of 5) users page {apiMedian.TotalMilliseconds:0} ms, groups list {groupsMedian.TotalMilliseconds:0} ms, one group's page {groupMedian.TotalMilliseconds:0} ms; "
            + $"in the browser: open {opened.ElapsedMilliseconds} ms, search {searched.ElapsedMilliseconds} ms, sort {sorted.ElapsedMilliseconds} ms, next page {paged.ElapsedMilliseconds} ms, choose a class {classed.ElapsedMilliseconds} ms"));
        Assert.Matches(@"^Showing 1–50 of \d{4,} users$", range);
        Assert.InRange(apiMedian, TimeSpan.Zero, Fast);
        Assert.InRange(groupsMedian, TimeSpan.Zero, Fast);
        Assert.InRange(groupMedian, TimeSpan.Zero, Fast);
        Assert.InRange(classed.Elapsed, TimeSpan.Zero, Fast);
        Assert.InRange(opened.Elapsed, TimeSpan.Zero, Fast);
        Assert.InRange(searched.Elapsed, TimeSpan.Zero, Fast);
        Assert.InRange(sorted.Elapsed, TimeSpan.Zero, Fast);
        Assert.InRange(paged.Elapsed, TimeSpan.Zero, Fast);
    }

    /// <summary>An API client of an admin, through the gateway, asking for JupyterHub's pagination.</summary>
    private async Task<HttpClient> AdminClientAsync()
    {
        string token = Hub.Core.Security.SecretHash.NewSecret();
        await hub.Store.Users.CreateAsync(new UserRecord { Name = "scale-admin", Admin = true, Created = DateTimeOffset.UtcNow });
        await hub.Store.Tokens.CreateAsync(new TokenRecord
        {
            Hash = Hub.Core.Security.SecretHash.Of(token), Id = "scale", User = "scale-admin", Scopes = ["inherit"], Created = DateTimeOffset.UtcNow,
        });
        var client = new HttpClient { BaseAddress = hub.Address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("Authorization", "token " + token);
        client.DefaultRequestHeaders.Add("Accept", "application/jupyterhub-pagination+json");
        return client;
    }

    /// <summary>The median time of an API call behind the admin page, of five.</summary>
    private static async Task<TimeSpan> MedianAsync(HttpClient client, string path)
    {
        var times = new List<TimeSpan>();
        for (int i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            var response = await client.GetAsync(path);
            times.Add(watch.Elapsed);
            Assert.Equal(200, (int)response.StatusCode);
        }
        return times.Order().ElementAt(2);
    }

    /// <summary>Users s0 … s4999 in groups course-0 … course-49 (by the number's remainder), sixteen writes at a time.</summary>
    private async Task SeedAsync()
    {
        var created = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(Enumerable.Range(0, ClassSize), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, cancellationToken) =>
            await hub.Store.Users.CreateAsync(new UserRecord
            {
                Name = "s" + i.ToString(CultureInfo.InvariantCulture),
                Created = created,
                Groups = ["course-" + (i % Groups).ToString(CultureInfo.InvariantCulture)],
            }, cancellationToken));
    }
}
