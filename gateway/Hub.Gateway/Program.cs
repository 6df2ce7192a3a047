using Hub.Core.Configuration;
using Hub.Gateway;
using Hub.Gateway.Hosting;

// The gateway: the hub's one public entry point. Invalid app settings stop it with every problem listed.
SocketCompletions.RunInline();
try
{
    await GatewayApp.Build(args).RunAsync();
    return 0;
}
catch (AppSettingsException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}

/// <summary>The entry point, visible to tests.</summary>
public partial class Program;
