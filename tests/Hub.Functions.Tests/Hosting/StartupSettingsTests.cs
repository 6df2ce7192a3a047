using Hub.Testing;

namespace Hub.Functions.Tests.Hosting;

/// <summary>The real control-plane process, started with bad app settings.</summary>
public sealed class StartupSettingsTests
{
    private static string AppDll
    {
        get
        {
            // The test runs from tests/Hub.Functions.Tests/bin/{Configuration}/net10.0/; the app was built alongside.
            string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            return RepositoryPaths.InRoot("functions", "Hub.Functions", "bin", configuration, "net10.0", "Hub.Functions.dll");
        }
    }

    [Fact]
    public async Task Start_SeveralBadSettings_ReportsEveryOneAndExits()
    {
        var environment = new Dictionary<string, string?>
        {
            ["Storage__TablePrefix"] = "9lives",
            ["Storage__ConnectionString"] = "AccountName=x;AccountKey=c2VjcmV0LWtleQ==;TableEndpoint=nonsense",
            ["Storage__TablePrefx"] = "typo",
            ["Users__NamePattern"] = "([a-z]",
            ["ControlPlane__ListenUrl"] = "https://127.0.0.1:8443/hub",
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "eighty",
        };
        await using var process = ChildProcess.Start("dotnet", [AppDll], Path.GetTempPath(), environment);

        int exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        string output = process.Output;
        Assert.Contains("Storage__TablePrefix must be a letter", output, StringComparison.Ordinal);
        Assert.Contains("Storage__ConnectionString is not a usable storage connection string", output, StringComparison.Ordinal);
        Assert.Contains("Storage__TablePrefx is not a setting this app reads (did you mean Storage__TablePrefix?)", output, StringComparison.Ordinal);
        Assert.Contains("Users__NamePattern is not a valid regular expression", output, StringComparison.Ordinal);
        Assert.Contains("ControlPlane__ListenUrl must be an http URL", output, StringComparison.Ordinal);
        Assert.Contains("FUNCTIONS_CUSTOMHANDLER_PORT must be a whole number, not 'eighty'", output, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0LWtleQ==", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_FunctionsHostPort_ListensThere()
    {
        int port = FreePort.Next();
        await using var process = ChildProcess.Start("dotnet", [AppDll], Path.GetTempPath(), new Dictionary<string, string?>
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Storage__ConnectionString"] = $"AccountName=devstoreaccount1;AccountKey=AAAA;TableEndpoint=http://127.0.0.1:{FreePort.Next()}/devstoreaccount1",
        });

        await process.WaitForLineAsync($@"Control plane listening on http://127\.0\.0\.1:{port}", TimeSpan.FromSeconds(60));
        using var client = new HttpClient();
        var response = await client.GetAsync($"http://127.0.0.1:{port}/hub/health");

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }
}
