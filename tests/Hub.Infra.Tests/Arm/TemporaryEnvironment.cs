namespace Hub.Infra.Tests.Arm;

/// <summary>
/// Sets process environment variables for one test and restores them after: the WebJobs name resolver reads
/// configuration built from the real environment, as the Functions host does.
/// </summary>
internal sealed class TemporaryEnvironment : IDisposable
{
    private readonly Dictionary<string, string?> _previous = new(StringComparer.Ordinal);

    public TemporaryEnvironment(IReadOnlyDictionary<string, string> variables)
    {
        foreach (var (name, value) in variables)
        {
            _previous[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public void Dispose()
    {
        foreach (var (name, value) in _previous)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}

/// <summary>Tests that change the process environment run one at a time, apart from every other test of the assembly.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "process environment";
}
