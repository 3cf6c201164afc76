using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using static CrmPulse.Core.Tests.Kpis.Fixture;

namespace CrmPulse.Core.Tests.Kpis;

/// <summary>
/// An org large enough that the scans of a million records split into chunks on every core (more than 65,536 contacts):
/// the counts are the hand-computed ones and the issues come out in record order, as one scan in order gives them.
/// </summary>
public sealed class ChunkedScanTests
{
    private const int Count = 100_000;

    private static string Id(int i) => $"c{i:D6}";

    /// <summary>Contact i: e-mail missing when i % 10 = 0, "bad" when i % 10 = 1; phone "12" (not a number) when i % 4 = 0,
    /// else none; no company when i % 3 = 0; lifecycle stage "Lead" when i % 1000 = 5, else "lead"; an activity in
    /// the window names every even contact (and one 400 days old every contact: 150,000 activities).</summary>
    private static Fixture Org()
    {
        var f = new Fixture().User("u1", "Sales");
        for (var i = 0; i < Count; i++)
        {
            f.Contact(new Contact
            {
                Id = Id(i), OwnerId = "u1", CreatedAt = DaysAgo(10), ModifiedAt = DaysAgo(10),
                Email = (i % 10) switch { 0 => null, 1 => "bad", _ => $"p{i}@x.example" },
                Phone = i % 4 == 0 ? "12" : null,
                CompanyId = i % 3 == 0 ? null : "co1",
                LifecycleStage = i % 1000 == 5 ? "Lead" : "lead",
            });
            if (i % 2 == 0) f.ContactActivity("u1", Id(i), DaysAgo(5));
            f.ContactActivity("u1", Id(i), DaysAgo(400)); // outside the 180-day window: touches nobody

        }
        return f;
    }

    private static List<string> Ids(Func<int, bool> which) => Enumerable.Range(0, Count).Where(which).Select(Id).ToList();

    /// <summary>The record ids of a KPI's issues as the family gave them (not sorted).</summary>
    private static List<string> InOrder(KpiResult r, string kpi, string? field = null) =>
        r.Issues.Where(i => i.Kpi == kpi && (field is null || i.Field == field)).Select(i => i.RecordId).ToList();

    [Fact]
    public void Validity_counts_and_issues_in_record_order()
    {
        var r = Org().Run(new DataQualityValidityKpis());

        Assert.Equal(10_000, r.Value("invalid_emails", ("object", "contact")));
        Assert.Equal(10_000.0 / 90_000, r.Value("invalid_email_ratio", ("object", "contact")));
        Assert.Equal(25_000, r.Value("invalid_phones", ("object", "contact")));
        Assert.Equal(1.0, r.Value("invalid_phone_ratio", ("object", "contact")));
        Assert.Equal(20_000, r.Value("unreachable_contacts", ("object", "contact")));
        Assert.Equal(Ids(i => i % 10 == 1), InOrder(r, "invalid_emails"));
        Assert.Equal(Ids(i => i % 4 == 0), InOrder(r, "invalid_phones"));
        Assert.Equal(Ids(i => i % 10 is 0 or 1), InOrder(r, "unreachable_contacts"));
        Assert.Equal("no valid e-mail ('bad') and no valid phone (null)", r.Issue("unreachable_contacts", Id(99_991)).Detail);
    }

    [Fact]
    public void Required_fields_counts_and_issues_in_record_order()
    {
        var r = Org().Run(new DataQualityKpis());

        Assert.Equal(33_334, r.Value("missing_required_field", ("object", "contact"), ("field", "company")));
        Assert.Equal(10_000, r.Value("missing_required_field", ("object", "contact"), ("field", "email")));
        Assert.Equal(75_000, r.Value("missing_required_field", ("object", "contact"), ("field", "phone")));
        Assert.Equal(Ids(i => i % 3 == 0), InOrder(r, "missing_required_field", "company"));
        // Complete: e-mail, phone, stage, owner and company filled: i % 4 = 0, i % 10 ≠ 0 (so i % 20 ≠ 0), i % 3 ≠ 0:
        // 25,000 multiples of 4 − 5,000 of 20 − 8,334 of 12 + 1,667 of 60 = 13,333.
        Assert.Equal(13_333.0 / Count, r.Value("complete_records_ratio", ("object", "contact")));
        Assert.Equal((5.0 * Count - 33_334 - 10_000 - 75_000) / (5.0 * Count), r.Value("completeness_score", ("object", "contact")));
    }

    [Fact]
    public void Contacts_without_activity_and_picklist_spellings_in_record_order()
    {
        var f = Org();
        var hygiene = f.Run(new DataQualityHygieneKpis());
        var picklist = f.Run(new DataQualityPicklistKpis());

        Assert.Equal(50_000, hygiene.Value("contacts_without_activity", ("object", "contact")));
        Assert.Equal(Ids(i => i % 2 == 1), InOrder(hygiene, "contacts_without_activity"));
        Assert.Equal(100, picklist.Value("inconsistent_picklist_values", ("object", "contact"), ("field", "lifecycle_stage")));
        Assert.Equal(Ids(i => i % 1000 == 5), InOrder(picklist, "inconsistent_picklist_values"));
        Assert.Equal("lifecycle_stage 'Lead' is spelled 'lead' on most records", picklist.Issue("inconsistent_picklist_values", Id(5)).Detail);
    }

    [Fact]
    public void Contacts_sharing_an_id_are_touched_by_an_activity_naming_it_all_together()
    {
        var f = new Fixture().User("u1", "Sales");
        foreach (var id in new[] { "c1", "c2", "c1", "c2", "c3" })
        {
            f.Contact(new Contact { Id = id, OwnerId = "u1", CreatedAt = DaysAgo(10), ModifiedAt = DaysAgo(10) });
        }
        f.ContactActivity("u1", "c1", DaysAgo(5)).ContactActivity("u1", "c3", DaysAgo(181));

        var r = f.Run(new DataQualityHygieneKpis());

        // Both c2 and c3 (its activity is outside the 180 days); both records of c1 were touched.
        Assert.Equal(3, r.Value("contacts_without_activity", ("object", "contact")));
        Assert.Equal(["c2", "c2", "c3"], InOrder(r, "contacts_without_activity"));
    }
}
