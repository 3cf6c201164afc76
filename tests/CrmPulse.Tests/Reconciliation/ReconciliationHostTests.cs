using System.Net;
using System.Text.Json;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.Reconciliation;

/// <summary>
/// The real host after --once over a File-source pair (Fixtures/migration-old and migration-new, whose README holds the
/// planted differences): the pair's samples under its own source tag, the drill-down, the re-import files, /metrics.
/// </summary>
public sealed class ReconciliationHostTests(ReconciliationHostTests.HostFixture host) : IClassFixture<ReconciliationHostTests.HostFixture>
{
    public sealed class HostFixture() : PairHostFixture("migration-old", "migration-new", Settings);

    public static Dictionary<string, string?> Settings(string oldPath, string newPath) => new()
    {
        ["CrmPulse:Sources:0:Name"] = "legacy",
        ["CrmPulse:Sources:0:Kind"] = "File",
        ["CrmPulse:Sources:0:Path"] = oldPath,
        ["CrmPulse:Sources:1:Name"] = "crm",
        ["CrmPulse:Sources:1:Kind"] = "File",
        ["CrmPulse:Sources:1:Path"] = newPath,
        ["CrmPulse:Reconciliation:0:Name"] = "migration",
        ["CrmPulse:Reconciliation:0:Old"] = "legacy",
        ["CrmPulse:Reconciliation:0:New"] = "crm",
        ["CrmPulse:Reconciliation:0:CutOver"] = "2026-03-01T00:00:00Z",
        ["CrmPulse:Reconciliation:0:Contacts:MatchBy:0"] = "email",
        ["CrmPulse:Reconciliation:0:Contacts:Properties:0"] = "email",
        ["CrmPulse:Reconciliation:0:Contacts:Properties:1"] = "phone",
        ["CrmPulse:Reconciliation:0:Contacts:Properties:2"] = "lifecycle_stage",
        ["CrmPulse:Reconciliation:0:Companies:MatchBy:0"] = "domain",
        ["CrmPulse:Reconciliation:0:Companies:Properties:0"] = "name",
        ["CrmPulse:Reconciliation:0:Companies:Properties:1"] = "industry",
        ["CrmPulse:Reconciliation:0:Deals:MatchBy:0"] = "external_id",
        ["CrmPulse:Reconciliation:0:Deals:ExternalIdField"] = "legacy_id",
        ["CrmPulse:Reconciliation:0:Deals:Properties:0"] = "name",
        ["CrmPulse:Reconciliation:0:Deals:Properties:1"] = "amount",
    };

