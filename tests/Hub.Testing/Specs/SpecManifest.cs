namespace Hub.Testing.Specs;

/// <summary>One published spec file: where it sits in the specs folder, its SHA-256 and the pinned upstream URL.</summary>
public sealed record SpecSource(string RelativePath, string Sha256, Uri Url);

/// <summary>
/// The manifest of the published specs the tests read (<c>tests/specs/sources.tsv</c>): one file a line, as the
/// tab-separated fields path, SHA-256 and URL; lines starting with <c>#</c> are comments. The download script reads
/// the same file, so the two never disagree on what the tests need.
/// </summary>
public static class SpecManifest
{
    /// <summary>The manifest kept in the repository.</summary>
    public static string DefaultPath => RepositoryPaths.InRoot("tests", "specs", "sources.tsv");

    public static IReadOnlyList<SpecSource> Read(string path) => Parse(File.ReadAllText(path));

    public static IReadOnlyList<SpecSource> Parse(string text)
    {
        var sources = new List<SpecSource>();
        foreach (var (line, number) in text.Split('\n').Select((line, index) => (line.TrimEnd('\r'), index + 1)))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            string[] fields = line.Split('\t');
            if (fields.Length != 3 || !Uri.TryCreate(fields[2], UriKind.Absolute, out var url))
            {
                throw new FormatException($"Manifest line {number} is not 'path<TAB>sha256<TAB>url': {line}");
            }
            sources.Add(new SpecSource(fields[0], fields[1], url));
        }
        return sources;
    }
}
