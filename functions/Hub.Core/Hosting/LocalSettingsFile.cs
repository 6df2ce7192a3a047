using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Hub.Core.Hosting;

/// <summary>
/// Reads the <c>Values</c> of a Functions-style <c>local.settings.json</c> as app settings with the lowest priority,
/// so that the same file works with the Functions tools and with the app running by itself; environment
/// variables still win.
/// </summary>
public static class LocalSettingsFile
{
    public const string FileName = "local.settings.json";

    /// <summary>Adds the file's values if the file exists in <paramref name="directory"/>.</summary>
    /// <exception cref="Configuration.AppSettingsException">The file exists but is not valid JSON.</exception>
    public static void AddTo(IConfigurationBuilder configuration, string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return;
        }

        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.TryGetProperty("Values", out var section) && section.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in section.EnumerateObject())
                {
                    values[property.Name.Replace("__", ":", StringComparison.Ordinal)] = property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString(),
                        JsonValueKind.Null => null,
                        _ => property.Value.GetRawText(),
                    };
                }
            }
        }
        catch (JsonException ex)
        {
            throw new Configuration.AppSettingsException([$"{path} is not valid JSON: {ex.Message}"]);
        }

        configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = values });
    }
}
