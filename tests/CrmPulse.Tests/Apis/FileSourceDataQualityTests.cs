using System.Text.Json;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.Apis;

/// <summary>
/// The data-quality defects planted in Fixtures/org1 (its README, "Data-quality defects", holds the arithmetic):
/// exact counts, ratios and score through /api/kpis/latest, and exactly the planted records through the drill-down.
/// </summary>
public sealed class FileSourceDataQualityTests(FileSourceApiTests.HostFixture host) : IClassFixture<FileSourceApiTests.HostFixture>
{
    /// <summary>(kpi, dimensions) → value and the record ids its issues must list (null: a ratio or score, no issues).</summary>
    public static readonly TheoryData<string, string, double, string[]?> Expected = new()
    {
        { "invalid_emails", "object=contact", 1, ["c4"] },
        { "invalid_email_ratio", "object=contact", 1.0 / 3, null },   // c4 of c1, c3, c4
        { "invalid_phones", "object=contact", 1, ["c1"] },
        { "invalid_phone_ratio", "object=contact", 0.5, null },       // c1 of c1, c4
        { "unreachable_contacts", "object=contact", 1, ["c2"] },
        { "stale_records", "object=contact", 1, ["c1"] },
        { "stale_records", "object=company", 1, ["co2"] },
        { "stale_records", "object=deal", 0, [] },
        { "contacts_without_activity", "object=contact", 1, ["c4"] },
        { "orphan_records", "object=contact", 1, ["c3"] },
        { "orphan_records", "object=company", 1, ["co2"] },
        { "orphan_records", "object=deal", 1, ["d2"] },
        { "unowned_records", "object=contact", 1, ["c4"] },
        { "unowned_records", "object=company", 0, [] },
        { "records_owned_by_deactivated_users", "object=company", 1, ["co2"] },
        { "records_owned_by_deactivated_users", "object=contact", 0, [] },
        { "inconsistent_picklist_values", "field=industry,object=company", 1, ["co2"] },
        { "inconsistent_picklist_values", "field=lifecycle_stage,object=contact", 0, [] },
        { "missing_required_field", "field=phone,object=contact", 2, ["c2", "c3"] },
        { "missing_required_field", "field=domain,object=company", 1, ["co2"] },
        { "missing_required_field", "field=amount,object=deal", 1, ["d2"] },
        { "unsegmented_records", "object=contact", 1, ["c3"] },
        { "segmentation_coverage", "object=contact", 0.75, null },
        { "segmentation_coverage", "object=company", 1, null },
        // 100 × (30 × 26/34 + 20 × 3/5 + 15 × 6/6 + 15 × 6/8 + 10 × 6/8 + 10 × 5/8) / 100
        { "data_quality_score", "", 30 * 26.0 / 34 + 20 * 3.0 / 5 + 15 + 15 * 6.0 / 8 + 10 * 6.0 / 8 + 10 * 5.0 / 8, null },
        // Its components, the shares of the line above.
        { "data_quality_component", "component=completeness", 26.0 / 34, null },
        { "data_quality_component", "component=validity", 3.0 / 5, null },
        { "data_quality_component", "component=uniqueness", 1, null },
        { "data_quality_component", "component=freshness", 6.0 / 8, null },
        { "data_quality_component", "component=ownership", 6.0 / 8, null },
        { "data_quality_component", "component=consistency", 5.0 / 8, null },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public async Task Planted_defects_give_the_hand_computed_values_and_list_exactly_their_records(
        string kpi, string dimensions, double expected, string[]? ids)
    {
        var latest = await host.Host.GetJsonAsync($"/api/kpis/latest?kpi={kpi}&source=files");
        Assert.Equal(expected, LatestValues.Value(latest, kpi, dimensions), 12);
        if (ids is null) return;

        var dims = dimensions.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        // A count per object and field opens exactly its records: the API filters on the field.
        var field = dims.TryGetValue("field", out var f) ? $"&field={f}" : "";
        var page = await host.Host.GetJsonAsync($"/api/data-quality/issues?source=files&kind={kpi}&object={dims["object"]}{field}&limit=1000");
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(ids, items.Select(i => i.GetProperty("recordId").GetString()));
    }

    [Fact]
    public async Task An_issue_names_the_owner_and_team_and_says_what_is_wrong()
    {
        var page = await host.Host.GetJsonAsync("/api/data-quality/issues?kind=records_owned_by_deactivated_users");

        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(("co2", "u5", "Support", "owner u5 (Eve Evans) is deactivated"), (Text(item, "recordId"), Text(item, "owner"),
            Text(item, "team"), Text(item, "detail")));
        var invalid = Assert.Single((await host.Host.GetJsonAsync("/api/data-quality/issues?kind=invalid_phones")).GetProperty("items").EnumerateArray());
        Assert.Equal("phone '555-01OO' is not a number", Text(invalid, "detail"));
    }

    private static string? Text(JsonElement e, string name) => e.GetProperty(name).GetString();
}
