namespace Hub.Testing.Specs;

/// <summary>The answer of a look-up: a path, or the one message that tells a person how to make the specs available.</summary>
public sealed record SpecsLookup(string? Path, string? ProblemMessage)
{
    public static SpecsLookup Found(string path) => new(path, null);

    public static SpecsLookup Problem(string message) => new(null, message);

    /// <summary>The path; throws <see cref="PublishedSpecsUnavailableException"/> with the message when there is none.</summary>
    public string PathOrThrow() => Path ?? throw new PublishedSpecsUnavailableException(ProblemMessage!);
}
