using Hub.Gateway.Hosting;

namespace Hub.Gateway.Tests.Hosting;

/// <summary>The gateway turns inline socket completions on, on one event thread per core, unless the operator chose otherwise.</summary>
[Collection(nameof(SocketCompletionsTests))]
[CollectionDefinition(nameof(SocketCompletionsTests), DisableParallelization = true)]
public sealed class SocketCompletionsTests
{
    [Theory]
    [InlineData(null, null, 2, "1", "2")]
    [InlineData(null, null, 1, "1", "1")]
    [InlineData(null, null, 8, "1", "8")]
    [InlineData(null, "3", 8, "1", "3")]
    [InlineData("1", null, 6, "1", "6")]
    [InlineData("0", null, 8, "0", null)]
    public void RunInline_KeepsTheOperatorsChoice(string? inlineBefore, string? threadsBefore, int processors, string expectedInline, string? expectedThreads)
    {
        string? originalInline = Environment.GetEnvironmentVariable(SocketCompletions.InlineVariable);
        string? originalThreads = Environment.GetEnvironmentVariable(SocketCompletions.ThreadCountVariable);
        try
        {
            Environment.SetEnvironmentVariable(SocketCompletions.InlineVariable, inlineBefore);
            Environment.SetEnvironmentVariable(SocketCompletions.ThreadCountVariable, threadsBefore);
            SocketCompletions.RunInline(processors);
            Assert.Equal(expectedInline, Environment.GetEnvironmentVariable(SocketCompletions.InlineVariable));
            Assert.Equal(expectedThreads, Environment.GetEnvironmentVariable(SocketCompletions.ThreadCountVariable));
        }
        finally
        {
            Environment.SetEnvironmentVariable(SocketCompletions.InlineVariable, originalInline);
            Environment.SetEnvironmentVariable(SocketCompletions.ThreadCountVariable, originalThreads);
        }
    }
}
