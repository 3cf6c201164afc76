using CrmPulse.Core.Dedupe;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using CrmPulse.Core.Tests.Kpis;

namespace CrmPulse.Core.Tests.Dedupe;

public sealed class DuplicateKpisTests
{
    private static readonly DuplicateKpis Family = new();

    // Contacts: c1 (oldest), c2 the same e-mail typed in capitals with a trailing space, c3 the names swapped;
    // c4 and c5 are other people. One cluster {c1, c2, c3}: survivor c1, removable c2 and c3 → 2 of 5 records.
    // Companies: co1 and co2 (later, "ACME" at www.acme.com) are one organisation; co3 is another → 1 of 3.
    private static Fixture Org() => new Fixture()
        .User("u1", team: "Sales")
        .Contact(new Contact { Id = "c1", FirstName = "Jane", LastName = "Doe", Email = "jane.doe@acme.com", OwnerId = "u1", CreatedAt = Fixture.DaysAgo(30) })
        .Contact(new Contact { Id = "c2", FirstName = "Jane", LastName = "Doe", Email = "JANE.DOE@ACME.COM ", OwnerId = "u1", CreatedAt = Fixture.DaysAgo(20) })
        .Contact(new Contact { Id = "c3", FirstName = "Doe", LastName = "Jane", Email = "jane.doe@acme.com", CreatedAt = Fixture.DaysAgo(10) })
        .Contact(new Contact { Id = "c4", FirstName = "John", LastName = "Smith", Email = "john.smith@acme.com", CreatedAt = Fixture.DaysAgo(10) })
        .Contact(new Contact { Id = "c5", FirstName = "Maria", LastName = "Garcia", Email = "maria@globex.com", CreatedAt = Fixture.DaysAgo(10) })
        .Company(new Company { Id = "co1", Name = "Acme Inc.", Domain = "acme.com", CreatedAt = Fixture.DaysAgo(300) })
        .Company(new Company { Id = "co2", Name = "ACME", Domain = "https://www.acme.com/", OwnerId = "u9", CreatedAt = Fixture.DaysAgo(100) })
        .Company(new Company { Id = "co3", Name = "Globex", Domain = "globex.com", CreatedAt = Fixture.DaysAgo(200) });

    [Fact]
    public void Counts_clusters_and_removable_duplicates_per_object_with_the_ratio_over_the_objects_records()
    {
        var r = Org().Run(Family);

        Assert.Equal(1, r.Value("duplicate_clusters", ("object", "contact")));
        Assert.Equal(2, r.Value("removable_duplicates", ("object", "contact")));        // c2, c3
        Assert.Equal(2.0 / 5, r.Value("removable_duplicate_ratio", ("object", "contact"))); // 2 of 5 contacts
        Assert.Equal(1, r.Value("duplicate_clusters", ("object", "company")));
        Assert.Equal(1, r.Value("removable_duplicates", ("object", "company")));        // co2
        Assert.Equal(1.0 / 3, r.Value("removable_duplicate_ratio", ("object", "company"))); // 1 of 3 companies
        Assert.Equal(6, r.Samples.Count);
    }

    [Fact]
    public void Each_removable_duplicate_is_an_issue_naming_its_survivor_owner_team_and_reason()
    {
        var r = Org().Run(Family);

        Assert.Equal(
        [
            new RecordIssue("removable_duplicates", "contact", "c2", "u1", "Sales", Detail: "duplicate of c1 (same e-mail + same name)"),
            new RecordIssue("removable_duplicates", "contact", "c3", null, KpiOptions.NoTeam, Detail: "duplicate of c1 (same e-mail + swapped names)"),
            new RecordIssue("removable_duplicates", "company", "co2", "u9", KpiOptions.NoTeam, Detail: "duplicate of co1 (same domain + same name)"),
        ], r.Issues);
    }

    [Fact]
    public void The_issue_count_equals_the_removable_count_of_each_object()
    {
        var r = Org().Run(Family);

        foreach (var obj in new[] { "contact", "company" })
        {
            Assert.Equal(r.Value("removable_duplicates", ("object", obj)), r.Issues.Count(i => i.Object == obj));
        }
    }

