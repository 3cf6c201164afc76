using CrmPulse.Core.Dedupe;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using CrmPulse.Core.Reconciliation;
using static CrmPulse.Core.Tests.Reconciliation.MigrationFixture;

namespace CrmPulse.Core.Tests.Reconciliation;

public sealed class ReconciliationKpisTests
{
    private static ReconciliationFindings Run(ReconciliationPair? pair = null, CrmSnapshot? old = null, CrmSnapshot? @new = null) =>
        ReconciliationKpis.Reconcile(pair ?? Pair(), old ?? Old(), @new ?? New(), AsOf, new DedupeOptions());

    private static Dictionary<string, double> Values(ReconciliationFindings f) =>
        f.Kpis.Samples.ToDictionary(s => $"{s.Kpi}[{s.Dimensions.Key}]", s => s.Value);

    [Fact]
    public void Every_planted_difference_is_counted_and_nothing_else()
    {
        var values = Values(Run());

        var expected = new Dictionary<string, double>
        {
            ["reconciliation_missing_records[object=contact]"] = 1, // C3
            ["reconciliation_extra_records[object=contact]"] = 1, // 207
            ["reconciliation_matched_records[object=contact]"] = 5, // C1 C2 C4 C5 C6
            ["reconciliation_delta_records[object=contact]"] = 1, // C5 changed
            ["reconciliation_emptied_properties[field=email,object=contact]"] = 0,
            ["reconciliation_emptied_properties[field=phone,object=contact]"] = 1, // C2
            ["reconciliation_emptied_properties[field=lifecycle_stage,object=contact]"] = 0,
            ["reconciliation_missing_records[object=company]"] = 2, // A3 A4
            ["reconciliation_extra_records[object=company]"] = 1, // 103
            ["reconciliation_matched_records[object=company]"] = 2, // A1 A2
            ["reconciliation_delta_records[object=company]"] = 1, // A4 created
            ["reconciliation_emptied_properties[field=name,object=company]"] = 0,
            ["reconciliation_emptied_properties[field=industry,object=company]"] = 1, // A2
            ["reconciliation_missing_records[object=deal]"] = 2, // D3 D4
            ["reconciliation_extra_records[object=deal]"] = 0,
            ["reconciliation_matched_records[object=deal]"] = 3, // D1 D2 D5
            ["reconciliation_delta_records[object=deal]"] = 1, // D4 created
            ["reconciliation_emptied_properties[field=name,object=deal]"] = 0,
            ["reconciliation_emptied_properties[field=amount,object=deal]"] = 1, // D2
            ["reconciliation_lost_associations[field=company,object=contact]"] = 1, // C4
            ["reconciliation_lost_associations[field=contact,object=deal]"] = 1, // D5
            ["reconciliation_lost_associations[field=company,object=deal]"] = 1, // D2
        };
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), values.OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Each_count_lists_exactly_its_records()
    {
        var f = Run();

        var issues = f.Kpis.Issues.Select(i => $"{i.Kpi} {i.Object} {i.RecordId} {i.Field}").Order(StringComparer.Ordinal).ToList();
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
        // Every count equals its issues, per dimensions.
        foreach (var s in f.Kpis.Samples.Where(s => KpiCatalog.Get(s.Kpi).HasIssues))
            Assert.Equal(s.Value, f.Kpis.Issues.Count(i => i.Kpi == s.Kpi && i.Object == s.Dimensions["object"] && i.Field == s.Dimensions["field"]));
        Assert.All(f.Kpis.Samples, s => Assert.Equal(("migration", AsOf), (s.Source, s.Time)));
    }

