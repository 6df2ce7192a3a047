using System.Security.Cryptography;

namespace Hub.Testing.Specs;

/// <summary>
/// The folder the tests read the published specs from, and where it came from. A file missing from it (or, in the
/// cache, a file whose SHA-256 is not the manifest's) is an error whose message says how to get the specs, instead of
/// a bare "file not found" deep inside a schema library.
/// </summary>
public sealed record SpecsFolder(string Path, SpecsOrigin Origin)
{
    /// <summary>How the folder was chosen, for messages.</summary>
    public string Description => Origin switch
    {
        SpecsOrigin.SpecsDirVariable => $"{Path} (from {SpecsFolderResolver.SpecsDirVariable})",
        SpecsOrigin.BesideRepository => $"{Path} (beside the repository)",
        _ => $"the specs cache {Path} (filled by ./hub setup)",
    };

    /// <summary>
    /// The full path of <paramref name="relativePath"/> in this folder, or the reason it cannot be used.
    /// <paramref name="expectedSha256"/> is checked only in the cache: it is the one folder this repository fills, so
    /// a mismatch there means the manifest changed since the last <c>./hub setup</c>. A folder a person names may hold
    /// other versions on purpose.
    /// </summary>
    public SpecsLookup Locate(string relativePath, string? expectedSha256)
    {
        string path = System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, relativePath));
        if (!File.Exists(path))
        {
            return SpecsLookup.Problem(SpecsMessages.Unavailable($"{Description} has no {relativePath}."));
        }
        if (Origin == SpecsOrigin.Cache && expectedSha256 is not null)
        {
            string actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
            if (!string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
            {
                return SpecsLookup.Problem(SpecsMessages.Unavailable(
                    $"{Description} holds a {relativePath} with SHA-256 {actual}, but the manifest expects {expectedSha256} (the manifest changed since the last download, or the file was edited)."));
            }
        }
        return SpecsLookup.Found(path);
    }
}
