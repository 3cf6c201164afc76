using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using CrmPulse.Hosting;
using CrmPulse.Sources.Demo;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.EndToEnd;

/// <summary>
/// The embedded default (no configuration: one Demo source) through the real host: one pass gives the KPIs the demo
/// knows it planted, for every KPI that does not move with the clock, and the dipping team stands out.
/// </summary>
public sealed class DemoHostTests
{
    [Fact]
    public async Task The_embedded_default_serves_the_demos_planted_numbers()
    {
        // The host's clock stands at the anchor (today's UTC midnight): later in the day the demo adds the day's new
        // records, and the record counts and fill rates would move with the time of day the test runs at.
        var midnight = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        await using var host = await InProcessHost.StartAsync(new Dictionary<string, string?>(), new FakeClock(midnight));
        var demo = (DemoSource)host.Services.GetRequiredService<SourceRegistry>().Source("demo");
        var facts = demo.Facts;
        var latest = await host.GetJsonAsync("/api/kpis/latest?source=demo");

        Assert.Contains("demo: sync ok, KPIs ok", host.OnceOutput);
        Assert.Equal(facts.Adoption.Licensed, LatestValues.Value(latest, "licensed_users", ""));
        Assert.Equal(152, LatestValues.Value(latest, "licensed_users", ""));
        foreach (var (team, teamFacts) in facts.AdoptionByTeam)
            Assert.Equal(teamFacts.Licensed, LatestValues.Value(latest, "licensed_users", $"team={team}"));
        Assert.Equal(facts.ExcludedUsers, LatestValues.Value(latest, "excluded_users", ""));
        foreach (var (obj, count) in facts.Records) Assert.Equal(count, LatestValues.Value(latest, "records", $"object={obj}"));
        foreach (var (obj, fields) in facts.FieldFillRates)
        foreach (var (field, rate) in fields)
            Assert.Equal(rate, LatestValues.Value(latest, "field_fill_rate", $"field={field},object={obj}"), 12);
        foreach (var (obj, score) in facts.CompletenessScores) Assert.Equal(score, LatestValues.Value(latest, "completeness_score", $"object={obj}"), 12);
        foreach (var (obj, ratio) in facts.CompleteRecordsRatios) Assert.Equal(ratio, LatestValues.Value(latest, "complete_records_ratio", $"object={obj}"), 12);

        // The adoption dip: the planted team has the lowest weekly active ratio, under half of every other team's.
        var byTeam = facts.AdoptionByTeam.Keys.ToDictionary(t => t, t => LatestValues.Value(latest, "weekly_active_ratio", $"team={t}"));
        var others = byTeam.Where(p => p.Key != facts.DipTeam).Select(p => p.Value).ToList();
        Assert.True(byTeam[facts.DipTeam] < others.Min() / 2,
            $"{facts.DipTeam}: {byTeam[facts.DipTeam]}; others: {string.Join(", ", others)}");
    }

