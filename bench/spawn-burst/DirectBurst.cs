using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Hub.Core.Spawning;
using Hub.Core.Spawning.LocalProcess;
using Hub.Core.Store;

namespace SpawnBurst;

/// <summary>
/// The local burst's baseline, without the hub: the same users press at the same moments, and each press starts the
/// hub's default Jupyter command directly, as the hub's launcher does (a session of its own, output to a file, the
/// same minimal environment, a fresh home, a free port), then polls Jupyter's status with its token every 250 ms, as
/// the hub's readiness probe does. No control plane, no table storage, no queue: the difference to the hub's burst is
/// the hub's own cost, and the time itself is what 50 Jupyter processes starting on this machine cost.
/// </summary>
internal sealed class DirectBurst(BurstOptions options, int run)
{
    private static readonly TimeSpan ProbeInterval = ServerReconciler.ProbeInterval;

    public async Task<RunResult> RunAsync()
    {
        string data = Directory.CreateTempSubdirectory("hub-burst-direct-").FullName;
        var users = PressSchedule.Users(options);
        var offsets = PressSchedule.Offsets(options, run);
        var processes = new ConcurrentBag<Process>();
        var presses = new ConcurrentDictionary<string, DateTimeOffset>();
        var ready = new ConcurrentDictionary<string, DateTimeOffset>();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var start = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
        var deadline = start + options.Window + options.Timeout;
        var clock = Stopwatch.StartNew();
        using var progress = new Timer(_ => Console.Error.Write($"\r  run {run + 1} (direct): {clock.Elapsed.TotalSeconds,5:0}s  pressed {presses.Count,5}  running {ready.Count,5}   "),
            null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        try
        {
            await Task.WhenAll(users.Select(async user =>
            {
                var due = start + offsets[user] - DateTimeOffset.UtcNow;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }
                presses[user] = DateTimeOffset.UtcNow;
                var server = new ServerKey(user, "");
                string token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
                int port = FreeLoopbackPort();
                processes.Add(Process.Start(Launch(data, server, token, port))!);
                var status = new Uri($"http://127.0.0.1:{port}{ServerUrls.StatusPath(server)}");
                while (DateTimeOffset.UtcNow < deadline)
                {
                    if (await AnswersAsync(client, status, token))
                    {
                        ready[user] = DateTimeOffset.UtcNow;
                        return;
                    }
                    await Task.Delay(ProbeInterval);
                }
            }));
        }
        finally
        {
            Console.Error.WriteLine();
            foreach (var process in processes)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }
            }
            foreach (var process in processes)
            {
                using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await process.WaitForExitAsync(exited.Token);
                process.Dispose();
            }
            Directory.Delete(data, recursive: true);
        }
        return new RunResult { Users = users.Count, Start = start, Presses = new Dictionary<string, DateTimeOffset>(presses), Ready = new Dictionary<string, DateTimeOffset>(ready) };
    }

    private static ProcessStartInfo Launch(string data, ServerKey server, string token, int port)
    {
        string home = Path.Combine(data, "homes", server.User), runtime = Path.Combine(data, "runtime", server.User);
        Directory.CreateDirectory(home);
        Directory.CreateDirectory(runtime);
        var values = new Dictionary<string, string>
        {
            ["{ip}"] = "127.0.0.1",
            ["{port}"] = port.ToString(CultureInfo.InvariantCulture),
            ["{base_url}"] = ServerUrls.BasePath(server),
            ["{home}"] = home,
            ["{user}"] = server.User,
            ["{server}"] = server.Server,
        };
        var info = new ProcessStartInfo("setsid") { UseShellExecute = false, WorkingDirectory = home };
        foreach (var argument in (string[])["/bin/sh", "-c", "exec \"$@\" </dev/null >>\"$HOME/../jupyter-$JUPYTERHUB_USER.log\" 2>&1", "jupyter-server"])
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var argument in new LocalProcessOptions().CommandArguments)
        {
            info.ArgumentList.Add(values.Aggregate(argument, (text, value) => text.Replace(value.Key, value.Value, StringComparison.Ordinal)));
        }
        string path = info.Environment["PATH"] ?? "/usr/bin:/bin";
        info.Environment.Clear();
        info.Environment["PATH"] = path;
        info.Environment["HOME"] = home;
        info.Environment["JUPYTER_TOKEN"] = token;
        info.Environment["JUPYTER_RUNTIME_DIR"] = runtime;
        info.Environment["JUPYTERHUB_USER"] = server.User;
        return info;
    }

    private static async Task<bool> AnswersAsync(HttpClient client, Uri status, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, status) { Headers = { Authorization = new AuthenticationHeaderValue("token", token) } };
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
