using System.Text.Json;

namespace CrmPulse.Tests.Support;

/// <summary>Reads /api/kpis/latest answers: one sample by KPI id and canonical dimensions ("team=Sales", "" for the roll-up).</summary>
public static class LatestValues
{
    /// <summary>The sample's dimensions as "name=value" pairs sorted by name, joined by ','.</summary>
    public static string DimensionsKey(JsonElement sample) =>
        string.Join(",", sample.GetProperty("dimensions").EnumerateObject()
            .OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name}={p.Value.GetString()}"));

    /// <summary>The value of the single sample with this KPI and dimensions; fails when there is none or more than one.</summary>
    public static double Value(JsonElement latest, string kpi, string dims) =>
        latest.EnumerateArray().Single(e => e.GetProperty("kpi").GetString() == kpi && DimensionsKey(e) == dims)
            .GetProperty("value").GetDouble();
}