    /// <summary>
    /// The host's pass runs at now, after the anchor (the UTC midnight of the first sync), so today's new deals,
    /// contacts and activities move the clock-bound KPIs. The pipeline and outcome KPIs leave out records created
    /// after as-of, so the engine over the host's own mirror, as of the anchor and with the host's options, must give
    /// every planted fact exactly.
    /// </summary>
    [Fact]
    public async Task The_hosts_mirror_recovers_every_pipeline_and_outcome_fact_at_the_anchor()
    {
        await using var host = await InProcessHost.StartAsync(new Dictionary<string, string?>(), TestTimes.Clock(TestTimes.Afternoon));
        var registry = host.Services.GetRequiredService<SourceRegistry>();
        var facts = ((DemoSource)registry.Source("demo")).Facts;
        var options = registry.Config("demo").KpiOptions;
        var snapshot = await host.Services.GetRequiredService<IMirror>().LoadSnapshotAsync("demo", CancellationToken.None);
        var r = KpiEngine.Compute(snapshot, facts.Anchor, options);
        double V(string kpi, params (string, string?)[] dims) =>
            r.Samples.Single(s => s.Kpi == kpi && s.Dimensions.Equals(Dimensions.Of(dims))).Value;
        var latest = await host.GetJsonAsync("/api/kpis/latest?source=demo");

        Assert.Equal(DemoSource.SnoozeField, options.Pipeline.SnoozeField);
        Assert.Equal(facts.OverdueOpenTasks, V("overdue_tasks"));
        Assert.Equal(facts.TasksWithoutDueDate, V("tasks_without_due_date"));
        Assert.Equal(facts.TasksWithoutOwner, V("tasks_without_owner"));
        Assert.Equal(facts.OpenDealsPastCloseDate, V("deals_past_close_date"));
        Assert.Equal(facts.StalledDeals, V("stalled_deals"));
        Assert.Equal(facts.SnoozedDealIds.Count, V("snoozed_deals"));
        Assert.Equal(facts.SnoozedDealIds.Count, LatestValues.Value(latest, "snoozed_deals", "")); // no snooze ends today
        Assert.Equal(facts.LostWithoutReason90d, V("lost_without_reason"));
        Assert.Equal(facts.OpenDeals, V("open_deals"));
        Assert.Equal((double)facts.OpenPipelineValue, V("open_pipeline_value"), 6);
        foreach (var (pipeline, stages) in facts.StageAgeMedianDays)
        foreach (var (stage, median) in stages)
            Assert.Equal(median, V("stage_age_median", ("pipeline", pipeline), ("stage", stage)), 9);
        Assert.Equal(facts.DealsAgingInStage, V("deals_aging_in_stage"));
        // Every counted record is an issue: the drill-down agrees with the count.
        Assert.Equal(facts.StalledDeals, r.Issues.Count(i => i.Kpi == "stalled_deals"));

        var o = facts.Outcomes;
        Assert.Equal(o.WinRate90d, V("win_rate"), 12);
        Assert.Equal(o.SalesCycleMedianDays, V("sales_cycle_median"), 9);
        Assert.Equal((double)o.NewRevenue30d, V("new_revenue_30d"), 6);
        foreach (var (month, revenue) in o.NewRevenueByMonth) Assert.Equal((double)revenue, V("new_revenue_month", ("month", month)), 6);
        Assert.Equal((double)o.AverageDealSize, V("average_deal_size"), 6);
        Assert.Equal(o.LeadResponseMedianMinutes, V("lead_response_time_median"), 9);
        Assert.Equal(o.LeadResponseWithin5mRatio, V("lead_response_within_5m_ratio"), 12);
        Assert.Equal(o.LeadResponseWithin1hRatio, V("lead_response_within_1h_ratio"), 12);
        Assert.Equal(o.UnansweredLeads, V("unanswered_leads"));
        Assert.Equal(o.LeadConversionRate, V("lead_conversion_rate"), 12);
        // Nothing maps churn, NPS, CSAT or ROI in the embedded default.
        Assert.DoesNotContain(r.Samples, s => s.Kpi is "churn_rate" or "nps" or "csat" or "crm_roi");
    }

