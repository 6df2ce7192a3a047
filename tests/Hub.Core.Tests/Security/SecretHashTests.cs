using System.Security.Cryptography;
using System.Text;
using Hub.Core.Security;

namespace Hub.Core.Tests.Security;

public sealed class SecretHashTests
{
    [Fact]
    public void Of_IsLowerCaseHexSha256OfTheUtf8Bytes() =>
        // The FIPS 180-2 test vector for "abc".
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", SecretHash.Of("abc"));

    [Theory]
    [InlineData(0)]
    [InlineData(340)]
    [InlineData(341)]
    [InlineData(5000)]
    public void Of_AgreesWithTheLibraryForShortAndLongSecrets(int length)
    {
        // Non-ASCII characters take three UTF-8 bytes, so the longer lengths cross the size the stack buffer holds.
        string secret = new('€', length);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))), SecretHash.Of(secret));
    }
}
