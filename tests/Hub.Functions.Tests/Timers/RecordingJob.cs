using Hub.Functions.Timers;

namespace Hub.Functions.Tests.Timers;

/// <summary>A timer job that records its invocations; it can be told to block or to fail.</summary>
public sealed class RecordingJob(string schedule = "0 0 0 1 1 *") : ITimerJob
{
    private readonly List<TimerInvocation> _invocations = [];

    public string Name => "test-job";

    public string Schedule => schedule;

    public TaskCompletionSource? Gate { get; set; }

    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Fail { get; set; }

    public bool CoalescesOverlappingRuns { get; set; }

    public IReadOnlyList<TimerInvocation> Invocations
    {
        get
        {
            lock (_invocations)
            {
                return [.. _invocations];
            }
        }
    }

    public async Task<IReadOnlyList<string>> RunAsync(TimerInvocation invocation, CancellationToken cancellationToken)
    {
        lock (_invocations)
        {
            _invocations.Add(invocation);
        }
        Entered.TrySetResult();
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }
        if (Fail)
        {
            throw new InvalidOperationException("the job was told to fail");
        }
        return ["ran"];
    }
}
