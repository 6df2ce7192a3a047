using System.Security.Cryptography;

namespace Hub.Core.Hosting;

/// <summary>
/// The hub's secret key: from <see cref="HubOptions.SecretKey"/>, or in local mode generated once into
/// <c>{DataDirectory}/secret.key</c> (readable by the owner only) so that the control plane and the gateway,
/// started separately, share it.
/// </summary>
public static class HubSecretKey
{
    public const int MinimumBytes = 32;
    public const string FileName = "secret.key";

    public static bool TryDecode(string text, out byte[] key)
    {
        key = [];
        try
        {
            key = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            return false;
        }
        return key.Length >= MinimumBytes;
    }

    /// <summary>The configured key, or the local one (created if missing).</summary>
    /// <exception cref="InvalidOperationException">Azure mode without a key (options validation reports this first).</exception>
    public static byte[] Load(HubOptions options)
    {
        if (options.SecretKey.Length > 0)
        {
            return TryDecode(options.SecretKey, out var key) ? key : throw new InvalidOperationException("Hub__SecretKey is not a valid key.");
        }
        if (options.Mode != HubMode.Local)
        {
            throw new InvalidOperationException("Hub__SecretKey must be set in Azure mode.");
        }
        return LoadOrCreateLocal(Path.GetFullPath(options.DataDirectory));
    }

    private static byte[] LoadOrCreateLocal(string directory)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            // Write aside, then move into place without overwriting: of two apps starting together, one key wins.
            string temporary = Path.Combine(directory, $"{FileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinimumBytes)));
            }
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary);
            }
        }
        return TryDecode(File.ReadAllText(path), out var key)
            ? key
            : throw new InvalidOperationException($"{path} does not hold a valid key; delete it to have a new one generated.");
    }
}