    [Fact]
    public void Findings_carry_what_a_reimport_needs()
    {
        var f = Run();

        Assert.Equal(["A3", "A4", "C3", "D3", "D4"], f.Missing.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["103", "207"], f.Extra.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["A4", "C5", "D4"], f.Delta.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.Equal(
        [
            new LostAssociation("contact", "C4", "204", "company", "A1", "101", null),
            new LostAssociation("deal", "D5", "305", "contact", "C4", "204", "201"),
            new LostAssociation("deal", "D2", "302", "company", "A2", "102", null),
        ], f.LostAssociations);
        Assert.Equal(
        [
            new EmptiedProperty("contact", "C2", "202", "phone", "phone", "555-0102"),
            new EmptiedProperty("company", "A2", "102", "industry", "industry", "Energy"),
            new EmptiedProperty("deal", "D2", "302", "amount", "amount", "5000"),
        ], f.EmptiedProperties);
    }

    [Fact]
    public void Details_say_what_differs_and_teams_come_from_the_owners_system()
    {
        var issues = Run().Kpis.Issues;

        var lost = Assert.Single(issues, i => i.Kpi == ReconciliationKpis.LostAssociations && i.RecordId == "D5");
        Assert.Equal("contact C4 in legacy (matched 204); 305 in hubspot has 201", lost.Detail);
        Assert.Equal(("u1", "east"), (lost.OwnerId, lost.Team));
        Assert.Equal("'5000' in legacy; empty on 302 in hubspot", Assert.Single(issues, i => i.Kpi == ReconciliationKpis.EmptiedProperties && i.RecordId == "D2").Detail);
        Assert.Equal("changed 2026-03-04 09:30 UTC, after the cut-over 2026-03-01 00:00 UTC", Assert.Single(issues, i => i.Kpi == ReconciliationKpis.Delta && i.RecordId == "C5").Detail);
        Assert.Equal("created 2026-03-05 14:00 UTC, after the cut-over 2026-03-01 00:00 UTC", Assert.Single(issues, i => i.Kpi == ReconciliationKpis.Delta && i.RecordId == "A4").Detail);
        Assert.Equal("no match in hubspot by email", Assert.Single(issues, i => i.Kpi == ReconciliationKpis.Missing && i.RecordId == "C3").Detail);
        var extra = Assert.Single(issues, i => i.Kpi == ReconciliationKpis.Extra && i.RecordId == "207");
        Assert.Equal(("no match in legacy by email", "h1", "east"), (extra.Detail, extra.OwnerId, extra.Team));
    }

    [Fact]
    public void Without_a_cut_over_there_is_no_delta()
    {
        var pair = Pair() with { CutOver = null };

        var f = Run(pair);

        Assert.DoesNotContain(f.Kpis.Samples, s => s.Kpi == ReconciliationKpis.Delta);
        Assert.Empty(f.Delta);
        Assert.Equal(13, f.Kpis.Issues.Count); // the 16 of the planted org without the 3 delta records
    }

    [Fact]
    public void Two_empty_systems_give_zeros_for_every_reconciled_object_and_no_issues()
    {
        var f = Run(old: CrmSnapshot.Empty("legacy"), @new: CrmSnapshot.Empty("hubspot"));

        Assert.Empty(f.Kpis.Issues);
        Assert.All(f.Kpis.Samples, s => Assert.Equal(0, s.Value));
        // 3 objects × (missing, extra, matched, delta) + 7 properties + 3 associations.
        Assert.Equal(22, f.Kpis.Samples.Count);
    }

    [Fact]
    public void An_empty_new_system_misses_every_old_record_and_loses_nothing_else()
    {
        var values = Values(Run(@new: CrmSnapshot.Empty("hubspot")));

        Assert.Equal((6, 4, 5), (values["reconciliation_missing_records[object=contact]"], values["reconciliation_missing_records[object=company]"],
            values["reconciliation_missing_records[object=deal]"]));
        Assert.All(values.Where(v => v.Key.StartsWith("reconciliation_lost", StringComparison.Ordinal) || v.Key.StartsWith("reconciliation_emptied", StringComparison.Ordinal)),
            v => Assert.Equal(0, v.Value));
    }

    [Fact]
    public void Only_configured_objects_are_reconciled_and_associations_need_both_ends()
    {
        var pair = Pair() with { Objects = new Dictionary<string, ObjectMatch> { ["deal"] = Pair().Objects["deal"], ["contact"] = Pair().Objects["contact"] } };

        var f = Run(pair);

        Assert.DoesNotContain(f.Kpis.Samples, s => s.Dimensions["object"] == "company");
        Assert.Equal(["contact"], f.Kpis.Samples.Where(s => s.Kpi == ReconciliationKpis.LostAssociations).Select(s => s.Dimensions["field"]));
    }

    [Fact]
    public void Keys_are_tried_in_order_and_each_record_is_matched_once()
    {
        // Two old contacts share an e-mail with one new contact: one is matched, the other is missing. The external id
        // tried first pairs X2 with n2 whatever the e-mails say.
        var old = new CrmSnapshot("o", [], [],
            [Contact("X1", "same@example.com", null, null, null), Contact("X2", "same@example.com", null, null, null), Contact("X3", "other@example.com", null, null, null)],
            [], [], []);
        var @new = new CrmSnapshot("n", [], [],
            [Contact("n1", "same@example.com", null, null, null), Contact("n2", "nobody@example.com", null, null, null) with { Custom = new Dictionary<string, string?> { ["legacy_id"] = "X2" } }],
            [], [], []);
        var pair = new ReconciliationPair("p", "o", "n", null,
            new Dictionary<string, ObjectMatch> { ["contact"] = new([MatchKey.ExternalId, MatchKey.Email], "legacy_id", []) });

        var matched = RecordMatcher.Match("contact", pair.Objects["contact"], old, @new, new DedupeOptions());

        Assert.Equal(new Dictionary<string, (string, MatchKey)> { ["X2"] = ("n2", MatchKey.ExternalId), ["X1"] = ("n1", MatchKey.Email) }, matched);
        Assert.Equal(["X3"], Run(pair, old, @new).Missing.Select(r => r.Id));
    }

    [Fact]
    public void Shared_ids_match_with_the_id_field_even_when_both_systems_use_the_same_ids()
    {
        var old = new CrmSnapshot("o", [], [], [], [Company("1", "A", null, null), Company("2", "B", null, null)], [], []);
        var @new = new CrmSnapshot("n", [], [], [], [Company("2", "B", null, null), Company("3", "C", null, null)], [], []);
        var pair = new ReconciliationPair("p", "o", "n", null, new Dictionary<string, ObjectMatch> { ["company"] = new([MatchKey.ExternalId], "id", []) });

        var f = Run(pair, old, @new);

        Assert.Equal(["1"], f.Missing.Select(r => r.Id));
        Assert.Equal(["3"], f.Extra.Select(r => r.Id));
    }

    [Fact]
    public void The_duplicate_matcher_pairs_what_no_key_matched()
    {
        // No e-mail on the old side: the same person (name, phone, company name) is found by the duplicate matcher.
        var old = new CrmSnapshot("o", [], [],
            [Contact("X1", null, "+44 20 7946 0018", null, "K1", first: "Margaret", last: "Thornton")],
            [Company("K1", "Thornton & Sons Ltd", null, null)], [], []);
        var @new = new CrmSnapshot("n", [], [],
            [Contact("X1", "m.thornton@thornton.co.uk", "+44 20 7946 0018", null, "K9", first: "Margaret", last: "Thornton"),
             Contact("n2", "someone@else.com", "+1 202 555 0199", null, null, first: "Peter", last: "Jones")],
            [Company("K9", "Thornton & Sons Ltd", null, null)], [], []);
        var pair = new ReconciliationPair("p", "o", "n", null,
            new Dictionary<string, ObjectMatch> { ["contact"] = new([MatchKey.Email, MatchKey.Duplicate], null, []) });

        var f = Run(pair, old, @new);

        Assert.Empty(f.Missing);
        Assert.Equal(["n2"], f.Extra.Select(r => r.Id));
    }

    [Theory]
    [InlineData("https://www.Acme.com/about", "acme.com")]
    [InlineData("ACME.COM.", "acme.com")]
    [InlineData("http://shop.acme.com:8080?x=1", "shop.acme.com")]
    [InlineData("  ", null)]
    [InlineData(null, null)]
    public void Domains_are_compared_without_scheme_www_and_path(string? value, string? expected) =>
        Assert.Equal(expected, RecordMatcher.NormalizeDomain(value));
}
