using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Tests.Kpis;

/// <summary>Contacts read field by field from their columns give exactly what the records give (GetField, IsFilled).</summary>
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
}
