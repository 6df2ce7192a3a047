using Hub.Core.Security;
using Hub.Core.Store;

namespace Hub.Core.Tests.Security;

public sealed class ServerTokensTests
{
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void Derive_SameInputs_SameToken()
    {
        Assert.Equal(ServerTokens.Derive(Key, new("alice", ""), "n1"), ServerTokens.Derive(Key, new("alice", ""), "n1"));
    }

    [Fact]
    public void Derive_AnyInputDiffers_TokenDiffers()
    {
        var tokens = new[]
        {
            ServerTokens.Derive(Key, new("alice", ""), "n1"),
            ServerTokens.Derive(Key, new("alice", ""), "n2"),
            ServerTokens.Derive(Key, new("alice", "gpu"), "n1"),
            ServerTokens.Derive(Key, new("alice\ngpu", ""), "n1"),
            ServerTokens.Derive(Key, new("bob", ""), "n1"),
            ServerTokens.Derive(new byte[32], new("alice", ""), "n1"),
        };

        Assert.Equal(tokens.Length, tokens.Distinct().Count());
        Assert.All(tokens, t => Assert.Equal(43, t[(t.LastIndexOf('.') + 1)..].Length));
    }

    [Theory]
    [InlineData("alice", "")]
    [InlineData("ada@example.org", "gpu-2")]
    [InlineData("zoë", "ü")]
    public void TryReadServer_NamesTheServerTheTokenWasDerivedFor(string user, string server)
    {
        string token = ServerTokens.Derive(Key, new(user, server), "n1");

        Assert.True(ServerTokens.TryReadServer(token, out var key));
        Assert.Equal(new ServerKey(user, server), key);
        Assert.True(ServerTokens.Matches(Key, key, "n1", token));
        Assert.False(ServerTokens.Matches(Key, key, "n2", token));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abcdef")]
    [InlineData("srv.")]
    [InlineData("srv.!!!.x")]
    [InlineData("srv.YWxpY2U.x")]
    public void TryReadServer_OtherTokens_AreNotServerTokens(string token)
    {
        Assert.False(ServerTokens.TryReadServer(token, out _));
    }

    [Fact]
    public void SecretHash_IsLowerHexSha256()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", SecretHash.Of("abc"));
        Assert.NotEqual(SecretHash.NewSecret(), SecretHash.NewSecret());
    }
}
