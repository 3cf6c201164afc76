using System.Text.RegularExpressions;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using static CrmPulse.Core.Tests.Kpis.Fixture;

namespace CrmPulse.Core.Tests.Kpis;

public sealed class KpiCatalogTests
{
    private static readonly Regex SnakeCase = new("^[a-z][a-z0-9]*(_[a-z0-9]+)*$");

    // Prometheus metric names: [a-zA-Z_:][a-zA-Z0-9_:]*; ours are lower-case snake_case with the crmpulse_ prefix.
    private static readonly Regex MetricName = new("^crmpulse_[a-z][a-z0-9]*(_[a-z0-9]+)*$");

    private static readonly string[] Units = ["count", "users", "ratio", "score", "activities_per_user", "minutes", "days", "currency", "milliseconds", "flag"];

    [Fact]
    public void Ids_are_unique_snake_case()
    {
        Assert.Equal(KpiCatalog.All.Count, KpiCatalog.All.Select(d => d.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(KpiCatalog.All, d => Assert.Matches(SnakeCase, d.Id));
    }

    [Fact]
    public void Every_family_class_is_listed_once_and_owns_its_definitions_a_family_may_span_several_classes()
    {
        var implementations = typeof(IKpiFamily).Assembly.GetTypes()
            .Where(t => typeof(IKpiFamily).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var listed = KpiCatalog.Families.Select(f => f.GetType()).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

        Assert.Equal(implementations, listed);
        Assert.All(KpiCatalog.Families, f => Assert.All(f.Definitions, d => Assert.Equal(f.Family, d.Family)));
        Assert.Equal(KpiCatalog.Families.Sum(f => f.Definitions.Count), KpiCatalog.All.Count);
    }

    [Fact]
    public void Definitions_are_documented_with_a_known_unit_and_snake_case_dimensions()
    {
        Assert.All(KpiCatalog.All, d =>
        {
            Assert.Contains(d.Unit, Units);
            Assert.False(string.IsNullOrWhiteSpace(d.Description), d.Id);
            Assert.All(d.Dimensions, n => Assert.Matches(SnakeCase, n));
            Assert.True(d.Period > TimeSpan.Zero, d.Id);
        });
    }

    [Fact]
    public void Metric_name_is_crmpulse_family_id()
    {
        Assert.Equal("crmpulse_adoption_weekly_active_ratio", KpiCatalog.Get("weekly_active_ratio").MetricName);
        Assert.Equal("crmpulse_activity_activities_logged_7d", KpiCatalog.Get("activities_logged_7d").MetricName);
        Assert.Equal("crmpulse_data_quality_field_fill_rate", KpiCatalog.Get("field_fill_rate").MetricName);
        Assert.Equal("crm_data_quality", KpiCatalog.Get("records").Measurement);
        Assert.All(KpiCatalog.All, d => Assert.Matches(MetricName, d.MetricName));
    }

    [Theory]
    [InlineData("integration_freshness", "crmpulse_integration_freshness_seconds", 2.5, 150)]
    [InlineData("probe_latency_p95", "crmpulse_integration_probe_latency_p95_seconds", 250, 0.25)]
    [InlineData("sales_cycle_median", "crmpulse_outcome_sales_cycle_median_seconds", 1.5, 129_600)]
    [InlineData("stage_age_median", "crmpulse_pipeline_stage_age_median_seconds", 3, 259_200)]
    [InlineData("lead_response_time_median", "crmpulse_outcome_lead_response_time_median_seconds", 7, 420)]
    [InlineData("data_quality_score", "crmpulse_data_quality_score_ratio", 87, 0.87)]
    [InlineData("nps", "crmpulse_outcome_nps_ratio", -25, -0.25)]
    [InlineData("data_quality_component", "crmpulse_data_quality_component", 0.5, 0.5)]
    [InlineData("integration_late", "crmpulse_integration_late", 1, 1)]
    [InlineData("win_rate", "crmpulse_outcome_win_rate", 0.4, 0.4)]
    [InlineData("open_pipeline_value", "crmpulse_pipeline_open_value", 1200, 1200)]
    public void Metric_names_are_in_base_units_without_the_family_word_twice(string id, string metric, double value, double shown)
    {
        var kpi = KpiCatalog.Get(id);

        Assert.Equal((metric, shown), (kpi.MetricName, kpi.MetricValue(value)));
    }

    [Fact]
    public void No_metric_name_repeats_a_word_or_names_a_unit_other_than_seconds()
    {
        string[] nonBase = ["milliseconds", "ms", "minutes", "hours", "days", "percent"];

        Assert.All(KpiCatalog.All, d =>
        {
            var words = d.MetricName.Split('_');
            Assert.True(words.Distinct().Count() == words.Length, $"{d.MetricName} repeats a word");
            Assert.DoesNotContain(words, nonBase.Contains);
        });
        Assert.Equal(KpiCatalog.All.Count, KpiCatalog.All.Select(d => d.MetricName).Distinct().Count());
    }

    [Fact]
    public void Looking_up_an_unknown_id_names_it()
    {
        Assert.False(KpiCatalog.TryGet("weekly_active_users_typo", out _));
        Assert.True(KpiCatalog.TryGet("weekly_active_users", out var d));
        Assert.Equal(KpiFamily.Adoption, d.Family);
        var ex = Assert.Throws<KeyNotFoundException>(() => KpiCatalog.Get("nope"));
        Assert.Equal("No KPI 'nope' in the catalog.", ex.Message);
    }

    [Fact]
    public void The_engine_emits_every_catalog_kpi_with_only_its_declared_dimensions()
    {
        var snapshot = new Fixture()
            .User(new CrmUser("a", "Name of a", null, "Sales", true, false, IsAdmin: true)).User("bot", integration: true)
            .Login("a", HoursAgo(1))
            .Activity("a", DaysAgo(1), ActivityType.Email)
            .Contact(new Contact { Id = "c", OwnerId = "a", Email = "a@x.com", Phone = "+1 415 555 0100", CreatedAt = DaysAgo(1), LifecycleStage = "marketingqualifiedlead" })
            .Company(new Company { Id = "co", Domain = "x.com" })
            .Deal(new Deal { Id = "d", OwnerId = "a", CreatedAt = DaysAgo(1), IsClosed = true, IsWon = true, ClosedAt = HoursAgo(1) })
            // Outcomes and pipeline: an answered lead with NPS/CSAT answers, a customer since before the churn window, a staged open deal.
            .Contact(new Contact { Id = "lead", IsLead = true, CreatedAt = DaysAgo(2), Custom = new Dictionary<string, string?> { ["nps"] = "9", ["csat"] = "5" } })
            .Activity(new Activity("m", ActivityType.Meeting, "a", DaysAgo(1), DaysAgo(1), DaysAgo(1), ContactId: "lead"))
            .Deal(new Deal { Id = "old", CompanyId = "co", CreatedAt = DaysAgo(300), IsClosed = true, IsWon = true, ClosedAt = DaysAgo(200) })
            .Deal(new Deal { Id = "won", CreatedAt = DaysAgo(10), IsClosed = true, IsWon = true, ClosedAt = DaysAgo(3), Amount = 100 })
            .Deal(new Deal { Id = "open", OwnerId = "a", CreatedAt = DaysAgo(5), Stage = "s", StageEnteredAt = DaysAgo(2) })
            .Snapshot();
        // The contact's e-mail stands in for an integration's source field, so the record-based integration KPIs appear;
        // a phone (invalid_phone_ratio needs one) and a custom field (unused_custom_fields needs one).
        var result = KpiEngine.Compute(snapshot, AsOf, new KpiOptions
        {
            CustomFields = new Dictionary<string, IReadOnlyList<string>> { ["contact"] = ["tier"] },
            Outcomes = new OutcomeOptions { ChurnField = "churned_on", NpsField = "nps", CsatField = "csat", RoiCost = 1, RoiGain = 2, TerritoryField = "industry" },
            Integrations = [new IntegrationFieldRule("form", "email", "a@x.com", TimeSpan.FromHours(1))],
            Licences = new LicenceOptions { CostPerSeat = 10, Roster = ["a@x.com"] },
        });

        // Not from the engine: probe and CRM API samples (the host's), the volume ratio, which needs 14 days of
        // history (IntegrationKpisTests covers it), and the reconciliation of two sources (the host's pair pass).
        Assert.Equal(KpiCatalog.All.Where(d => d.Family != KpiFamily.Reconciliation).Select(d => d.Id)
                .Where(id => !IntegrationKpis.ProducedByHost.Contains(id) && id != "integration_volume_ratio").Order(StringComparer.Ordinal),
            result.Samples.Select(s => s.Kpi).Distinct().Order(StringComparer.Ordinal));
        Assert.All(result.Samples, s =>
        {
            var declared = KpiCatalog.Get(s.Kpi).Dimensions;
            Assert.All(s.Dimensions.Pairs, p => Assert.Contains(p.Key, declared));
            Assert.Equal("test", s.Source);
            Assert.Equal(AsOf, s.Time);
        });
        // Exactly one sample per (kpi, dimensions): no series is written twice in one pass.
        Assert.Equal(result.Samples.Count, result.Samples.Select(s => (s.Kpi, s.Dimensions.Key)).Distinct().Count());
        Assert.Equal(["a", "bot"], result.Users.Select(u => u.UserId));
        // Every record listed is of a KPI that declares its drill-down (the issues API accepts only those kinds).
        Assert.NotEmpty(result.Issues);
        Assert.All(result.Issues, i => Assert.True(KpiCatalog.Get(i.Kpi).HasIssues, $"{i.Kpi} lists records but does not declare HasIssues"));
    }

    [Fact]
    public void Only_counts_of_records_declare_issues()
    {
        Assert.All(KpiCatalog.All.Where(d => d.HasIssues), d => Assert.Equal("count", d.Unit));
        // Counts of something other than offending records: the record total, clusters, fields, snoozed and open deals.
        Assert.All(new[] { "records", "duplicate_clusters", "unused_custom_fields", "snoozed_deals", "open_deals" },
            id => Assert.False(KpiCatalog.Get(id).HasIssues, id));
        Assert.Equal(29, KpiCatalog.All.Count(d => d.HasIssues && d.Family != KpiFamily.Reconciliation));
        Assert.Equal(8, KpiCatalog.All.Count(d => d.HasIssues && d.Family == KpiFamily.Reconciliation));
    }

    [Fact]
    public void Rebuildable_only_keeps_the_kpis_that_timestamps_can_rebuild()
    {
        var snapshot = new Fixture().User("a", "Sales").Login("a", HoursAgo(1))
            .Contact(new Contact { Id = "c" }).Snapshot();
        var result = KpiEngine.Compute(snapshot, AsOf, new KpiOptions(), rebuildableOnly: true);

        Assert.NotEmpty(result.Samples);
        Assert.All(result.Samples, s => Assert.True(KpiCatalog.Get(s.Kpi).Rebuildable, s.Kpi));
        Assert.DoesNotContain(result.Samples, s => s.Kpi is "licensed_users" or "excluded_users" or "records" or "field_fill_rate");
    }
}
