using Hub.Azure.Store;

namespace Hub.Azure.Tests.Store;

public sealed class TableKeyTests
{
    private static readonly string[] Names =
    [
        "alice", "alice@example.com", "a/b", "a\\b", "a#b", "a?b", "100%", "%2f", "~", "it's", "名前", "🎓 student",
        "a\u0001b", "\u0085", new string('/', 256), new string('a', 256), string.Concat(Enumerable.Repeat("ß/", 128)),
    ];

    public static TheoryData<string> AwkwardNames => new(Names);

    [Theory]
    [MemberData(nameof(AwkwardNames))]
    public void Encode_AnyName_HasNoForbiddenCharacterAndFits(string name)
    {
        string key = TableKey.Encode(name);

        Assert.True(key.Length <= 512);
        Assert.DoesNotContain(key, c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
    }

    [Fact]
    public void Encode_DistinctNames_GiveDistinctKeys()
    {
        var names = Names
            .Concat(["a%2Fb", "a%2fb", "a~b", new string('/', 255), new string('/', 256) + "x", new string('/', 200) + "a", new string('/', 200) + "b"])
            .Distinct()
            .ToList();

        var keys = names.Select(TableKey.Encode).ToList();

        Assert.Equal(names.Count, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("100%")]
    [InlineData("x~y")]
    [InlineData("名前#1")]
    public void TryDecode_ShortKey_GivesTheName(string name)
    {
        Assert.True(TableKey.TryDecode(TableKey.Encode(name), out string decoded));
        Assert.Equal(name, decoded);
    }

    [Fact]
    public void Encode_LongName_IsCutWithHashSuffix()
    {
        string key = TableKey.Encode(new string('/', 256));

        Assert.Contains('~', key);
        Assert.False(TableKey.TryDecode(key, out _));
    }
}