    /// <summary>Fixtures/migration-old/README.md.</summary>
    public static readonly TheoryData<string, string, double> Expected = new()
    {
        { "reconciliation_missing_records", "object=contact", 1 }, { "reconciliation_missing_records", "object=company", 2 },
        { "reconciliation_missing_records", "object=deal", 2 },
        { "reconciliation_extra_records", "object=contact", 1 }, { "reconciliation_extra_records", "object=company", 1 },
        { "reconciliation_extra_records", "object=deal", 0 },
        { "reconciliation_matched_records", "object=contact", 5 }, { "reconciliation_matched_records", "object=company", 2 },
        { "reconciliation_matched_records", "object=deal", 3 },
        { "reconciliation_lost_associations", "field=company,object=contact", 1 }, { "reconciliation_lost_associations", "field=contact,object=deal", 1 },
        { "reconciliation_lost_associations", "field=company,object=deal", 1 },
        { "reconciliation_emptied_properties", "field=email,object=contact", 0 }, { "reconciliation_emptied_properties", "field=phone,object=contact", 1 },
        { "reconciliation_emptied_properties", "field=lifecycle_stage,object=contact", 0 },
        { "reconciliation_emptied_properties", "field=name,object=company", 0 }, { "reconciliation_emptied_properties", "field=industry,object=company", 1 },
        { "reconciliation_emptied_properties", "field=name,object=deal", 0 }, { "reconciliation_emptied_properties", "field=amount,object=deal", 1 },
        { "reconciliation_delta_records", "object=contact", 1 }, { "reconciliation_delta_records", "object=company", 1 },
        { "reconciliation_delta_records", "object=deal", 1 },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public async Task The_pair_serves_the_planted_differences_under_its_own_source_tag(string kpi, string dimensions, double expected)
    {
        var latest = await host.Host.GetJsonAsync($"/api/kpis/latest?kpi={kpi}&source=migration");

        var sample = Assert.Single(latest.EnumerateArray(), e => LatestValues.DimensionsKey(e) == dimensions);
        Assert.Equal(expected, sample.GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Nothing_else_is_counted_and_once_reports_the_pair()
    {
        var latest = await host.Host.GetJsonAsync("/api/kpis/latest?source=migration");

        Assert.Equal(Expected.Count(), latest.GetArrayLength());
        Assert.Contains("migration: reconciliation ok", host.Host.OnceOutput);
        Assert.StartsWith("exit 0", host.Host.OnceOutput);
        // The sources' own passes carry no reconciliation KPI.
        var legacy = await host.Host.GetJsonAsync("/api/kpis/latest?source=legacy");
        Assert.DoesNotContain(legacy.EnumerateArray(), e => e.GetProperty("kpi").GetString()!.StartsWith("reconciliation_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_drill_down_lists_each_counts_records()
    {
        var page = await host.Host.GetJsonAsync("/api/reconciliation/issues?source=migration&limit=1000");
        var issues = page.GetProperty("items").EnumerateArray()
            .Select(i => $"{i.GetProperty("kind").GetString()} {i.GetProperty("object").GetString()} {i.GetProperty("recordId").GetString()} {i.GetProperty("field").GetString()}")
            .Order(StringComparer.Ordinal).ToList();

        Assert.Equal(16, page.GetProperty("total").GetInt32());
        Assert.Equal(new[]
        {
            "reconciliation_delta_records company A4 ", "reconciliation_delta_records contact C5 ", "reconciliation_delta_records deal D4 ",
            "reconciliation_emptied_properties company A2 industry", "reconciliation_emptied_properties contact C2 phone",
            "reconciliation_emptied_properties deal D2 amount",
            "reconciliation_extra_records company 103 ", "reconciliation_extra_records contact 207 ",
            "reconciliation_lost_associations contact C4 company", "reconciliation_lost_associations deal D2 company",
            "reconciliation_lost_associations deal D5 contact",
            "reconciliation_missing_records company A3 ", "reconciliation_missing_records company A4 ",
            "reconciliation_missing_records contact C3 ", "reconciliation_missing_records deal D3 ", "reconciliation_missing_records deal D4 ",
        }, issues);
        var one = await host.Host.GetJsonAsync("/api/reconciliation/issues?source=migration&kind=reconciliation_missing_records&object=deal");
        Assert.Equal(2, one.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_kind_of_another_family_is_refused_with_the_known_kinds()
    {
        using var response = await host.Host.Client.GetAsync("/api/reconciliation/issues?kind=stalled_deals");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("reconciliation_missing_records", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_missing_records_export_is_a_file_source_csv_of_the_old_records()
    {
        var csv = await host.Host.Client.GetStringAsync("/api/reconciliation/migration/export?kind=reconciliation_missing_records&object=contact");

        Assert.Equal(
            "id,first_name,last_name,email,phone,company_id,owner_id,lifecycle_stage,lead_status,is_lead,converted_at,created_at,modified_at\r\n" +
            "C3,Cid,Roe,cid@initech.io,,A3,u1,lead,,false,,2025-06-01T00:00:00Z,2026-02-01T00:00:00Z\r\n", csv);
    }

    [Fact]
    public async Task The_fix_exports_name_the_new_records()
    {
        var emptied = await host.Host.Client.GetStringAsync("/api/reconciliation/migration/export?kind=reconciliation_emptied_properties&object=contact");
        var lost = await host.Host.Client.GetStringAsync("/api/reconciliation/migration/export?kind=reconciliation_lost_associations&object=deal");
        var delta = await host.Host.Client.GetStringAsync("/api/reconciliation/migration/export?kind=reconciliation_delta_records&object=deal");

        Assert.Equal("new_id,old_id,field,value,old_field\r\n202,C2,phone,555-0102,phone\r\n", emptied);
        Assert.Equal("new_id,old_id,association,target_new_id,target_old_id,current_target_new_id\r\n305,D5,contact,204,C4,201\r\n302,D2,company,102,A2,\r\n", lost);
        Assert.StartsWith("id,name,pipeline,stage,amount,close_date,owner_id,company_id,contact_id,is_closed,is_won,closed_at,lost_reason,stage_entered_at,created_at,modified_at\r\nD4,Acme add-on,sales,proposal,250,2026-06-30,u1,A1,C1,false,false,", delta);
    }

    [Theory]
    [InlineData("/api/reconciliation/nope/export?kind=reconciliation_missing_records&object=contact", HttpStatusCode.NotFound, "No reconciliation pair 'nope' (configured: migration)")]
    [InlineData("/api/reconciliation/migration/export?kind=records&object=contact", HttpStatusCode.BadRequest, "kind: 'records' is not an exportable kind")]
    [InlineData("/api/reconciliation/migration/export?kind=reconciliation_missing_records&object=task", HttpStatusCode.BadRequest, "object: 'task' is not reconciled by pair 'migration'")]
    public async Task Bad_export_requests_say_what_is_wrong(string path, HttpStatusCode status, string message)
    {
        using var response = await host.Host.Client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_pairs_endpoint_shows_the_configuration_and_the_last_pass()
    {
        var pairs = await host.Host.GetJsonAsync("/api/reconciliation");

        var pair = Assert.Single(pairs.EnumerateArray());
        Assert.Equal(("migration", "legacy", "crm"), (pair.GetProperty("name").GetString(), pair.GetProperty("old").GetString(), pair.GetProperty("new").GetString()));
        Assert.Equal(TestTimes.Afternoon, pair.GetProperty("lastPassAt").GetDateTimeOffset());
        var deal = pair.GetProperty("objects").EnumerateArray().Single(o => o.GetProperty("object").GetString() == "deal");
        Assert.Equal(["external_id"], deal.GetProperty("matchBy").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal("legacy_id", deal.GetProperty("externalIdField").GetString());
    }

    [Fact]
    public async Task Metrics_show_the_pair_as_its_source()
    {
        var metrics = await host.Host.Client.GetStringAsync("/metrics");

        Assert.Contains("crmpulse_reconciliation_missing_records{source=\"migration\",object=\"deal\"} 2\n", metrics);
        Assert.Contains("crmpulse_reconciliation_lost_associations{source=\"migration\",object=\"contact\",field=\"company\"} 1\n", metrics);
    }
}
