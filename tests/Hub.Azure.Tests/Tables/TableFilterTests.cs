using Hub.Azure.Tables;

namespace Hub.Azure.Tests.Tables;

public sealed class TableFilterTests
{
    [Fact]
    public void Of_QuotesEachValueByType()
    {
        var when = new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.FromHours(2));
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

        string filter = TableFilter.Of($"A eq {"it's"} and B eq {5} and C eq {5L} and D eq {2.0} and E eq {true} and F lt {when} and G eq {id} and H eq {new byte[] { 1, 171 }}");

        Assert.Equal("A eq 'it''s' and B eq 5 and C eq 5L and D eq 2.0 and E eq true and F lt datetime'2026-11-21T23:02:03.0000000Z' and G eq guid'0f8fad5b-d9cb-469f-a165-70867728950e' and H eq X'01AB'", filter);
    }

    [Fact]
    public void Of_NullOrUnsupported_Throws()
    {
        Assert.Throws<ArgumentException>(() => TableFilter.Of($"A eq {(string?)null}"));
        Assert.Throws<ArgumentException>(() => TableFilter.Of($"A eq {new object()}"));
        Assert.Throws<ArgumentException>(() => TableFilter.Of($"A eq {double.NaN}"));
    }

    [Fact]
    public void And_SkipsEmptyAndParenthesises()
    {
        Assert.Null(TableFilter.And(null, " "));
        Assert.Equal("x eq 1", TableFilter.And("x eq 1", null));
        Assert.Equal("(x eq 1) and (y eq 2)", TableFilter.And("x eq 1", "y eq 2"));
    }
}
