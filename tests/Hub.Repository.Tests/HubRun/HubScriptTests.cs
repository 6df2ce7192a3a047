using Hub.Testing;

namespace Hub.Repository.Tests.HubRun;

/// <summary>The <c>hub</c> developer script itself.</summary>
public sealed class HubScriptTests
{
    [Fact]
    public async Task Script_PassesShellcheck()
    {
        // ./hub setup installs shellcheck (DEBIAN_PACKAGES), so CI always has it.
        await using var shellcheck = ChildProcess.Start("shellcheck", ["--severity=style", RepositoryPaths.InRoot("hub")], RepositoryPaths.Root);

        int code = await shellcheck.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(code == 0, shellcheck.Output);
    }
}
