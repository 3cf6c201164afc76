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

    /// <summary>The record ids of the issues of <paramref name="kpi"/> (optionally of one object and field), sorted.</summary>
    public static List<string> IssueIds(this KpiResult result, string kpi, string? objectType = null, string? field = null) =>
        result.Issues.Where(i => i.Kpi == kpi && (objectType is null || i.Object == objectType) && (field is null || i.Field == field))
            .Select(i => i.RecordId).Order(StringComparer.Ordinal).ToList();

    /// <summary>The one issue of <paramref name="kpi"/> on <paramref name="recordId"/>.</summary>
    public static RecordIssue Issue(this KpiResult result, string kpi, string recordId) =>
        Assert.Single(result.Issues, i => i.Kpi == kpi && i.RecordId == recordId);
}
