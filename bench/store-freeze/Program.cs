using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using StoreFreeze;

// A store freeze under load, against a running hub on 127.0.0.1 (bench/store-freeze.sh starts one): notebook requests
// through the gateway from closed-loop clients, and paced hub API requests, for a baseline period and then while the
// store's process is stopped with SIGSTOP. Prints both periods and the targets; exits non-zero when a request hung.
//
//   --gateway URL --user NAME --token TOKEN --store-pid PID
//   [--baseline 20] [--freeze 60] [--deadline 5] [--clients 2] [--api-interval 0.5]   (seconds)
var options = Options.Parse(args);
using var notebook = Client(options, options.Deadline + TimeSpan.FromSeconds(30));
using var api = Client(options, options.Deadline + TimeSpan.FromSeconds(30));
string notebookPath = $"/user/{options.User}/api/status";
string apiPath = $"/hub/api/users/{options.User}";

Console.WriteLine($"baseline {options.Baseline.TotalSeconds:0} s, then the store frozen {options.Freeze.TotalSeconds:0} s; {options.Clients} notebook clients, hub API every {options.ApiInterval.TotalMilliseconds:0} ms");
var before = await Period.RunAsync(notebook, notebookPath, api, apiPath, options, options.Baseline);
Signal(options.StorePid, "STOP");
Period during;
try
{
    during = await Period.RunAsync(notebook, notebookPath, api, apiPath, options, options.Freeze);
}
finally
{
    Signal(options.StorePid, "CONT");
}

double ratio = during.NotebookRate / before.NotebookRate;
var addedP99 = during.Notebook.Percentile(0.99) - before.Notebook.Percentile(0.99);
int overDeadline = during.Api.CountWhere(l => l > options.Deadline) + during.ApiHung;
// The deadline bounds the store call; the 503 follows it. Later than a second after it, a request waited on something else.
int hung = during.Api.CountWhere(l => l > options.Deadline + TimeSpan.FromSeconds(1)) + during.ApiHung;
Console.WriteLine();
Console.WriteLine("| Period | notebook req/s | notebook p50 | notebook p99 | notebook non-200 | hub API p50 | hub API p99 | hub API answers |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---|");
Console.WriteLine(before.Row("before the freeze"));
Console.WriteLine(during.Row("store frozen"));
Console.WriteLine();
Console.WriteLine($"notebook rate during the freeze: {ratio:P0} of before (target >= 90 %: {(ratio >= 0.9 ? "met" : "NOT met")})");
Console.WriteLine($"notebook p99 added: {addedP99.TotalMilliseconds:0} ms (target < 100 ms: {(addedP99 < TimeSpan.FromMilliseconds(100) ? "met" : "NOT met")})");
Console.WriteLine($"hub API p99 during the freeze: {during.Api.Percentile(0.99).TotalMilliseconds:0} ms against the deadline {options.Deadline.TotalMilliseconds:0} ms ({(during.Api.Percentile(0.99) <= options.Deadline ? "met" : "NOT met")})");
Console.WriteLine($"requests beyond the deadline: {overDeadline} (target 0: {(overDeadline == 0 ? "met" : "NOT met")}); more than 1 s beyond it or unanswered: {hung}");
return during.ApiHung + during.NotebookHung == 0 ? 0 : 1;

static HttpClient Client(Options options, TimeSpan timeout)
{
    var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false, MaxConnectionsPerServer = 64 })
    {
        BaseAddress = options.Gateway,
        Timeout = timeout,
    };
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", options.Token);
    return client;
}

static void Signal(int pid, string signal)
{
    using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
    kill.WaitForExit();
    if (kill.ExitCode != 0)
    {
        throw new InvalidOperationException($"kill -{signal} {pid} failed");
    }
}
