using Hub.Core.Auth;
using Hub.Core.Services;
using Hub.Core.Store;
using Hub.Functions.Auth;

namespace Hub.Functions.Api;

/// <summary>
/// The authenticated caller of an API request, as a handler parameter. <see cref="CallerFilter"/> resolves it once per
/// request (and answers 403 when there is none) before any handler runs; binding only hands the handler this view,
/// because minimal APIs bind parameters before endpoint filters run.
/// </summary>
public sealed class Caller
{
    private static readonly object ItemKey = new();

    private readonly HttpContext context;

    private Caller(HttpContext context) => this.context = context;

    /// <summary>The caller <see cref="CallerFilter"/> resolved for this request.</summary>
    public HubCaller Identity => context.Items.TryGetValue(ItemKey, out var value) && value is HubCaller caller
        ? caller
        : throw new InvalidOperationException($"{context.Request.Path} has no caller: map it inside the /hub/api group (ApiEndpoints.MapHubApi), not as anonymous.");

    public UserRecord User => Identity.User;

    public ScopeSet Scopes => Identity.Scopes;

    public CallerCredential Credential => Identity.Credential;

    public TokenRecord? Token => Identity.Token;

    public ServiceDefinition? Service => Identity.Service;

    public static ValueTask<Caller?> BindAsync(HttpContext context) => ValueTask.FromResult<Caller?>(Of(context));

    /// <summary>The caller of <paramref name="context"/>, for code that runs after <see cref="CallerFilter"/> outside a handler's parameters.</summary>
    public static Caller Of(HttpContext context) => new(context);

    internal static void Set(HttpContext context, HubCaller caller) => context.Items[ItemKey] = caller;
}
