using System.Globalization;
using Hub.Core.Security;
using Hub.Core.Store;
using Hub.Gateway.Tests.Support;
using Hub.Testing;

namespace Hub.Gateway.Tests.Jupyter;

/// <summary>
/// A real Jupyter server (Debian's <c>jupyter-notebook</c>) as the hub starts one: on 127.0.0.1 and a free port, with
/// base URL <c>/user/{name}/</c> and the token the gateway derives, its home and Jupyter folders in a temporary
/// folder that is deleted afterwards.
/// </summary>
public sealed class JupyterServer : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _home;

    private JupyterServer(ChildProcess process, string home, Uri address)
    {
        _process = process;
        _home = home;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Starts <paramref name="user"/>'s default server with the token the gateway derives and routes it there.</summary>
    public static async Task<JupyterServer> StartRoutedAsync(RunningGateway gateway, string user)
    {
        string nonce = ServerTokens.NewNonce();
        var jupyter = await StartAsync(user, ServerTokens.Derive(gateway.SecretKey, new ServerKey(user, ""), nonce));
        await gateway.AddRouteAsync(user, jupyter.Address, nonce: nonce);
        return jupyter;
    }

    public static async Task<JupyterServer> StartAsync(string user, string token)
    {
        string home = Directory.CreateTempSubdirectory("hub-jupyter-").FullName;
        int port = FreePort.Next();
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = home,
            ["JUPYTER_CONFIG_DIR"] = Path.Combine(home, ".jupyter"),
            ["JUPYTER_DATA_DIR"] = Path.Combine(home, ".local", "share", "jupyter"),
            ["JUPYTER_RUNTIME_DIR"] = Path.Combine(home, ".runtime"),
            ["IPYTHONDIR"] = Path.Combine(home, ".ipython"),
            ["JUPYTER_TOKEN"] = null,
        };
        var process = ChildProcess.Start("jupyter-notebook",
        [
            "--no-browser",
            "--ip=127.0.0.1",
            "--port=" + port.ToString(CultureInfo.InvariantCulture),
            "--port-retries=0",
            "--NotebookApp.base_url=" + Hub.Core.Spawning.ServerUrls.BasePath(user, ""),
            "--NotebookApp.token=" + token,
            "--NotebookApp.notebook_dir=" + home,
            // CI runs as root; Jupyter refuses that unless told.
            .. (Environment.UserName == "root" ? new[] { "--allow-root" } : []),
        ], home, environment);
        try
        {
            await process.WaitForLineAsync(@"is running at|Use Control-C to stop", TimeSpan.FromSeconds(90));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
        return new JupyterServer(process, home, new Uri($"http://127.0.0.1:{port}"));
    }

    public string Output => _process.Output;

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
            // A kernel still closing its files; the temporary folder is cleaned by the OS eventually.
        }
    }
}
