using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using CrmPulse.Options;
using CrmPulse.Sources.Demo;
using CrmPulse.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace CrmPulse.Tests.EndToEnd;

/// <summary>
/// The data-quality KPIs recover every data-quality fact the demo planted, exactly, at the demo's anchor: the demo
/// org as its first pull at the anchor gives it, through the KPI engine with the embedded default's options. (The
/// host test reads the same numbers through the API, but its pass runs at "now", so the KPIs that move with the clock,
/// stale records and contacts without activity, are checked here.)
/// </summary>
public sealed class DemoDataQualityTests
{
    private static readonly DateTimeOffset Anchor = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private static async Task<(DemoFacts Facts, KpiResult Result, CrmSnapshot Snapshot)> RunAsync()
    {
        var demo = new DemoSource("demo", new DemoSourceOptions { Anchor = Anchor }, new FakeClock(Anchor));
        var changes = await demo.PullAsync(new Dictionary<string, string>(), CancellationToken.None);
        var snapshot = new CrmSnapshot("demo", changes.Users, changes.Logins, changes.Contacts, changes.Companies, changes.Deals, changes.Activities);
        var options = OptionsLoader.Load(new ConfigurationBuilder().Build()).Sources.Single().KpiOptions;
        return (demo.Facts, KpiEngine.Compute(snapshot, Anchor, options), snapshot);
    }

    private static double Value(KpiResult r, string kpi, params (string, string?)[] dims) =>
        Assert.Single(r.Samples, s => s.Kpi == kpi && s.Dimensions.Equals(Dimensions.Of(dims))).Value;

    private static List<string> Ids(KpiResult r, string kpi, string obj) =>
        r.Issues.Where(i => i.Kpi == kpi && i.Object == obj).Select(i => i.RecordId).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Every_planted_data_quality_fact_is_recovered_at_the_anchor()
    {
        var (facts, r, _) = await RunAsync();
        var contacts = facts.Records["contact"];

        Assert.Equal(facts.ContactsMissingEmail, Value(r, "missing_required_field", ("object", "contact"), ("field", "email")));
        Assert.Equal(facts.ContactsMissingPhone, Value(r, "missing_required_field", ("object", "contact"), ("field", "phone")));
        Assert.Equal(facts.ContactsInvalidEmail, Value(r, "invalid_emails", ("object", "contact")));
        Assert.Equal(facts.ContactsInvalidPhone, Value(r, "invalid_phones", ("object", "contact")));
        Assert.Equal((double)facts.ContactsInvalidEmail / (contacts - facts.ContactsMissingEmail), Value(r, "invalid_email_ratio", ("object", "contact")), 12);
        Assert.Equal((double)facts.ContactsInvalidPhone / (contacts - facts.ContactsMissingPhone), Value(r, "invalid_phone_ratio", ("object", "contact")), 12);
        Assert.Equal(facts.UnreachableContacts, Value(r, "unreachable_contacts", ("object", "contact")));
        Assert.Equal(facts.StaleContacts, Value(r, "stale_records", ("object", "contact")));
        Assert.Equal(facts.StaleCompanies, Value(r, "stale_records", ("object", "company")));
        Assert.Equal(facts.ContactsWithoutActivity180d, Value(r, "contacts_without_activity", ("object", "contact")));
        Assert.Equal(facts.ContactsWithoutCompany, Value(r, "orphan_records", ("object", "contact")));
        Assert.Equal(facts.OrphanDeals, Value(r, "orphan_records", ("object", "deal")));
        Assert.Equal(facts.CompaniesWithMissingParent.Order(StringComparer.Ordinal), Ids(r, "orphan_records", "company"));
        foreach (var (obj, count) in facts.UnownedRecords) Assert.Equal(count, Value(r, "unowned_records", ("object", obj)));
        foreach (var (obj, count) in facts.RecordsOwnedByDeactivatedUsers)
            Assert.Equal(count, Value(r, "records_owned_by_deactivated_users", ("object", obj)));
        foreach (var (field, rate) in facts.CustomFieldFillRates)
            Assert.Equal(rate, Value(r, "field_fill_rate", ("object", "contact"), ("field", field)), 12);
        Assert.Equal(facts.CustomFieldFillRates.Values.Count(v => v < 0.01), Value(r, "unused_custom_fields", ("object", "contact")));
        Assert.Equal(1, Value(r, "unused_custom_fields", ("object", "contact"))); // legacy_region
        // Planted problems are there to be found: none of these is zero.
        Assert.All(new[] { facts.ContactsInvalidEmail, facts.ContactsInvalidPhone, facts.UnreachableContacts, facts.StaleContacts,
            facts.StaleCompanies, facts.ContactsWithoutActivity180d, facts.OrphanDeals, facts.CompaniesWithMissingParent.Count }, n => Assert.True(n > 0));
    }

    [Fact]
    public async Task The_drill_down_names_the_planted_records()
    {
        var (facts, r, snapshot) = await RunAsync();

        Assert.All(r.Issues.Where(i => i.Kpi == "records_owned_by_deactivated_users"), i => Assert.Contains(i.OwnerId, facts.DeactivatedUserIds));
        Assert.All(r.Issues.Where(i => i.Kpi == "unowned_records"), i => Assert.Null(i.OwnerId));
        Assert.Equal(snapshot.Contacts.Where(c => string.IsNullOrWhiteSpace(c.Email)).Select(c => c.Id).Order(StringComparer.Ordinal),
            r.Issues.Where(i => i.Kpi == "missing_required_field" && i.Field == "email").Select(i => i.RecordId).Order(StringComparer.Ordinal));
        PicklistAssertions.MatchPlantedVariants(facts, r.Issues, snapshot);
    }

    [Fact]
    public async Task The_score_is_a_number_between_0_and_100_and_each_issue_kind_matches_its_count()
    {
        var (_, r, _) = await RunAsync();

        var score = Value(r, "data_quality_score");
        Assert.InRange(score, 1, 99); // the demo has problems, and far more good data than bad
        foreach (var kind in r.Issues.Select(i => i.Kpi).Distinct().Where(k => KpiCatalog.Get(k).Family == KpiFamily.DataQuality))
        {
            Assert.Equal(r.Samples.Where(s => s.Kpi == kind).Sum(s => s.Value), r.Issues.Count(i => i.Kpi == kind));
        }
    }
}
