using Hub.Azure.Tables;

namespace Hub.Azure.Tests.Tables;

public sealed class StorageConnectionStringCheckTests
{
    [Theory]
    [InlineData("UseDevelopmentStorage=true", "http://127.0.0.1:10002/devstoreaccount1")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=hubdata;AccountKey=AAAA;EndpointSuffix=core.chinacloudapi.cn", "https://hubdata.table.core.chinacloudapi.cn/")]
    [InlineData("AccountName=a;AccountKey=AAAA;TableEndpoint=http://127.0.0.1:5000/a;", "http://127.0.0.1:5000/a")]
    public void Problem_UsableString_IsNoneAndTheClientReachesItsEndpoint(string text, string endpoint)
    {
        Assert.Null(StorageConnectionStringCheck.Problem(text));
        Assert.Equal(new Uri(endpoint), TableServiceConnection.FromConnectionString(text).Endpoint);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("AccountKey=AAAA", "AccountName is missing")]
    [InlineData("AccountName=a", "AccountKey is missing")]
    [InlineData("AccountName=a;AccountKey=not base64!", "not valid base64")]
    [InlineData("AccountName=a;AccountKey=AAAA;TableEndpoint=ftp://x", "not an absolute http(s) URL")]
    [InlineData("AccountName=a;AccountKey=AAAA;TableEndpoint=nonsense", "not an absolute http(s) URL")]
    [InlineData("DefaultEndpointsProtocol=ftp;AccountName=a;AccountKey=AAAA", "must be http or https")]
    [InlineData("garbage", "not a key=value pair")]
    public void Problem_Unusable_NamesTheProblemWithoutTheKey(string text, string expected)
    {
        string? problem = StorageConnectionStringCheck.Problem(text);

        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("not base64!", problem, StringComparison.Ordinal);
    }
}
