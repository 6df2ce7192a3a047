using Hub.Gateway.Hosting;

namespace Hub.Gateway.Tests.Hosting;

/// <summary>The gateway turns inline socket completions on unless the operator chose otherwise.</summary>
[Collection(nameof(SocketCompletionsTests))]
[CollectionDefinition(nameof(SocketCompletionsTests), DisableParallelization = true)]
public sealed class SocketCompletionsTests
{
    private const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    [Theory]
    [InlineData(null, "1")]
    [InlineData("0", "0")]
    [InlineData("1", "1")]
    public void RunInline_KeepsTheOperatorsChoice(string? before, string expected)
    {
        string? original = Environment.GetEnvironmentVariable(Variable);
        try
        {
            Environment.SetEnvironmentVariable(Variable, before);
            SocketCompletions.RunInline();
            Assert.Equal(expected, Environment.GetEnvironmentVariable(Variable));
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, original);
        }
    }
}
