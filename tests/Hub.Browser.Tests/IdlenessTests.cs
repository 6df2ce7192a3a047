using System.Text.Json;
using System.Text.RegularExpressions;
using Hub.Browser.Tests.Support;
using Hub.Core.Culling;
using Hub.Core.Store;
using Hub.Functions.Culling;
using Hub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hub.Browser.Tests;

/// <summary>
/// Idleness that means a person, in Chromium against real Jupyter servers through the gateway: one student leaves the
/// notebook tree open with an idle kernel, another leaves a cell running (<c>time.sleep</c>). Counting what a person
/// does, the first server is culled and the second kept; counting traffic, both are kept.
/// </summary>
/// <remarks>
/// Bounded: the classic tree page polls once a minute, so each tab is told to poll every 2 s (as JupyterLab's pages
/// poll within seconds); the cull run is the app's own job built from the control plane's services, with an idle
/// timeout of 2 minutes and a clock <see cref="Shift"/> ahead, so "idle" means no counted activity in the last
/// <see cref="Quiet"/> of real time: the test waits that long after the students' last action (while the tabs poll),
/// not minutes. The activity source is switched on the running gateway's and job's options (tests of a collection run
/// one at a time), as the setting would be at startup.
/// </remarks>
[Collection(HubStackCollection.Name)]
public sealed class IdlenessTests(HubStack hub)
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Real quiet after the last person's action before the culler runs; the tabs poll every 2 s meanwhile.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(20);

    /// <summary>The culler's clock is this far ahead: activity older than <see cref="Quiet"/> looks idle, polling within the last few seconds does not.</summary>
    private static readonly TimeSpan Shift = IdleTimeout - TimeSpan.FromSeconds(10);

    [Fact]
    public async Task CountingUserActivity_OpenTreeWithIdleKernelIsCulled_RunningCellIsKept()
    {
        var (idle, busy) = await LeaveTabsOpenAsync(ActivitySource.User, "idler-u", "runner-u");

        Assert.Equal(ServerDesiredState.Stopped, idle.Desired);
        Assert.Equal(ServerDesiredState.Running, busy.Desired);
        Assert.Equal(ActivityKind.KernelBusy, busy.LastActivityKind);
    }

    [Fact]
    public async Task CountingTraffic_OpenTreeWithIdleKernelIsKept_RunningCellIsKept()
    {
        var (idle, busy) = await LeaveTabsOpenAsync(ActivitySource.Traffic, "idler-t", "runner-t");

        Assert.Equal(ServerDesiredState.Running, idle.Desired);
        Assert.Equal(ServerDesiredState.Running, busy.Desired);
        Assert.Equal(ActivityKind.Traffic, idle.LastActivityKind);
    }

    /// <returns>Both servers' records after one cull run.</returns>
    private async Task<(ServerRecord Idle, ServerRecord Busy)> LeaveTabsOpenAsync(ActivitySource source, string idler, string runner)
    {
        var gatewayOptions = hub.Gateway.GetRequiredService<CullerOptions>();
        var before = gatewayOptions.ActivitySource;
        gatewayOptions.ActivitySource = source;
        try
        {
            await using var idleContext = await hub.NewContextAsync();
            var tree = await StartServerAsync(idleContext, idler);
            // An idle kernel, started as the tree's "New" menu would (a POST through the gateway).
            string kernel = await tree.EvaluateAsync<string>(
                "async (user) => (await (await fetch(`/user/${user}/api/kernels`, { method: 'POST', body: '{}' })).json()).id", idler);
            Assert.False(string.IsNullOrEmpty(kernel));
            int polls = 0;
            tree.Request += (_, request) =>
            {
                if (request.Method == "GET" && request.Url.Contains($"/user/{idler}/api/sessions", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref polls);
                }
            };
            await PollEveryTwoSecondsAsync(tree);

            await using var busyContext = await hub.NewContextAsync();
            var runnerTree = await StartServerAsync(busyContext, runner);
            await PollEveryTwoSecondsAsync(runnerTree);
            var notebook = await busyContext.RunAndWaitForPageAsync(async () =>
            {
                await runnerTree.Locator("#new-dropdown-button").ClickAsync();
                await runnerTree.Locator("#kernel-python3 a").ClickAsync();
            });
            await Expect(notebook.Locator("#kernel_indicator_icon.kernel_idle_icon")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await notebook.Locator(".cell .CodeMirror").First.ClickAsync();
            await notebook.Keyboard.TypeAsync("import time; time.sleep(600)");
            await notebook.Keyboard.PressAsync("Shift+Enter");
            await Expect(notebook.Locator("#kernel_indicator_icon.kernel_busy_icon")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            var lastAction = DateTimeOffset.UtcNow;
            if (source == ActivitySource.User)
            {
                await Eventually.UntilAsync(async () => (await hub.ServerAsync(runner))?.LastActivityKind == ActivityKind.Execute,
                    TimeSpan.FromSeconds(20), "the cell run to be recorded as execute");
            }

            // The students walk away: the tabs keep polling, the cell keeps running.
            int pollsBefore = Volatile.Read(ref polls);
            await Eventually.UntilAsync(() => Task.FromResult(DateTimeOffset.UtcNow - lastAction >= Quiet && Volatile.Read(ref polls) >= pollsBefore + 3),
                Quiet + TimeSpan.FromSeconds(30), "the tabs to poll while nobody works");
            await HubStack.ScreenshotAsync(tree, $"idle-tree-{source.ToString().ToLowerInvariant()}");

            var options = new CullerOptions { IdleTimeout = IdleTimeout, ActivitySource = source };
            var job = ActivatorUtilities.CreateInstance<CullIdleJob>(hub.ControlPlane, options, new ShiftedTimeProvider(Shift));
            var lines = (await job.CullAsync(CancellationToken.None)).ToLines();

            var idleServer = (await hub.ServerAsync(idler))!;
            var busyServer = (await hub.ServerAsync(runner))!;
            Assert.True(idleServer.Desired == (source == ActivitySource.User ? ServerDesiredState.Stopped : ServerDesiredState.Running),
                $"{idler} with {source}: {JsonSerializer.Serialize(idleServer.LastActivityKind)} at {idleServer.LastActivity:O}; run: {string.Join(" ", lines)}");
            return (idleServer, busyServer);
        }
        finally
        {
            gatewayOptions.ActivitySource = before;
            foreach (var user in new[] { idler, runner })
            {
                if (await hub.ServerAsync(user) is { Desired: ServerDesiredState.Running } running)
                {
                    await hub.Lifecycle.BeginStopAsync(running.Key, CancellationToken.None);
                }
            }
        }
    }

    /// <summary>Signs in, starts the default server from the home page and waits for Jupyter's tree.</summary>
    private async Task<IPage> StartServerAsync(IBrowserContext context, string user)
    {
        var page = await context.NewPageAsync();
        await PageSteps.SignInToHomeAsync(page, user);
        await page.GetByRole(AriaRole.Button, new() { Name = "Start my server" }).ClickAsync();
        await page.WaitForURLAsync(new Regex($"^{hub.Origin}/user/{user}/tree"), new() { Timeout = 120_000 });
        await Expect(page.Locator("#notebook_list")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>The classic tree polls once a minute; it reads its interval each time its refresh is switched back on (on focus).</summary>
    private static Task PollEveryTwoSecondsAsync(IPage tree) =>
        tree.EvaluateAsync("() => { IPython.tree_time_refresh = 2; window.dispatchEvent(new Event('blur')); window.dispatchEvent(new Event('focus')); }");
}