    [Fact]
    public void An_object_without_records_gets_zero_counts_and_no_ratio()
    {
        var r = new Fixture().Run(Family);

        Assert.Equal(0, r.Value("duplicate_clusters", ("object", "contact")));
        Assert.Equal(0, r.Value("removable_duplicates", ("object", "company")));
        Assert.DoesNotContain(r.Samples, s => s.Kpi == "removable_duplicate_ratio");
        Assert.Empty(r.Issues);
    }

    [Fact]
    public void Records_without_duplicates_give_a_zero_ratio()
    {
        var r = new Fixture()
            .Contact(new Contact { Id = "c1", FirstName = "Jane", LastName = "Doe", Email = "jane@acme.com" })
            .Contact(new Contact { Id = "c2", FirstName = "John", LastName = "Roe", Email = "john@acme.com" })
            .Run(Family);

        Assert.Equal(0, r.Value("removable_duplicate_ratio", ("object", "contact"))); // 0 of 2
    }

    [Fact]
    public void The_issues_follow_the_records_order_when_the_records_are_not_in_id_order()
    {
        // The cluster {c1, c2, c3} with its records given c3, c5, c1, c4, c2: the issues come c3 then c2.
        var contacts = Org().Snapshot().Contacts;
        var byId = contacts.ToDictionary(c => c.Id);
        var fixture = new Fixture().User("u1", team: "Sales");
        foreach (var id in new[] { "c3", "c5", "c1", "c4", "c2" }) fixture.Contact(byId[id]);

        var r = fixture.Run(Family);

        Assert.Equal(["c3", "c2"], r.Issues.Select(i => i.RecordId));
        Assert.Equal("duplicate of c1 (same e-mail + swapped names)", r.Issues[0].Detail);
    }

    [Fact]
    public void The_duplicates_positions_are_found_by_id_in_record_order_at_the_first_record_of_an_id()
    {
        static List<CrmRecord> Records(params string[] ids) => ids.Select(id => (CrmRecord)new Contact { Id = id }).ToList();
        var wanted = new Dictionary<string, int> { ["b"] = 0, ["d"] = 0, ["x"] = 0 };

        // In id order (checked, or known from the matcher): binary searches; "x" is no record's id.
        Assert.Equal([1, 3], DuplicateKpis.Positions(Records("a", "b", "c", "d", "e"), wanted, knownInIdOrder: false));
        Assert.Equal([1, 3], DuplicateKpis.Positions(Records("a", "b", "c", "d", "e"), wanted, knownInIdOrder: true));
        // An id twice in id order: its first record.
        Assert.Equal([1, 4], DuplicateKpis.Positions(Records("a", "b", "b", "c", "d", "d"), wanted, knownInIdOrder: false));
        // Out of id order: every record of a wanted id, in record order (the caller keeps the first of each).
        Assert.Equal([0, 2, 4], DuplicateKpis.Positions(Records("d", "a", "b", "c", "d"), wanted, knownInIdOrder: false));
        Assert.Empty(DuplicateKpis.Positions(Records("a", "b"), new Dictionary<string, int>(), knownInIdOrder: false));
    }

    [Fact]
    public void An_incremental_pass_gives_the_same_issues_as_a_full_match()
    {
        // The contacts in id order, deduplicated incrementally (the matcher then knows their order): the same issues.
        var full = Org().Run(Family);
        var snapshot = Org().Snapshot();
        var first = new DedupeSession();
        KpiEngine.Compute(snapshot, Fixture.AsOf, new KpiOptions(), dedupe: first);
        var session = new DedupeSession { PreviousContacts = first.Contacts!.State, PreviousCompanies = first.Companies!.State };
        var pass = KpiEngine.Compute(snapshot, Fixture.AsOf, new KpiOptions(), dedupe: session);

        Assert.True(session.Contacts!.InIdOrder);
        Assert.Null(session.Contacts.FullReason);
        Assert.Equal(full.Issues, pass.Issues.Where(i => i.Kpi == "removable_duplicates"));
    }
}
