using Hub.Core.Configuration;
using Hub.Functions;

// The control plane. Locally it listens on ControlPlane__ListenUrl; under the Azure Functions host it listens on
// the port the host assigns (FUNCTIONS_CUSTOMHANDLER_PORT). Invalid app settings stop it with every problem listed.
try
{
    var app = ControlPlaneApp.Build(args);
    await app.RunAsync();
    return 0;
}
catch (AppSettingsException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}

/// <summary>The entry point, visible to tests.</summary>
public partial class Program;
