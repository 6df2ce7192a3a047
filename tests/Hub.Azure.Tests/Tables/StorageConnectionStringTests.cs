using Hub.Azure.Tables;

namespace Hub.Azure.Tests.Tables;

public sealed class StorageConnectionStringTests
{
    [Fact]
    public void Parse_DevelopmentStorage_PointsAtAzuriteDefaults()
    {
        var parsed = StorageConnectionString.Parse("UseDevelopmentStorage=true");

        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), parsed.TableEndpoint);
        Assert.Equal("devstoreaccount1", parsed.AccountName);
        Assert.Equal(64, parsed.AccountKey.Length);
    }

    [Fact]
    public void Parse_AccountWithSuffix_BuildsTableEndpoint()
    {
        var parsed = StorageConnectionString.Parse("DefaultEndpointsProtocol=https;AccountName=hubdata;AccountKey=AAAA;EndpointSuffix=core.chinacloudapi.cn");

        Assert.Equal(new Uri("https://hubdata.table.core.chinacloudapi.cn"), parsed.TableEndpoint);
    }

    [Fact]
    public void Parse_ExplicitTableEndpoint_Wins()
    {
        var parsed = StorageConnectionString.Parse("AccountName=a;AccountKey=AAAA;TableEndpoint=http://127.0.0.1:5000/a;");

        Assert.Equal(new Uri("http://127.0.0.1:5000/a"), parsed.TableEndpoint);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("AccountKey=AAAA", "AccountName is missing")]
    [InlineData("AccountName=a", "AccountKey is missing")]
    [InlineData("AccountName=a;AccountKey=not base64!", "not valid base64")]
    [InlineData("AccountName=a;AccountKey=AAAA;TableEndpoint=ftp://x", "not an absolute http(s) URL")]
    [InlineData("garbage", "not a key=value pair")]
    public void Parse_Invalid_NamesTheProblemWithoutTheKey(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => StorageConnectionString.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not base64!", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_NeverShowsTheKey()
    {
        var parsed = StorageConnectionString.Parse("UseDevelopmentStorage=true");

        Assert.DoesNotContain(Convert.ToBase64String(parsed.AccountKey), parsed.ToString(), StringComparison.Ordinal);
    }
}
