using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Tests.Kpis;

/// <summary>Contacts, companies and deals read field by field from their columns give exactly what the records give
/// (GetField, IsFilled).</summary>
public sealed class RecordRowsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 12, 0, 0, TimeSpan.FromHours(2));

    private static readonly Contact[] Records =
    [
        new()
        {
            Id = "c1", OwnerId = "u1", FirstName = "Ann", LastName = "Lee", Email = "ann@acme.example", Phone = "+1 212 555 0100",
            CompanyId = "co1", LifecycleStage = "lead", LeadStatus = "new", LeadSource = "web", CreatedAt = T0, ModifiedAt = T0,
            Custom = CompactFields.Of([new("city", "Lyon"), new("nps", " ")]),
        },
        // Blank, empty and missing values, which are not filled.
        new() { Id = "c2", OwnerId = " ", FirstName = "", LastName = "\t", Email = "  ", Phone = "", CompanyId = " ", LeadSource = "", CreatedAt = T0, ModifiedAt = T0 },
        new() { Id = "c3", CreatedAt = T0.AddDays(-1), ModifiedAt = T0 },
    ];

    private static readonly string[] Fields =
    [
        "id", "owner", "first_name", "last_name", "email", "phone", "company", "lifecycle_stage", "lead_status", "lead_source",
        "created_at", "city", "nps", "not_a_field",
    ];

    [Fact]
    public void Every_field_reads_and_tests_as_the_record_does()
    {
        var rows = RecordRows.Of(ContactColumns.From(Records));

        Assert.Equal("contact", rows.ObjectType);
        Assert.Equal(3, rows.Count);
        foreach (var field in Fields)
        {
            var read = rows.Reader(field);
            var filled = rows.FilledTest(field);
            for (var i = 0; i < Records.Length; i++)
            {
                Assert.Equal(Records[i].GetField(field), read(i));
                Assert.Equal(CrmRecord.IsFilled(Records[i].GetField(field)), filled(i));
            }
        }
        Assert.Equal([T0.UtcTicks, T0.UtcTicks, T0.UtcTicks], Enumerable.Range(0, 3).Select(rows.ModifiedTicks));
        Assert.Equal(["c1", "c2", "c3"], Enumerable.Range(0, 3).Select(rows.Id));
        Assert.Equal(["u1", " ", null], Enumerable.Range(0, 3).Select(rows.Owner));
    }

    private static readonly Company[] Companies =
    [
        new()
        {
            Id = "co1", OwnerId = "u1", Name = "Acme", Domain = "acme.example", Industry = "Software", ParentId = "co9",
            CreatedAt = T0, ModifiedAt = T0.AddDays(-3), Custom = CompactFields.Of([new("territory", "EMEA")]),
        },
        new() { Id = "co2", OwnerId = "", Name = " ", Domain = "", Industry = "\t", ParentId = " ", CreatedAt = T0, ModifiedAt = T0 },
        new() { Id = "co3", CreatedAt = T0, ModifiedAt = T0 },
    ];

    private static readonly Deal[] Deals =
    [
        new()
        {
            Id = "d1", OwnerId = "u1", Name = "Renewal", Pipeline = "default", Stage = "won", Amount = 1200.50m,
            CloseDate = new DateOnly(2026, 3, 1), CompanyId = "co1", ContactId = "c1", LostReason = "price", CreatedAt = T0,
            ModifiedAt = T0.AddDays(-1), Custom = CompactFields.Of([new("snooze", "yes")]),
        },
        // A zero amount is filled (it formats to "0.00"); blank texts are not.
        new() { Id = "d2", OwnerId = " ", Name = "", Pipeline = " ", Stage = "", Amount = 0.00m, CompanyId = "", ContactId = " ", LostReason = "", CreatedAt = T0, ModifiedAt = T0 },
        new() { Id = "d3", CreatedAt = T0, ModifiedAt = T0 },
    ];

    [Fact]
    public void Every_company_and_deal_field_reads_and_tests_as_the_record_does()
    {
        string[] companyFields = ["id", "owner", "name", "domain", "industry", "parent", "territory", "created_at", "not_a_field"];
        string[] dealFields =
            ["id", "owner", "name", "pipeline", "stage", "amount", "close_date", "company", "contact", "lost_reason", "snooze", "created_at", "not_a_field"];
        foreach (var (rows, records, fields) in new[]
                 {
                     (RecordRows.Of(CompanyColumns.From(Companies)), (CrmRecord[])Companies, companyFields),
                     (RecordRows.Of(DealColumns.From(Deals)), Deals, dealFields),
                 })
        {
            Assert.Equal(records[0].ObjectType, rows.ObjectType);
            Assert.Equal(3, rows.Count);
            foreach (var field in fields)
            {
                var read = rows.Reader(field);
                var filled = rows.FilledTest(field);
                for (var i = 0; i < records.Length; i++)
                {
                    Assert.Equal(records[i].GetField(field), read(i));
                    Assert.Equal(CrmRecord.IsFilled(records[i].GetField(field)), filled(i));
                }
            }
            Assert.Equal(records.Select(r => r.ModifiedAt.UtcTicks), Enumerable.Range(0, 3).Select(rows.ModifiedTicks));
            Assert.Equal(records.Select(r => r.Id), Enumerable.Range(0, 3).Select(rows.Id));
            Assert.Equal(records.Select(r => r.OwnerId), Enumerable.Range(0, 3).Select(rows.Owner));
        }
        // The formatted fields, by hand: the amount keeps its scale, the date is ISO.
        var deals = RecordRows.Of(DealColumns.From(Deals));
        Assert.Equal(["1200.50", "0.00", null], Enumerable.Range(0, 3).Select(deals.Reader("amount")));
        Assert.Equal(["2026-03-01", null, null], Enumerable.Range(0, 3).Select(deals.Reader("close_date")));
    }
}
