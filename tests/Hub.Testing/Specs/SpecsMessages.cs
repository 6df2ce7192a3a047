namespace Hub.Testing.Specs;

/// <summary>The wording every "specs not available" failure shares, so a person always gets the same two remedies.</summary>
public static class SpecsMessages
{
    public static string Unavailable(string reason) =>
        $"The published specs the tests read are not available: {reason} " +
        $"Set {SpecsFolderResolver.SpecsDirVariable} to a folder holding them, or run ./hub setup to download them into the cache " +
        $"(tests/specs/sources.tsv lists each file with its URL and SHA-256).";
}
