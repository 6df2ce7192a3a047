using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Hub.Testing;

/// <summary>
/// A process a test starts: its output is kept for diagnostics, a test can await a line matching a pattern,
/// and disposing kills the whole process tree.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _standardOutput = new();
    private readonly List<(Regex Pattern, TaskCompletionSource<Match> Found)> _waiters = [];
    private readonly Lock _gate = new();

    private ChildProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote so far, stdout and stderr interleaved.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>
    /// What the process wrote to stdout alone. A script's result belongs there, while its progress goes to stderr;
    /// the two pipes are read independently, so their lines interleave in <see cref="Output"/> in no fixed order.
    /// </summary>
    public string StandardOutput => string.Join(Environment.NewLine, _standardOutput);

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                if (value is null)
                {
                    info.Environment.Remove(key);
                }
                else
                {
                    info.Environment[key] = value;
                }
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                child._standardOutput.Enqueue(e.Data);
            }
            child.OnLine(e.Data);
        };
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.Exited += (_, _) => child.OnExited();
        if (!process.Start())
        {
            throw new InvalidOperationException($"{fileName} did not start.");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for an output line matching <paramref name="pattern"/>; fails with the output so far on timeout or exit.</summary>
    public async Task<Match> WaitForLineAsync(string pattern, TimeSpan timeout)
    {
        var regex = new Regex(pattern);
        var found = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var line in _output)
            {
                var match = regex.Match(line);
                if (match.Success)
                {
                    return match;
                }
            }
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The process exited ({_process.ExitCode}) before printing /{pattern}/. Output:\n{Output}");
            }
            _waiters.Add((regex, found));
        }

        try
        {
            return await found.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No line matching /{pattern}/ within {timeout}. Output:\n{Output}");
        }
    }

    /// <summary>Waits for the process to exit by itself.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The process did not exit within {timeout}. Output:\n{Output}");
        }
        return _process.ExitCode;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            _output.Enqueue(line);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                var match = _waiters[i].Pattern.Match(line);
                if (match.Success)
                {
                    _waiters[i].Found.TrySetResult(match);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private void OnExited()
    {
        lock (_gate)
        {
            foreach (var waiter in _waiters)
            {
                waiter.Found.TrySetException(new InvalidOperationException($"The process exited before printing /{waiter.Pattern}/. Output:\n{Output}"));
            }
            _waiters.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(cancellation.Token);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or stuck in the kernel: nothing more a test can do.
        }
        _process.Dispose();
    }
}
