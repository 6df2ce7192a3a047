using Hub.Functions.Logging;

namespace Hub.Functions.Auth;

/// <summary>Warns at every start that the dummy authenticator lets anyone in as anyone.</summary>
internal sealed class DummyAuthenticatorWarning(ILogger<DummyAuthenticatorWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Log.DummyAuthenticatorWarning(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
