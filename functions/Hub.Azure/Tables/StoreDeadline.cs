namespace Hub.Azure.Tables;

/// <summary>
/// A time limit on every store call made within a scope (a user's request), however deep in the code the call is and
/// whether or not it was handed a cancellation token: each try's network timeout is cut to what is left, and no try
/// or retry starts once it has passed (<see cref="StoreDeadlineExceededException"/>). Outside a scope (timers,
/// reconcile, startup) the connection's own, longer retry budget applies.
/// </summary>
public static class StoreDeadline
{
    private static readonly AsyncLocal<Scope?> Current = new();

    /// <summary>
    /// Starts a scope that ends in <paramref name="budget"/>; dispose it when the request ends, so that work the request
    /// started in the background and that outlives it is not held to the request's limit.
    /// </summary>
    public static IDisposable Begin(TimeSpan budget, TimeProvider? time = null)
    {
        var scope = new Scope((time ?? TimeProvider.System).GetUtcNow() + budget, budget, time ?? TimeProvider.System);
        Current.Value = scope;
        return scope;
    }

    /// <summary>What is left of the current scope's budget; <c>null</c> outside a scope.</summary>
    public static TimeSpan? Remaining => Current.Value is { Ended: false } scope ? scope.Remaining : null;

    /// <summary>The current scope's whole budget, for messages; <c>null</c> outside a scope.</summary>
    public static TimeSpan? Budget => Current.Value is { Ended: false } scope ? scope.Budget : null;

    private sealed class Scope(DateTimeOffset deadline, TimeSpan budget, TimeProvider time) : IDisposable
    {
        public bool Ended { get; private set; }

        public TimeSpan Budget { get; } = budget;

        public TimeSpan Remaining => deadline - time.GetUtcNow();

        public void Dispose() => Ended = true;
    }
}

/// <summary>A store call was not made or not finished because the request's store deadline (<see cref="StoreDeadline"/>) passed.</summary>
public sealed class StoreDeadlineExceededException(TimeSpan budget)
    : TimeoutException($"The hub's store did not answer within {budget.TotalSeconds:0.#} s.")
{
    public TimeSpan Budget { get; } = budget;
}
