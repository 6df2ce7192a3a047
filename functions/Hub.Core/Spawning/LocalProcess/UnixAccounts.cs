using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Hub.Core.Users;
using Microsoft.Extensions.Logging;

namespace Hub.Core.Spawning.LocalProcess;

/// <summary>A Unix account a user's servers run as.</summary>
internal sealed record UnixAccount(string Name, int Uid, int Gid);

/// <summary>
/// One unprivileged Unix account per hub user, <c>{prefix}{slug}</c>, created with <c>useradd</c> on the user's first
/// start and kept afterwards (as JupyterHub's local spawners and TLJH do), so that one student's code cannot read
/// another's home or the hub's files. Only root can create accounts and switch to them; the spawner decides whether to
/// (see <see cref="LocalProcessOptions.UserAccounts"/>).
/// </summary>
internal sealed partial class UnixAccounts(string prefix, ILogger logger)
{
    /// <summary>The longest account name useradd accepts.</summary>
    public const int MaxNameLength = 32;

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    // useradd locks /etc/passwd and fails rather than waits when another holds it: one creation at a time here.
    private static readonly SemaphoreSlim Creating = new(1, 1);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    /// <summary>Whether this process runs as root (and so could, and must, run servers as other accounts).</summary>
    public static bool ProcessIsRoot => OperatingSystem.IsLinux() && GetEffectiveUserId() == 0;

    /// <summary>The tools account handling needs that are missing from this machine (empty when all are there).</summary>
    public static IReadOnlyList<string> MissingTools() =>
        new[] { "useradd", "setpriv", "getent", "chown", "stat" }.Where(tool => FindTool(tool) is null).ToList();

    /// <summary>The account name of <paramref name="user"/>: the prefix and the user's slug, within 32 characters.</summary>
    public string NameOf(string user) => prefix + ResourceNames.ForUser(user, MaxNameLength - prefix.Length);

    /// <summary>The user's account, created if it does not exist yet.</summary>
    /// <exception cref="InvalidOperationException">The account cannot be made or is not fit to run a server (with why).</exception>
    public async Task<UnixAccount> EnsureAsync(string user, CancellationToken cancellationToken)
    {
        string name = NameOf(user);
        var account = await LookUpAsync(name, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            await Creating.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                account = await CreateAsync(name, cancellationToken).ConfigureAwait(false);
                AccountLog.Created(logger, name, UserNamePolicy.Shorten(user), account.Uid);
            }
            finally
            {
                Creating.Release();
            }
        }
        if (account.Uid == 0 || account.Gid == 0)
        {
            throw new InvalidOperationException($"the Unix account '{name}' exists with user or group id 0 (root), so it cannot run a student's server");
        }
        return account;
    }

    /// <summary>Gives <paramref name="path"/> and everything under it to the account, symbolic links themselves rather than what they name.</summary>
    public static async Task ChownTreeAsync(string path, UnixAccount account, CancellationToken cancellationToken)
    {
        var (exit, _, error) = await RunAsync("chown", ["-R", "-P", "-h", $"{account.Uid}:{account.Gid}", "--", path], cancellationToken).ConfigureAwait(false);
        if (exit != 0)
        {
            throw new InvalidOperationException($"could not give {path} to the account {account.Name}: {error.Trim()}");
        }
    }

    /// <summary>The owner's user id of <paramref name="path"/> (not following a symbolic link), or null when it cannot be read.</summary>
    public static async Task<int?> OwnerOfAsync(string path, CancellationToken cancellationToken)
    {
        var (exit, output, _) = await RunAsync("stat", ["-c", "%u", "--", path], cancellationToken).ConfigureAwait(false);
        return exit == 0 && int.TryParse(output.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int uid) ? uid : null;
    }

    private static async Task<UnixAccount> CreateAsync(string name, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            // Created meanwhile by another control plane on this machine: use it.
            if (await LookUpAsync(name, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return existing;
            }
            // The home in the account database stays /nonexistent: the spawner sets HOME, and one account serves
            // whatever data folder the hub uses.
            var (exit, _, error) = await RunAsync("useradd",
                ["--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", "--user-group", "--comment", "Serverless Hub user", "--", name],
                cancellationToken).ConfigureAwait(false);
            if (exit == 0 && await LookUpAsync(name, cancellationToken).ConfigureAwait(false) is { } created)
            {
                return created;
            }
            // Exit codes 1 and 10: the password or group file was locked by someone else; worth another try.
            if (exit is not (1 or 10) || attempt == 5)
            {
                throw new InvalidOperationException($"useradd could not create the Unix account '{name}' (exit {exit}): {error.Trim()}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<UnixAccount?> LookUpAsync(string name, CancellationToken cancellationToken)
    {
        var (exit, output, _) = await RunAsync("getent", ["passwd", "--", name], cancellationToken).ConfigureAwait(false);
        // name:password:uid:gid:comment:home:shell
        var fields = output.Trim().Split(':');
        return exit == 0 && fields.Length >= 4 && fields[0] == name
            && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out int uid)
            && int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out int gid)
            ? new UnixAccount(name, uid, gid)
            : null;
    }

    /// <summary>The full path of a system tool (sbin included, which a non-login PATH may lack), or null.</summary>
    public static string? FindTool(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"])
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(FindTool(tool) ?? tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not run {tool}");
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    private static partial class AccountLog
    {
        [LoggerMessage(EventId = 4120, Level = LogLevel.Information, Message = "Created the Unix account {Account} (uid {Uid}) for {User}")]
        public static partial void Created(ILogger logger, string account, string user, int uid);
    }
}
