using Hub.Core.Store;

namespace Hub.Functions.Api;

/// <summary>
/// The user (and server), or the group, a route names, as a handler parameter, found and checked by the endpoint's
/// <see cref="TargetFilter"/> before the handler runs.
/// </summary>
public sealed class ApiTarget
{
    private static readonly object ItemKey = new();

    private readonly HttpContext context;

    private ApiTarget(HttpContext context) => this.context = context;

    private Resolved Value => context.Items.TryGetValue(ItemKey, out var value) && value is Resolved resolved
        ? resolved
        : throw new InvalidOperationException($"{context.Request.Path} has no target: add a TargetFilter to the endpoint.");

    /// <summary>The user the route names, as stored.</summary>
    public UserRecord User => Value.User ?? throw new InvalidOperationException($"{context.Request.Path} names no user: use TargetFilter.User.");

    /// <summary>The group the route names (its name; it may have no members).</summary>
    public string Group => Value.Group ?? throw new InvalidOperationException($"{context.Request.Path} names no group: use TargetFilter.Group.");

    /// <summary>The server the route names (the default server when it names none).</summary>
    public ServerKey Server => Value.Server ?? throw new InvalidOperationException($"{context.Request.Path} names no server: use TargetFilter.Server.");

    /// <summary>Whether the route names one server rather than the user as a whole.</summary>
    public bool NamesServer => Value.Server is not null;

    public static ValueTask<ApiTarget?> BindAsync(HttpContext context) => ValueTask.FromResult<ApiTarget?>(new ApiTarget(context));

    internal static void Set(HttpContext context, UserRecord user, ServerKey? server) => context.Items[ItemKey] = new Resolved(user, server, null);

    internal static void SetGroup(HttpContext context, string group) => context.Items[ItemKey] = new Resolved(null, null, group);

    private sealed record Resolved(UserRecord? User, ServerKey? Server, string? Group);
}
