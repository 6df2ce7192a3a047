using System.Text.Json;
using Hub.Core.Spawning;

namespace Hub.Functions.Api.Models;

/// <summary>
/// The body of <c>POST /users/{name}/server[s/{server}]</c>: the user's options, bare (JupyterHub 5) or wrapped in
/// <c>{"user_options": {...}}</c> (6.0); absent for the defaults. A string <c>profile</c> picks the profile; every
/// other option is kept as its string, or as its JSON text when it is not one. Whether the options are offered is
/// the spawner's question, so no body is refused here.
/// </summary>
public sealed record ServerStartRequest(StartOptions Options)
{
    public static ServerStartRequest Read(JsonElement? body)
    {
        if (body is not { } json)
        {
            return new ServerStartRequest(StartOptions.Default);
        }
        var options = RequestFields.Present(json, "user_options") is { ValueKind: JsonValueKind.Object } wrapped ? wrapped : json;
        string? profile = null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in options.EnumerateObject())
        {
            string value = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            if (property.Name == "profile" && property.Value.ValueKind == JsonValueKind.String)
            {
                profile = value;
            }
            else
            {
                values[property.Name] = value;
            }
        }
        return new ServerStartRequest(new StartOptions(profile, values));
    }
}
