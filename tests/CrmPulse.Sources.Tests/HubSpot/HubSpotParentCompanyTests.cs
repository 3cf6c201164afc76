using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Tests.HubSpot;

/// <summary>Parent companies from the company→company association (v4, "Parent Company" / typeId 14), over the property.</summary>
public sealed class HubSpotParentCompanyTests
{
    /// <summary>
    /// 1 is a holding. 2 is its child by association only; 3 names a stale parent 999 in hs_parent_company_id but is
    /// 1's child by association; 4 names parent 1 by property only; 5 has no parent; 6 names a parent 777 that does not
    /// exist, by property only.
    /// </summary>
    private static HubSpotHarness Portal()
    {
        var h = new HubSpotHarness();
        foreach (var (id, parentProperty) in new (long, string?)[] { (1, null), (2, ""), (3, "999"), (4, "1"), (5, null), (6, "777") })
        {
            var o = new FakeObject { Id = id, CreatedAt = FakePortal.Start, UpdatedAt = FakePortal.Start };
            o.Properties["createdate"] = FakePortal.Iso(FakePortal.Start);
            o.Properties["hs_lastmodifieddate"] = FakePortal.Iso(FakePortal.Start);
            o.Properties["name"] = $"Company {id}";
            o.Properties["hs_parent_company_id"] = parentProperty;
            h.Server.Of("companies")[id] = o;
        }
        FakePortal.Parent(h.Server, child: 2, parent: 1);
        FakePortal.Parent(h.Server, child: 3, parent: 1);
        return h;
    }

    /// <summary>The parents of companies 1 to 6, "-" for none.</summary>
    private static string Parents(HubSpotHarness h) =>
        string.Join(",", Enumerable.Range(1, 6).Select(i => h.Mirror.Get<Company>(ObjectKind.Company, i.ToString()).ParentId ?? "-"));

    private static List<RecordIssue> CompanyOrphans(HubSpotHarness h) => CompanyIssues(h, "orphan_records");

