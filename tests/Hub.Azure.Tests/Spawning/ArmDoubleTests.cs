using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hub.ArmDouble;

namespace Hub.Azure.Tests.Spawning;

/// <summary>The ARM double refuses what real ARM would refuse, so that tests passing against it mean something.</summary>
public sealed class ArmDoubleTests : IAsyncLifetime
{
    private const string GoodGroup = """
        {"location":"westeurope","properties":{"osType":"Linux","containers":[{"name":"c","properties":{"image":"i",
        "resources":{"requests":{"cpu":1,"memoryInGB":1.5}}}}]}}
        """;

    private ArmDouble.ArmDouble _arm = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _arm = await ArmDouble.ArmDouble.StartAsync();
        _client = new HttpClient { BaseAddress = _arm.Endpoint };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "test");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _arm.DisposeAsync();
    }

    private Task<HttpResponseMessage> PutGroupAsync(string name, string body, string apiVersion = "2025-09-01") =>
        _client.PutAsync($"{ArmDouble.ArmDouble.GroupResourcePath(name)}?api-version={apiVersion}", new StringContent(body, Encoding.UTF8, "application/json"));

    private static async Task<string> ErrorCodeAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("error").GetProperty("code").GetString()!;
    }

    [Fact]
    public async Task Put_ValidBody_Is201WithLocationAndRetryAfter()
    {
        var response = await PutGroupAsync("ok", GoodGroup);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.NotNull(response.Headers.Location);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Empty(_arm.Problems);
    }

    [Fact]
    public async Task Put_MisspeltProperty_Is400NamingIt()
    {
        string misspelt = GoodGroup.Replace("memoryInGB", "memoryInGb", StringComparison.Ordinal);

        var response = await PutGroupAsync("typo", misspelt);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InvalidRequestContent", await ErrorCodeAsync(response));
        string body = await response.Content.ReadAsStringAsync();
        Assert.Contains("memoryInGb", body, StringComparison.Ordinal);
        Assert.Contains("memoryInGB", body, StringComparison.Ordinal); // the required property that is missing
        Assert.Single(_arm.Problems);
        Assert.Empty(_arm.GroupNames);
    }

    [Theory]
    [InlineData("""{"location":"westeurope","properties":{}}""")] // no containers
    [InlineData("""{"location":"westeurope","properties":{"containers":[{"name":"c","properties":{"image":"i","resources":{"requests":{"cpu":"one","memoryInGB":1}}}}]}}""")]
    [InlineData("""{"location":"westeurope","properties":{"containers":[],"ipAddress":{"type":"Public"}}}""")] // ports required
    public async Task Put_BodyOffTheSpec_Is400(string body)
    {
        var response = await PutGroupAsync("bad", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty(_arm.Problems);
    }

    [Fact]
    public async Task Put_ShareWithUnknownProperty_Is400()
    {
        var response = await _client.PutAsync(
            $"/subscriptions/{ArmDouble.ArmDouble.SubscriptionId}/resourceGroups/{ArmDouble.ArmDouble.ResourceGroup}/providers/Microsoft.Storage/storageAccounts/{ArmDouble.ArmDouble.StorageAccount}/fileServices/default/shares/hub-x?api-version=2025-01-01",
            new StringContent("""{"properties":{"quotaGiB":10}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_arm.Shares);
    }

    [Theory]
    [InlineData("Bad_Name")]
    [InlineData("-leading")]
    [InlineData("double--hyphen")]
    public async Task Put_InvalidGroupName_Is400(string name)
    {
        var response = await PutGroupAsync(name, GoodGroup);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Request_WithoutBearerOrWithUnknownApiVersion_IsRefused()
    {
        using var anonymous = new HttpClient { BaseAddress = _arm.Endpoint };
        var unauthenticated = await anonymous.GetAsync(ArmDouble.ArmDouble.GroupResourcePath("x") + "?api-version=2025-09-01");
        var badVersion = await PutGroupAsync("x", GoodGroup, apiVersion: "2019-01-01");

        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badVersion.StatusCode);
        Assert.Equal("InvalidApiVersionParameter", await ErrorCodeAsync(badVersion));
    }

    [Fact]
    public async Task Writes_OverTheBucket_Are429WithRetryAfter()
    {
        _arm.Configure(_arm.Options with { Writes = new BucketLimits(2, 1) });

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        foreach (var name in new[] { "w1", "w2", "w3" })
        {
            last = await PutGroupAsync(name, GoodGroup);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, (HttpStatusCode)429], statuses);
        Assert.Equal(TimeSpan.FromSeconds(1), last!.Headers.RetryAfter!.Delta);
        Assert.Equal("0", last.Headers.GetValues("x-ms-ratelimit-remaining-subscription-writes").Single());
    }

    [Fact]
    public async Task Delete_MissingGroup_Is204()
    {
        var response = await _client.DeleteAsync(ArmDouble.ArmDouble.GroupResourcePath("never") + "?api-version=2025-09-01");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }
}
