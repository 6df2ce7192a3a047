using Hub.Core.Configuration;
using Hub.Core.Spawning.LocalProcess;
using Hub.Core.Store;
using Hub.Core.Usage;
using Microsoft.Extensions.Configuration;

namespace Hub.Core.Tests.Usage;

/// <summary>Local home sizes from a real folder; when a home is measured again; the setting's bad values.</summary>
public sealed class HomeStorageTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("hub-homes-");

    public void Dispose() => _root.Delete(recursive: true);

    private string HomeOf(string user) => Path.Combine(_root.FullName, user);

    private static void Write(string path, int bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[bytes]);
    }

    [Fact]
    public async Task LocalHome_IsTheSumOfItsFiles_WithoutFollowingLinks()
    {
        Write(Path.Combine(HomeOf("ada"), "notes.ipynb"), 1000);
        Write(Path.Combine(HomeOf("ada"), "data", "deep", "big.csv"), 250_000);
        Write(Path.Combine(_root.FullName, "elsewhere", "huge.bin"), 5_000_000);
        Directory.CreateSymbolicLink(Path.Combine(HomeOf("ada"), "linked-folder"), Path.Combine(_root.FullName, "elsewhere"));
        File.CreateSymbolicLink(Path.Combine(HomeOf("ada"), "linked-file"), Path.Combine(_root.FullName, "elsewhere", "huge.bin"));

        var use = await new LocalHomeStorage(HomeOf, TimeProvider.System).UseOfAsync("ada", CancellationToken.None);

        Assert.NotNull(use);
        Assert.Equal(251_000, use.UsedBytes);
        Assert.Null(use.QuotaBytes);
        Assert.True(use.Complete);
        Assert.False(use.IsNearlyFull);
    }

    [Fact]
    public async Task LocalHome_Missing_IsNull()
    {
        Assert.Null(await new LocalHomeStorage(HomeOf, TimeProvider.System).UseOfAsync("nobody", CancellationToken.None));
    }

    [Fact]
    public async Task LocalHome_TooLargeToAddUpInTime_IsALowerBound()
    {
        for (int i = 0; i < 600; i++)
        {
            Write(Path.Combine(HomeOf("bea"), "f" + i), 10);
        }

        var use = await new LocalHomeStorage(HomeOf, new LongPauses()).UseOfAsync("bea", CancellationToken.None);

        Assert.NotNull(use);
        Assert.False(use.Complete);
        Assert.Equal(2560, use.UsedBytes);
    }

    [Theory]
    [InlineData(null, false, false, false)]   // never measured, never active, nothing running: no home to measure
    [InlineData(null, true, false, true)]     // never measured, active once
    [InlineData(null, false, true, true)]     // never measured, running
    [InlineData(20, false, true, true)]       // measured 20 minutes ago, running
    [InlineData(5, false, true, false)]       // measured 5 minutes ago: not again within the interval
    [InlineData(20, false, false, false)]     // measured 20 minutes ago, nothing since
    [InlineData(20, true, false, true)]       // measured 20 minutes ago, active after
    public void IsDue_OnlyHomesThatMayHaveChanged_AtMostOncePerInterval(int? measuredMinutesAgo, bool activeAfter, bool running, bool due)
    {
        var now = new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
        var measured = measuredMinutesAgo is { } m ? now.AddMinutes(-m) : (DateTimeOffset?)null;
        var user = new UserRecord
        {
            Name = "cy",
            Created = now.AddDays(-10),
            HomeMeasured = measured,
            LastActivity = activeAfter ? now.AddMinutes(-1) : measured?.AddMinutes(-1),
        };

        Assert.Equal(due, HomeStorageSurvey.IsDue(user, running, now, TimeSpan.FromMinutes(15)));
    }

    [Fact]
    public void NearlyFull_From90PercentOfTheQuota()
    {
        Assert.True(new HomeStorageUse(900, 1000).IsNearlyFull);
        Assert.False(new HomeStorageUse(899, 1000).IsNearlyFull);
        Assert.False(new HomeStorageUse(900, null).IsNearlyFull);
    }

    [Theory]
    [InlineData("00:00:30", "HomeStorage__RefreshInterval must be 0 (off) or at least 1 minute")]
    [InlineData("-00:05:00", "HomeStorage__RefreshInterval must be 0 (off) or at least 1 minute")]
    public void RefreshInterval_BadValues_AreNamed(string value, string expected)
    {
        var settings = new AppSettings(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["HomeStorage:RefreshInterval"] = value }).Build());

        settings.Add<HomeStorageOptions>();

        Assert.Contains(settings.Problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void RefreshInterval_ZeroTurnsMeasuringOff()
    {
        var problems = new SettingsProblems();
        var off = new HomeStorageOptions { RefreshInterval = TimeSpan.Zero };
        off.Validate(problems);
        Assert.False(problems.Any);
        Assert.False(off.Enabled);
        Assert.True(new HomeStorageOptions().Enabled);
    }

    /// <summary>A clock on which every reading is longer than the walk's time limit after the last: the first check stops it.</summary>
    private sealed class LongPauses : TimeProvider
    {
        private long _ticks;

        public override long GetTimestamp() => Interlocked.Add(ref _ticks, (LocalHomeStorage.TimeLimit + TimeSpan.FromSeconds(1)).Ticks);

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    }
}
