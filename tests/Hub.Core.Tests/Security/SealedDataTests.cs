using Hub.Core.Security;

namespace Hub.Core.Tests.Security;

public sealed class SealedDataTests
{
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void Open_SealedBySameKeyAndPurpose_RoundTrips()
    {
        var sealer = new SealedData(Key, "oauth");

        Assert.Equal("{\"state\":\"x\"}", sealer.Open(sealer.Seal("{\"state\":\"x\"}")));
    }

    [Fact]
    public void Open_OtherPurposeKeyOrTampered_Null()
    {
        string sealedText = new SealedData(Key, "oauth").Seal("secret");
        char[] tampered = sealedText.ToCharArray();
        tampered[^2] = tampered[^2] == 'A' ? 'B' : 'A';

        Assert.Null(new SealedData(Key, "other").Open(sealedText));
        Assert.Null(new SealedData(new byte[32], "oauth").Open(sealedText));
        Assert.Null(new SealedData(Key, "oauth").Open(new string(tampered)));
        Assert.Null(new SealedData(Key, "oauth").Open("not base64 !"));
        Assert.DoesNotContain("secret", sealedText, StringComparison.Ordinal);
    }

    [Fact]
    public void LogText_Cap_BoundsAndNeutralisesControlCharacters()
    {
        Assert.Equal(new string('x', 64) + "…", LogText.Cap(new string('x', 10_000)));
        Assert.Equal("a?b", LogText.Cap("a\nb"));
        Assert.Equal("", LogText.Cap(null));
    }

    [Fact]
    public void LogText_CapLong_KeepsPathsLongerButStillBoundedAndNeutralised()
    {
        string path = "/user/a/" + new string('x', 100);
        Assert.Equal(path, LogText.CapLong(path));
        Assert.Equal(new string('x', 200) + "…", LogText.CapLong(new string('x', 10_000)));
        Assert.Equal("/hub/?x", LogText.CapLong("/hub/\rx"));
    }
}
