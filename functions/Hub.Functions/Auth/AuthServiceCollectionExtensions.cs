using Hub.Core.Auth;
using Hub.Core.Auth.Credentials;
using Hub.Core.Hosting;
using Hub.Core.Security;
using Hub.Functions.Api;
using Hub.Functions.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hub.Functions.Auth;

public static class AuthServiceCollectionExtensions
{
    /// <summary>
    /// Login, sessions, tokens, the REST API's helpers and the metrics, with the authenticator chosen by
    /// <c>Auth__Authenticator</c>. Idempotent: a test may register its own services first.
    /// </summary>
    public static IServiceCollection AddHubAuth(this IServiceCollection services, HubOptions hub, AuthOptions auth, OidcOptions oidc, EntraOptions entra)
    {
        services.TryAddSingleton(auth);
        services.TryAddSingleton(hub);
        services.TryAddSingleton(provider => new XsrfTokens(HubSecretKey.Load(provider.GetRequiredService<HubOptions>())));
        services.TryAddSingleton(provider => new ClientAddressHeader(HubSecretKey.Load(provider.GetRequiredService<HubOptions>())));
        services.TryAddKeyedSingleton(OidcEndpoints.StateCookie, (provider, _) => new SealedData(HubSecretKey.Load(provider.GetRequiredService<HubOptions>()), OidcEndpoints.StateCookie));
        services.TryAddSingleton<LoginAccessPolicy>();
        services.TryAddSingleton<LoginRateLimiter>();
        services.TryAddSingleton<SessionManager>();
        services.TryAddSingleton<HubCookieWriter>();
        services.TryAddSingleton<StoreCredentialLookup>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITokenKind, ServerTokenKind>());
        services.TryAddSingleton(provider => new CredentialResolver(
            provider.GetRequiredService<StoreCredentialLookup>(), provider.GetRequiredService<LoginAccessPolicy>(), provider.GetRequiredService<TimeProvider>(),
            provider.GetServices<ITokenKind>(), new CredentialResolverOptions { SessionCookieFallback = false },
            provider.GetService<Hub.Core.Services.ServiceCatalog>()));
        services.TryAddSingleton<RequestAuthenticator>();
        services.TryAddSingleton<LoginCompleter>();
        services.TryAddSingleton<ApiModels>();
        services.TryAddSingleton(_ => Hub.Core.Spawning.ServerTokenSource.FromOptions(hub));
        services.TryAddSingleton(_ => new OAuth.OAuthCodes(HubSecretKey.Load(hub)));
        services.TryAddSingleton<OAuth.OAuthClients>();
        services.TryAddSingleton<HubMetrics>();
        services.TryAddSingleton<StoreGauges>();
        // Errors the framework produces (exceptions, 405, 415…) carry JupyterHub's "message" too.
        services.Configure<ProblemDetailsOptions>(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions.TryAdd("message", context.ProblemDetails.Detail ?? context.ProblemDetails.Title));
        services.AddHttpClient(MsalHttpClientFactory.ClientName, client => client.Timeout = TimeSpan.FromSeconds(30));

        switch (auth.Authenticator)
        {
            case AuthenticatorKind.Dummy:
                services.TryAddSingleton<IPasswordAuthenticator, DummyAuthenticator>();
                services.AddHostedService<DummyAuthenticatorWarning>();
                break;
            case AuthenticatorKind.SharedPassword:
                services.TryAddSingleton<IPasswordAuthenticator, SharedPasswordAuthenticator>();
                break;
            case AuthenticatorKind.Entra:
                services.TryAddSingleton(_ => OidcProviderSettings.From(entra));
                services.TryAddSingleton<OidcSignIn>();
                break;
            case AuthenticatorKind.Oidc:
                services.TryAddSingleton(_ => OidcProviderSettings.From(oidc));
                services.TryAddSingleton<OidcSignIn>();
                break;
        }
        return services;
    }
}
