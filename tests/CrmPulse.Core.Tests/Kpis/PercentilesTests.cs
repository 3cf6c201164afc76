using CrmPulse.Core.Kpis;

namespace CrmPulse.Core.Tests.Kpis;

public sealed class PercentilesTests
{
    [Theory]
    [InlineData(50, 10)]  // rank ⌈0.50 × 20⌉ = 10
    [InlineData(95, 19)]  // rank ⌈0.95 × 20⌉ = 19
    [InlineData(99, 20)]  // rank ⌈0.99 × 20⌉ = ⌈19.8⌉ = 20
    [InlineData(100, 20)]
    [InlineData(1, 1)]    // rank ⌈0.2⌉ = 1
    public void Nearest_rank_percentile_of_one_to_twenty(double percent, double expected)
    {
        var values = Enumerable.Range(1, 20).Reverse().Select(i => (double)i); // order does not matter

        Assert.Equal(expected, Percentiles.Of(values, percent));
    }

    [Fact]
    public void No_values_have_no_percentile_or_median()
    {
        Assert.Null(Percentiles.Of([], 50));
        Assert.Null(Percentiles.Median([]));
    }

    [Fact]
    public void Median_is_the_middle_value_or_the_mean_of_the_two_middle_ones()
    {
        Assert.Equal(3, Percentiles.Median([5, 1, 3]));
        Assert.Equal(2.5, Percentiles.Median([4, 1, 2, 3]));
    }

    [Fact]
    public void A_percentile_outside_zero_to_hundred_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.Of([1], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.Of([1], 101));
    }
}
