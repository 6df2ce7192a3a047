namespace Hub.Azure.Tables;

/// <summary>
/// A time limit on each store call made within a scope (a user's request), however deep in the code the call is and
/// whether or not it was handed a cancellation token: a call's tries and retries all fit the budget (each try's network
/// timeout is cut to what is left, and no try or retry starts after it), then it fails with
/// <see cref="StoreDeadlineExceededException"/>. The budget is per call, not per request, so a request that waits on
/// purpose (a start that polls its server's record) is not cut short. Outside a scope (timers, reconcile, startup) the
/// connection's own, longer retry budget applies.
/// </summary>
public static class StoreDeadline
{
    private static readonly AsyncLocal<Scope?> Current = new();

    /// <summary>
    /// Starts a scope whose store calls may take <paramref name="budget"/> each; dispose it when the request ends, so
    /// that work the request started in the background and that outlives it is not held to the request's limit.
    /// </summary>
    public static IDisposable Begin(TimeSpan budget)
    {
        var scope = new Scope(budget);
        Current.Value = scope;
        return scope;
    }

    /// <summary>The budget of each store call in the current scope; <c>null</c> outside a scope.</summary>
    public static TimeSpan? CallBudget => Current.Value is { Ended: false } scope ? scope.Budget : null;

    private sealed class Scope(TimeSpan budget) : IDisposable
    {
        public bool Ended { get; private set; }

        public TimeSpan Budget { get; } = budget;

        public void Dispose() => Ended = true;
    }
}

/// <summary>A store call was not made or not finished because its budget within a request (<see cref="StoreDeadline"/>) ran out.</summary>
public sealed class StoreDeadlineExceededException(TimeSpan budget)
    : TimeoutException($"The hub's store did not answer within {budget.TotalSeconds:0.#} s.")
{
    public TimeSpan Budget { get; } = budget;
}