    /// <summary>The issues of a count KPI on companies, after checking the KPI's value is their number.</summary>
    private static List<RecordIssue> CompanyIssues(HubSpotHarness h, string kpi)
    {
        var snapshot = new CrmSnapshot("hubspot", h.Mirror.All<CrmUser>().ToList(), [], [], h.Mirror.All<Company>().ToList(), [], []);
        var result = KpiEngine.Compute(snapshot, h.Clock.GetUtcNow(), new KpiOptions());
        var sample = result.Samples.Single(s => s.Kpi == kpi && s.Dimensions["object"] == "company");
        var issues = result.Issues.Where(i => i.Kpi == kpi && i.Object == "company").ToList();
        Assert.Equal(issues.Count, sample.Value); // the count is its issues
        return issues;
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 1)]
    public async Task A_child_by_association_is_not_a_duplicate_of_its_parent_with_the_same_name_and_domain(bool associations, int removable)
    {
        using var h = Portal();
        foreach (var id in new long[] { 1, 2 })
        {
            h.Server.Of("companies")[id].Properties["name"] = "Holding Example";
            h.Server.Of("companies")[id].Properties["domain"] = "holding.example";
        }
        if (!associations)
            h.Server.Fault = r => r.Path.EndsWith("/companies/companies/batch/read", StringComparison.Ordinal) ? new FakeResponse(404, "{}") : null;

        await h.SyncAsync();

        // Same name (7 bits) + same domain (8 bits) = 15 >= 11: duplicates, unless 2 is 1's child (only the association says so).
        var issues = CompanyIssues(h, "removable_duplicates");
        Assert.Equal(removable, issues.Count);
        if (removable == 1) Assert.Equal("2", issues[0].RecordId); // 1 is the survivor: same age, smaller id
    }

    [Fact]
    public async Task The_parent_association_sets_an_empty_parent_and_wins_over_a_disagreeing_property()
    {
        using var h = Portal();

        var changes = await h.SyncAsync();

        // 2: association only; 3: association 1 over property 999; 4: property only; 6: property only.
        Assert.Equal("-,1,1,1,-,777", Parents(h));
        Assert.Empty(changes.Problems);
        var reads = h.Server.Requests.Where(r => r.Path == "/crm/v4/associations/companies/companies/batch/read").ToList();
        var read = Assert.Single(reads); // 6 companies fit one batch of 100
        Assert.Equal(6, read.Json.GetProperty("inputs").GetArrayLength());
    }

    [Fact]
    public async Task Orphan_records_count_only_the_company_whose_parent_is_missing_once_associations_are_read()
    {
        using var h = Portal();

        await h.SyncAsync();

        // Only 6 names a company that does not exist; 3's stale 999 is replaced by its associated parent 1.
        var orphan = Assert.Single(CompanyOrphans(h));
        Assert.Equal(("6", "parent company '777' does not exist"), (orphan.RecordId, orphan.Detail));
    }

    [Fact]
    public async Task Without_company_associations_parents_come_from_the_property_and_the_stale_one_is_an_orphan()
    {
        using var h = Portal();
        h.Server.Fault = r => r.Path == "/crm/v4/associations/companies/companies/batch/read"
            ? new FakeResponse(404, """{"status":"error","message":"Unknown association","category":"OBJECT_NOT_FOUND"}""")
            : null;

        var changes = await h.SyncAsync();

        Assert.Equal("-,-,999,1,-,777", Parents(h));
        var problem = Assert.Single(changes.Notices);
        Assert.Equal("/crm/v4/associations/companies/companies/batch/read", problem.Location);
        // 3 (999) and 6 (777) name companies that do not exist: 2 orphans instead of 1.
        Assert.Equal(["3", "6"], CompanyOrphans(h).Select(i => i.RecordId).Order(StringComparer.Ordinal));
        Assert.Empty((await h.SyncAsync()).Notices); // reported once, not every sync
    }

    [Fact]
    public async Task An_incremental_sync_reads_the_parent_association_of_the_companies_it_found()
    {
        using var h = Portal();
        await h.SyncAsync();
        var later = FakePortal.Start.AddDays(1);
        FakePortal.Parent(h.Server, child: 5, parent: 4);
        FakePortal.Touch(h.Server, "companies", 5, later, "name", "Company 5 (acquired)");

        await h.SyncAsync();

        Assert.Equal("-,1,1,1,4,777", Parents(h));
        var read = h.Server.Requests.Last(r => r.Path == "/crm/v4/associations/companies/companies/batch/read");
        // The search re-reads the companies at the watermark (GTE) and the changed one: ids 1 to 6, 5 among them.
        Assert.Contains("5", read.Json.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        Assert.Equal(2, h.Server.Count(r => r.Path == "/crm/v4/associations/companies/companies/batch/read"));
    }

    [Fact]
    public async Task A_parent_labelled_Parent_Company_without_HubSpots_type_id_is_still_the_parent()
    {
        using var h = Portal();
        // A server that sends a user-defined pair label instead of typeId 14.
        h.Server.Fault = r => r.Path == "/crm/v4/associations/companies/companies/batch/read"
            ? new FakeResponse(200, """
                {"status":"COMPLETE","results":[
                  {"from":{"id":"2"},"to":[{"toObjectId":"1","associationTypes":[{"category":"USER_DEFINED","typeId":77,"label":"Parent Company"}]}]},
                  {"from":{"id":"1"},"to":[{"toObjectId":2,"associationTypes":[{"category":"HUBSPOT_DEFINED","typeId":13,"label":"Child Company"}]}]}],
                 "startedAt":"2024-10-09T12:00:00Z","completedAt":"2024-10-09T12:00:01Z"}
                """)
            : null;

        await h.SyncAsync();

        // 1 lists 2 as its child (typeId 13): that does not make 2 the parent of 1. 3 is not listed: its property.
        Assert.Equal("-,1,999,1,-,777", Parents(h));
    }

    [Fact]
    public async Task A_parent_embedded_in_the_company_listing_counts_when_the_v4_read_gives_none()
    {
        using var h = Portal();
        h.Server.Fault = r => r.Method == "GET" && r.Path == "/crm/v3/objects/companies" && r.Query["archived"] == "false"
            ? new FakeResponse(200, """
                {"results":[{"id":"8","properties":{"hs_lastmodifieddate":"2024-01-01T00:00:00Z","hs_parent_company_id":""},
                  "associations":{"companies":{"results":[{"id":"9","type":"child_to_parent_company"},{"id":"9","type":"company_to_company"}]}}},
                 {"id":"9","properties":{"hs_lastmodifieddate":"2024-01-01T00:00:00Z"},
                  "associations":{"companies":{"results":[{"id":"8","type":"parent_to_child_company"}]},"contacts":[]}}]}
                """)
            : null;

        await h.SyncAsync();

        // The fake's v4 store has no companies 8 and 9, so only the embedded child_to_parent_company names 9 as 8's parent.
        // 9's "contacts": [] (a block of another shape) is skipped.
        Assert.Equal("9", h.Mirror.Get<Company>(ObjectKind.Company, "8").ParentId);
        Assert.Null(h.Mirror.Get<Company>(ObjectKind.Company, "9").ParentId);
    }
}
