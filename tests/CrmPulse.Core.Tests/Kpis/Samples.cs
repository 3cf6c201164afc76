using CrmPulse.Core.Kpis;

namespace CrmPulse.Core.Tests.Kpis;

/// <summary>Finds samples in a result; a lookup fails the test unless exactly one sample matches.</summary>
internal static class Samples
{
    /// <summary>The one sample of <paramref name="kpi"/> with exactly these dimensions (none: the overall roll-up).</summary>
    public static KpiSample Sample(this KpiResult result, string kpi, params (string Name, string? Value)[] dims)
    {
        var wanted = Dimensions.Of(dims);
        var matches = result.Samples.Where(s => s.Kpi == kpi && s.Dimensions.Equals(wanted)).ToList();
        Assert.True(matches.Count == 1, $"Expected one '{kpi}' sample with '{wanted.Key}', found {matches.Count}.");
        return matches[0];
    }

    public static double Value(this KpiResult result, string kpi, params (string Name, string? Value)[] dims) =>
        result.Sample(kpi, dims).Value;

    /// <summary>The dimension keys of every sample of <paramref name="kpi"/>, sorted.</summary>
    public static List<string> KeysOf(this KpiResult result, string kpi) =>
        result.Samples.Where(s => s.Kpi == kpi).Select(s => s.Dimensions.Key).Order(StringComparer.Ordinal).ToList();

    public static UserAdoptionRow Row(this KpiResult result, string userId) => Assert.Single(result.Users, u => u.UserId == userId);
}