    [Fact]
    public async Task The_embedded_default_serves_the_demos_planted_data_quality_and_its_records()
    {
        await using var host = await InProcessHost.StartAsync(new Dictionary<string, string?>(), TestTimes.Clock(TestTimes.Afternoon));
        var facts = ((DemoSource)host.Services.GetRequiredService<SourceRegistry>().Source("demo")).Facts;
        var latest = await host.GetJsonAsync("/api/kpis/latest?source=demo&family=data_quality");
        double Latest(string kpi, string dims) => LatestValues.Value(latest, kpi, dims);
        // The pass runs at "now": from the morning of the anchor day on, the demo adds the day's new contacts and
        // deals. The facts hold at the anchor, so they are compared with the issues of records that existed then;
        // the counts must equal all their issues. (Stale records and contacts without activity, which also move with
        // the clock, are checked at the anchor in DemoDataQualityTests.)
        var snapshot = await host.Services.GetRequiredService<Core.Store.IMirror>().LoadSnapshotAsync("demo", CancellationToken.None);
        var newSinceAnchor = snapshot.Contacts.Cast<Core.Model.CrmRecord>().Concat(snapshot.Companies).Concat(snapshot.Deals)
            .Where(r => r.CreatedAt > facts.Anchor).Select(r => (r.ObjectType, r.Id)).ToHashSet();

        async Task Check(string kind, string obj, int expected, string? field = null)
        {
            var issues = (await AllIssuesAsync(host, $"kind={kind}&object={obj}&source=demo"))
                .Where(i => field is null || Text(i, "field") == field).ToList();
            var dims = field is null ? $"object={obj}" : $"field={field},object={obj}";
            Assert.Equal(issues.Count, Latest(kind, dims));
            Assert.Equal(expected, issues.Count(i => !newSinceAnchor.Contains((obj, Text(i, "recordId")!))));
        }

        await Check("missing_required_field", "contact", facts.ContactsMissingEmail, "email");
        await Check("missing_required_field", "contact", facts.ContactsMissingPhone, "phone");
        await Check("invalid_emails", "contact", facts.ContactsInvalidEmail);
        await Check("invalid_phones", "contact", facts.ContactsInvalidPhone);
        await Check("unreachable_contacts", "contact", facts.UnreachableContacts);
        await Check("orphan_records", "contact", facts.ContactsWithoutCompany);
        await Check("orphan_records", "deal", facts.OrphanDeals);
        await Check("orphan_records", "company", facts.CompaniesWithMissingParent.Count);
        foreach (var (obj, count) in facts.UnownedRecords) await Check("unowned_records", obj, count);
        foreach (var (obj, count) in facts.RecordsOwnedByDeactivatedUsers) await Check("records_owned_by_deactivated_users", obj, count);
        Assert.Equal(Latest("invalid_emails", "object=contact")
            / (Latest("records", "object=contact") - Latest("missing_required_field", "field=email,object=contact")), Latest("invalid_email_ratio", "object=contact"), 12);
        Assert.Equal(1, Latest("unused_custom_fields", "object=contact")); // legacy_region, below 1 %
        Assert.InRange(Latest("field_fill_rate", "field=legacy_region,object=contact"), 1e-9, 0.01);
        Assert.InRange(Latest("field_fill_rate", "field=customer_tier,object=contact"), 0.5, 1);
        Assert.InRange(Latest("data_quality_score", ""), 1, 99);

        // Where the demo names its records, the drill-down lists exactly those, with every field of an item.
        var orphanCompanies = await AllIssuesAsync(host, "kind=orphan_records&object=company&source=demo");
        Assert.Equal(facts.CompaniesWithMissingParent.Order(StringComparer.Ordinal), orphanCompanies.Select(i => Text(i, "recordId")));
        var first = orphanCompanies[0];
        Assert.Equal(("demo", "orphan_records", "company", "parent"), (Text(first, "source"), Text(first, "kind"), Text(first, "object"), Text(first, "field")));
        Assert.Equal(JsonValueKind.Null, first.GetProperty("link").ValueKind); // the demo has no UI to link to
        Assert.StartsWith("parent company '", Text(first, "detail"));
        Assert.True(first.GetProperty("computedAt").GetDateTimeOffset() >= facts.Anchor);
        var deactivated = await AllIssuesAsync(host, "kind=records_owned_by_deactivated_users");
        Assert.All(deactivated, i => Assert.Contains(Text(i, "owner"), facts.DeactivatedUserIds));
        foreach (var owner in facts.DeactivatedUserIds)
            Assert.Equal(deactivated.Count(i => Text(i, "owner") == owner), await TotalAsync(host, $"owner={owner}&kind=records_owned_by_deactivated_users"));

        var picklist = (await AllIssuesAsync(host, "kind=inconsistent_picklist_values")).Select(i => new Core.Kpis.RecordIssue(
            Text(i, "kind")!, Text(i, "object")!, Text(i, "recordId")!, Text(i, "owner"), Text(i, "team")!, Text(i, "field"), Text(i, "detail")));
        PicklistAssertions.MatchPlantedVariants(facts, picklist, snapshot);
    }

    /// <summary>Every issue matching the query, read page by page (1000 at a time).</summary>
    private static async Task<List<JsonElement>> AllIssuesAsync(InProcessHost host, string query)
    {
        var items = new List<JsonElement>();
        for (var offset = 0; ; offset += 1000)
        {
            var page = await host.GetJsonAsync($"/api/data-quality/issues?{query}&offset={offset}&limit=1000");
            items.AddRange(page.GetProperty("items").EnumerateArray());
            if (items.Count >= page.GetProperty("total").GetInt32()) return items;
        }
    }

    private static async Task<int> TotalAsync(InProcessHost host, string query) =>
        (await host.GetJsonAsync($"/api/data-quality/issues?{query}&limit=1")).GetProperty("total").GetInt32();

    private static string? Text(JsonElement e, string name) => e.GetProperty(name).GetString();
}
