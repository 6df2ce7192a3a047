using System.Diagnostics;
using System.Net;
using Hub.Core.Store;
using Hub.Gateway.Tests.Jupyter;
using Hub.Gateway.Tests.Support;
using Hub.Testing;

namespace Hub.Gateway.Tests.Faults;

/// <summary>
/// <c>Gateway__StaleCredentialWindow=0</c>: while the store is frozen, a session the gateway validated a moment before
/// is not served from memory once its cached check expires; it gets a quick 503 with <c>Retry-After</c>, and works again
/// when the store is back.
/// </summary>
public sealed class StaleWindowOffTests : IAsyncLifetime
{
    /// <summary>A request that waited for the store would take the whole freeze; a refusal comes within the lookup timeout.</summary>
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(4);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private OwnStoreGateway _stack = null!;

    public async Task InitializeAsync() =>
        _stack = await OwnStoreGateway.StartAsync("carol",
            new Dictionary<string, string?> { ["Gateway:StaleCredentialWindow"] = "0" });

    [Fact]
    public async Task StoreFrozen_WindowOff_KnownSessionGetsQuick503NotStaleService()
    {
        using var carol = _stack.Gateway.CreateClient(_stack.Session);
        var warm = await carol.GetAsync("/user/carol/api/status");
        Assert.True(warm.StatusCode == HttpStatusCode.OK, $"before the freeze: {(int)warm.StatusCode}\n{_stack.Jupyter.Output}");

        var slowest = TimeSpan.Zero;
        HttpResponseMessage? refused = null;
        HttpStatusCode after;
        using (_stack.Azurite.Freeze())
        {
            // Within Gateway__CredentialCacheDuration the fresh check is reused; after it, the store must be asked.
            var since = Stopwatch.StartNew();
            while (refused is null && since.Elapsed < Patience)
            {
                long started = Stopwatch.GetTimestamp();
                var response = await carol.GetAsync("/user/carol/api/status");
                var elapsed = Stopwatch.GetElapsedTime(started);
                slowest = elapsed > slowest ? elapsed : slowest;
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    refused = response;
                }
                else
                {
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    await Task.Delay(TimeSpan.FromMilliseconds(200));
                }
            }
            after = (await carol.GetAsync("/user/carol/api/status")).StatusCode;
        }

        Assert.True(refused is not null, $"no 503 within {Patience} of the freeze: the known session was served stale");
        Assert.True(slowest < Quick, $"the slowest request during the freeze took {slowest}");
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, after);
        await Eventually.UntilAsync(async () => (await carol.GetAsync("/user/carol/api/status")).StatusCode == HttpStatusCode.OK,
            Patience, "the session to work again once the store is back");
    }

    public async Task DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }
}
