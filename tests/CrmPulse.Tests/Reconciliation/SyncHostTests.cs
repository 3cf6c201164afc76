using System.Text.Json;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.Reconciliation;

/// <summary>
/// The real host after --once over a File-source pair marked Sync (Fixtures/sync-sf and sync-ac, whose README holds the
/// planted gaps): every gap is counted with its exact value and listed with its record, and nothing else.
/// </summary>
public sealed class SyncHostTests(SyncHostTests.HostFixture host) : IClassFixture<SyncHostTests.HostFixture>
{
    public sealed class HostFixture() : PairHostFixture("sync-sf", "sync-ac", Settings);

    public static Dictionary<string, string?> Settings(string oldPath, string newPath) => new()
    {
        ["CrmPulse:Sources:0:Name"] = "sf",
        ["CrmPulse:Sources:0:Kind"] = "File",
        ["CrmPulse:Sources:0:Path"] = oldPath,
        ["CrmPulse:Sources:1:Name"] = "ac",
        ["CrmPulse:Sources:1:Kind"] = "File",
        ["CrmPulse:Sources:1:Path"] = newPath,
        ["CrmPulse:Reconciliation:0:Name"] = "sync",
        ["CrmPulse:Reconciliation:0:Old"] = "sf",
        ["CrmPulse:Reconciliation:0:New"] = "ac",
        ["CrmPulse:Reconciliation:0:Sync"] = "true",
        ["CrmPulse:Reconciliation:0:Contacts:MatchBy:0"] = "email",
        ["CrmPulse:Reconciliation:0:Contacts:Properties:0"] = "email",
        ["CrmPulse:Reconciliation:0:Contacts:Properties:1"] = "phone",
        ["CrmPulse:Reconciliation:0:Contacts:Properties:2"] = "lifecycle_stage",
        ["CrmPulse:Reconciliation:0:Companies:MatchBy:0"] = "domain",
        ["CrmPulse:Reconciliation:0:Companies:Properties:0"] = "name",
        ["CrmPulse:Reconciliation:0:Companies:Properties:1"] = "industry",
        ["CrmPulse:Reconciliation:0:Deals:Enabled"] = "false",
    };

    /// <summary>Every sample of the pair (Fixtures/sync-sf/README.md), zeros included.</summary>
    public static readonly IReadOnlyDictionary<string, double> Expected = new Dictionary<string, double>
    {
        ["reconciliation_missing_records[object=contact]"] = 1, ["reconciliation_missing_records[object=company]"] = 0,
        ["reconciliation_extra_records[object=contact]"] = 1, ["reconciliation_extra_records[object=company]"] = 0,
        ["reconciliation_matched_records[object=contact]"] = 5, ["reconciliation_matched_records[object=company]"] = 2,
        ["reconciliation_lost_associations[field=company,object=contact]"] = 0,
        ["reconciliation_emptied_properties[field=email,object=contact]"] = 0, ["reconciliation_emptied_properties[field=phone,object=contact]"] = 0,
        ["reconciliation_emptied_properties[field=lifecycle_stage,object=contact]"] = 0,
        ["reconciliation_emptied_properties[field=name,object=company]"] = 0, ["reconciliation_emptied_properties[field=industry,object=company]"] = 0,
        ["sync_field_mismatches[field=email,object=contact]"] = 0, ["sync_field_mismatches[field=phone,object=contact]"] = 1,
        ["sync_field_mismatches[field=lifecycle_stage,object=contact]"] = 1,
        ["sync_field_mismatches[field=name,object=company]"] = 0, ["sync_field_mismatches[field=industry,object=company]"] = 0,
        ["sync_pending_changes[object=contact]"] = 2, ["sync_pending_changes[object=company]"] = 0,
        ["sync_pending_age_max[object=contact]"] = 390, ["sync_pending_age_max[object=company]"] = 0,
        ["sync_lag_median[object=contact]"] = 47.5, ["sync_lag_median[object=company]"] = 20,
        ["sync_duplicates[object=contact]"] = 1, ["sync_duplicates[object=company]"] = 0,
    };

    [Fact]
    public async Task Every_planted_gap_is_counted_exactly_and_nothing_else()
    {
        var latest = await host.Host.GetJsonAsync("/api/kpis/latest?source=sync");

        var values = latest.EnumerateArray().ToDictionary(e => $"{e.GetProperty("kpi").GetString()}[{LatestValues.DimensionsKey(e)}]",
            e => e.GetProperty("value").GetDouble());
        Assert.Equal(Expected.OrderBy(e => e.Key, StringComparer.Ordinal), values.OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.Contains("sync: reconciliation ok", host.Host.OnceOutput);
        Assert.StartsWith("exit 0", host.Host.OnceOutput);
    }

    [Fact]
    public async Task The_drill_down_lists_each_gaps_record_and_no_equal_record()
    {
        var page = await host.Host.GetJsonAsync("/api/reconciliation/issues?source=sync&limit=1000");
        var issues = page.GetProperty("items").EnumerateArray()
            .Select(i => $"{i.GetProperty("kind").GetString()} {i.GetProperty("object").GetString()} {i.GetProperty("recordId").GetString()} {i.GetProperty("field").GetString()}: {i.GetProperty("detail").GetString()}")
            .Order(StringComparer.Ordinal).ToList();

        Assert.Equal(new[]
        {
            "reconciliation_extra_records contact 208 : no match in sf by email",
            "reconciliation_missing_records contact C3 : no match in ac by email",
            "sync_duplicates contact 201 : in ac, created 2026-03-02 00:00 UTC, duplicates 208 created 2025-06-01 00:00 UTC",
            "sync_field_mismatches contact C2 phone: '555-0102' in sf; '555-0199' on 202 in ac",
            "sync_field_mismatches contact C5 lifecycle_stage: 'lead' in sf; 'customer' on 205 in ac",
            "sync_pending_changes contact C2 : 1 field(s) differ; last changed in sf 2026-03-10 15:40 UTC, the other copy (202) 2026-03-09 08:00 UTC",
            "sync_pending_changes contact C5 : 1 field(s) differ; last changed in ac 2026-03-10 11:10 UTC, the other copy (C5) 2026-03-01 00:00 UTC",
        }, issues);
        Assert.Equal(7, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_default_sync_lag_rule_holds_for_the_lagging_object_only()
    {
        var alerts = await host.Host.GetJsonAsync("/api/alerts");

        // Contacts: the oldest pending change has waited 390 min (> 60); it fires after 15 minutes, so pending now.
        // Companies wait 0 min; the sources sf and ac have no sync_* series at all.
        var lag = alerts.GetProperty("active").EnumerateArray().Where(a => a.GetProperty("rule").GetString() == "sync-lag-growing")
            .Select(a => (a.GetProperty("source").GetString(), a.GetProperty("dimensions").GetProperty("object").GetString(), a.GetProperty("status").GetString()));
        Assert.Equal([("sync", "contact", "pending")], lag);
    }
}
