using Hub.Core.Auth;

namespace Hub.Core.Tests.Auth;

public sealed class LoginRateLimiterTests
{
    private static readonly AuthOptions Options = new() { FailedLoginLimitPerUser = 3, FailedLoginLimitPerClient = 5, FailedLoginWindow = TimeSpan.FromMinutes(5) };

    [Fact]
    public void RetryAfter_UserLimitReached_WaitsUntilWindowEnds()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var limiter = new LoginRateLimiter(Options, time);
        for (int i = 0; i < 3; i++)
        {
            Assert.Null(limiter.RetryAfter("alice", "10.0.0.1"));
            limiter.RecordFailure("alice", "10.0.0." + i);
        }

        Assert.Equal(TimeSpan.FromMinutes(5), limiter.RetryAfter("alice", "10.0.0.9"));
        Assert.Null(limiter.RetryAfter("bob", "10.0.0.9"));
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(limiter.RetryAfter("alice", "10.0.0.9"));
    }

    [Fact]
    public void RetryAfter_ClientLimitReached_AnyUserName()
    {
        var limiter = new LoginRateLimiter(Options, new ManualTime(DateTimeOffset.UnixEpoch));
        for (int i = 0; i < 5; i++)
        {
            limiter.RecordFailure("user" + i, "10.0.0.1");
        }

        Assert.NotNull(limiter.RetryAfter("someone-new", "10.0.0.1"));
        Assert.Null(limiter.RetryAfter("someone-new", "10.0.0.2"));
    }
}
