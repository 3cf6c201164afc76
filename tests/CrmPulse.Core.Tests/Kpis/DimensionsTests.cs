using CrmPulse.Core.Kpis;

namespace CrmPulse.Core.Tests.Kpis;

public sealed class DimensionsTests
{
    [Fact]
    public void Key_lists_pairs_sorted_by_name_whatever_the_order_given()
    {
        Assert.Equal("team=Sales,type=call", Dimensions.Of(("type", "call"), ("team", "Sales")).Key);
        Assert.Equal("team=Sales,type=call", Dimensions.Of(("team", "Sales"), ("type", "call")).Key);
    }

    [Fact]
    public void Pairs_with_a_null_value_are_left_out()
    {
        Assert.Same(Dimensions.None, Dimensions.Of(("team", null)));
        Assert.Equal("type=call", Dimensions.Of(("team", null), ("type", "call")).Key);
        Assert.Equal("", Dimensions.None.Key);
        Assert.Equal(0, Dimensions.None.Count);
    }

    [Fact]
    public void Separators_and_the_escape_character_are_escaped_with_a_backslash()
    {
        Assert.Equal(@"team=a\,b\=c\\d", Dimensions.Of(("team", @"a,b=c\d")).Key);
        Assert.Equal(@"a\=b=x", Dimensions.Of(("a=b", "x")).Key);
    }

    [Theory]
    [InlineData("team", "Sales")]
    [InlineData("team", "a,b")]
    [InlineData("team", "x=y")]
    [InlineData("team", @"back\slash")]
    [InlineData("team", @"ends with \")]
    [InlineData("team", @"\,\=\\")]
    [InlineData("team", "Équipe Zürich 東京 🙂")]
    [InlineData("team", "")]
    [InlineData("team", "  ")]
    [InlineData("we,ird=na\\me", "v")]
    public void Parse_reads_back_what_key_wrote(string name, string value)
    {
        var dims = Dimensions.Of((name, value), ("type", "call"));
        var parsed = Dimensions.Parse(dims.Key);

        Assert.Equal(dims, parsed);
        Assert.Equal(value, parsed[name]);
        Assert.Equal("call", parsed["type"]);
        Assert.Equal(2, parsed.Count);
    }

    [Fact]
    public void Parse_of_an_empty_key_is_none()
    {
        Assert.Same(Dimensions.None, Dimensions.Parse(""));
    }

    [Theory]
    [InlineData("team")]
    [InlineData("team=a=b")]
    [InlineData("team=a,type")]
    public void Parse_refuses_a_pair_without_exactly_one_separator_and_names_it(string key)
    {
        var ex = Assert.Throws<FormatException>(() => Dimensions.Parse(key));
        Assert.Contains($"in '{key}'", ex.Message);
    }

    [Fact]
    public void A_name_given_twice_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Dimensions.Of(("team", "a"), ("team", "b")));
        Assert.Equal("Dimension 'team' given twice.", ex.Message);
    }

    [Fact]
    public void Equal_sets_are_equal_with_equal_hash_codes()
    {
        var a = Dimensions.Of(("team", "Sales"), ("type", "call"));
        var b = Dimensions.Of(("type", "call"), ("team", "Sales"));

        Assert.True(a.Equals(b));
        Assert.True(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.False(a.Equals(Dimensions.Of(("team", "sales"), ("type", "call")))); // values are case-sensitive
        Assert.False(a.Equals(Dimensions.Of(("team", "Sales"))));
        Assert.False(a.Equals(null));
        Assert.NotEqual(Dimensions.None, Dimensions.Of(("team", "")));               // an empty value is still a value
    }

    [Fact]
    public void Indexer_and_matches_read_values_by_name()
    {
        var dims = Dimensions.Of(("team", "Sales"), ("type", "call"));

        Assert.Equal("Sales", dims["team"]);
        Assert.Null(dims["object"]);
        Assert.True(dims.Matches([new("team", "Sales")]));
        Assert.True(dims.Matches([]));
        Assert.False(dims.Matches([new("team", "Support")]));
        Assert.False(dims.Matches([new("object", "deal")]));
    }
}
