using System.Runtime.InteropServices;

namespace Hub.Testing;

/// <summary>
/// Signals .NET cannot send: <see cref="System.Diagnostics.Process.Kill()"/> only sends SIGKILL, and only to a process
/// or its tree, while a test of a script needs Ctrl+C (SIGINT) and to kill a whole process group.
/// </summary>
public static class UnixSignals
{
    public const int Interrupt = 2;
    public const int Kill = 9;

    /// <summary>SIGCONT on Linux: a stopped process carries on.</summary>
    public const int Continue = 18;

    /// <summary>SIGSTOP on Linux: the process stops where it is; its sockets stay open but nothing answers.</summary>
    public const int Stop = 19;

    // DllImport rather than LibraryImport: the latter needs unsafe code enabled for the whole project.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    /// <summary>Sends <paramref name="signal"/> to one process; false when it is gone.</summary>
    public static bool Send(int pid, int signal) => pid > 1 && SendSignal(pid, signal) == 0;

    /// <summary>Sends <paramref name="signal"/> to every process of the group <paramref name="group"/>; false when none is left.</summary>
    public static bool SendToGroup(int group, int signal) => group > 1 && SendSignal(-group, signal) == 0;
}
