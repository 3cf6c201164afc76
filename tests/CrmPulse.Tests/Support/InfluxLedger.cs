using CrmPulse.Core.Kpis;
using CrmPulse.Storage.Tests.Influx;

namespace CrmPulse.Tests.Support;

/// <summary>"Every sample arrived exactly once": per KPI, InfluxDB's count and sum equal the ledger's, and InfluxDB holds
/// one per-user point for each stored per-user row.</summary>
internal static class InfluxLedger
{
    /// <param name="ledger">Per KPI, the ledger's sample count and value sum.</param>
    /// <param name="userRows">The store's per-user rows.</param>
    public static async Task AssertHoldsExactlyAsync(InfluxServer influx, IReadOnlyList<(string Kpi, long Count, double Sum)> ledger, long userRows)
    {
        Assert.NotEmpty(ledger);
        foreach (var (kpi, count, sum) in ledger)
        {
            var measurement = KpiCatalog.Get(kpi).Measurement;
            var row = Assert.Single(await influx.RowsAsync($"SELECT COUNT(\"{kpi}\"), SUM(\"{kpi}\") FROM \"{measurement}\""));
            Assert.True(count == row["count"].GetInt64(), $"{kpi}: ledger {count} samples, InfluxDB {row["count"]}");
            Assert.Equal(sum, row["sum"].GetDouble(), 6);
        }
        var users = Assert.Single(await influx.RowsAsync("SELECT COUNT(\"status\") FROM crm_user_activity"));
        Assert.Equal(userRows, users["count"].GetInt64());
    }
}
