using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Hub.Core.Store;

namespace Hub.Core.Spawning;

/// <summary>
/// Names of per-user and per-server resources (container groups, file shares, home folders), valid wherever the
/// strictest of them applies: lower-case letters and digits, single hyphens between them, at most 63 characters.
/// The mapping is injective, as kubespawner's "safe" scheme: a name that is already valid and does not end like a hash
/// is kept as it is; any other name gets a readable part and a 48-bit hash of the exact name, so two users never share
/// a resource even when their names differ only in case, accents or punctuation (JupyterHub advisory class 16.7).
/// </summary>
public static partial class ResourceNames
{
    /// <summary>The longest name ACI, Azure Files and most file systems accept.</summary>
    public const int MaxLength = 63;

    private const int HashLength = 12;

    /// <summary>The slug of a user (their home: a folder, a file share).</summary>
    /// <param name="room">How many characters the slug may take (less than 63 when a prefix goes before it).</param>
    public static string ForUser(string user, int room = MaxLength) => Slug(user, "user\n" + user, mayKeep: true, room);

    /// <summary>The slug of a server: the user's slug for the default server, a hashed one for a named server.</summary>
    public static string ForServer(ServerKey server, int room = MaxLength) =>
        server.Server.Length == 0
            ? ForUser(server.User, room)
            : Slug(server.User + "-" + server.Server, "server\n" + server.User + "\n" + server.Server, mayKeep: false, room);

    /// <summary><c>{prefix}-{slug}</c> within 63 characters; the prefix must be a valid name part without hyphens.</summary>
    public static string Prefixed(string prefix, string user) => prefix + "-" + ForUser(user, MaxLength - prefix.Length - 1);

    /// <inheritdoc cref="Prefixed(string, string)"/>
    public static string Prefixed(string prefix, ServerKey server) => prefix + "-" + ForServer(server, MaxLength - prefix.Length - 1);

    /// <summary>Whether a prefix keeps names valid: a letter, then up to 19 lower-case letters or digits.</summary>
    public static bool IsValidPrefix(string prefix) => PrefixPattern().IsMatch(prefix);

    /// <summary>Whether <paramref name="name"/> is a valid resource name as defined here.</summary>
    public static bool IsValid(string name) => name.Length is > 0 and <= MaxLength && ValidName().IsMatch(name);

    private static string Slug(string readableSource, string identity, bool mayKeep, int room)
    {
        if (room < HashLength + 2)
        {
            throw new ArgumentOutOfRangeException(nameof(room), room, "Too little room for a unique name.");
        }
        if (mayKeep && readableSource.Length <= room && ValidName().IsMatch(readableSource) && !HashSuffix().IsMatch(readableSource))
        {
            return readableSource;
        }

        var readable = new StringBuilder(readableSource.Length);
        foreach (char c in readableSource.Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                readable.Append(c);
            }
            else if (char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                // é → e: keep the readable part close to the name.
            }
            else if (readable.Length > 0 && readable[^1] != '-')
            {
                readable.Append('-');
            }
        }
        int keep = Math.Min(readable.Length, room - HashLength - 1);
        string head = readable.ToString(0, keep).Trim('-');
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..HashLength];
        return head.Length == 0 ? hash : head + "-" + hash;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex ValidName();

    [GeneratedRegex("-[0-9a-f]{12}$")]
    private static partial Regex HashSuffix();

    [GeneratedRegex("^[a-z][a-z0-9]{0,19}$")]
    private static partial Regex PrefixPattern();
}
