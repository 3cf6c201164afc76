using CrmPulse.Core.Model;

namespace CrmPulse.Core.Tests.Model;

/// <summary>Contacts as columns read back as the records added, share their repeated values, and keep e-mails and
/// phones as one block of text each.</summary>
public sealed class ContactColumnsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static readonly IReadOnlyDictionary<string, DateTimeOffset> Dates = new Dictionary<string, DateTimeOffset> { ["mql"] = T0.AddDays(-3) };

    private static readonly Contact[] Records =
    [
        new()
        {
            Id = "c1", OwnerId = "u1", FirstName = "Ann", LastName = "Lee", Email = "ann@acme.example", Phone = "+1 212 555 0100",
            CompanyId = "co1", LifecycleStage = "lead", LeadStatus = "new", LeadSource = "web", IsLead = true,
            CreatedAt = T0.AddDays(-10), ModifiedAt = T0, ConvertedAt = T0.AddDays(-2),
            PhoneVerdict = new PhoneVerdict("US", true, 1234u), Custom = CompactFields.Of([new("city", "Lyon")]),
        },
        // Nothing but an id; an instant with an offset.
        new() { Id = "c2", CreatedAt = new DateTimeOffset(2026, 3, 9, 8, 30, 0, TimeSpan.FromHours(-5)), ModifiedAt = T0 },
        // An empty e-mail, a blank phone, stage dates, the first one's owner and company again.
        new() { Id = "c3", OwnerId = "u1", CompanyId = "co1", Email = "", Phone = "  ", StageDates = Dates, CreatedAt = T0, ModifiedAt = T0 },
    ];

    [Fact]
    public void Reads_back_every_record_as_it_was_added()
    {
        var columns = ContactColumns.From(Records);

        Assert.Equal(3, columns.Count);
        for (var i = 0; i < Records.Length; i++)
        {
            Assert.Equal(Records[i], columns[i]);
            Assert.Equal(Records[i].CreatedAt.Offset, columns[i].CreatedAt.Offset);
        }
        Assert.Equal(Records, columns.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => columns[3]);
        Assert.Same(columns, ContactColumns.From(columns));
    }

    [Fact]
    public void Repeated_values_are_one_code_each_and_texts_tell_null_from_empty_and_blank()
    {
        var columns = ContactColumns.From(Records);

        Assert.Equal(["u1"], columns.Owner.Values);
        Assert.Equal([0, StringColumn.Null, 0], columns.Owner.Codes);
        Assert.Equal([0, StringColumn.Null, 0], columns.Company.Codes);
        Assert.Equal(["c1", "c2", "c3"], columns.Ids);
        Assert.Equal("ann@acme.example", columns.Email[0]);
        Assert.Null(columns.Email[1]);
        Assert.Equal("", columns.Email[2]);
        Assert.Equal("  ", columns.Phone[2]);
        Assert.Equal([true, false, false], Enumerable.Range(0, 3).Select(columns.Email.IsFilled));
        Assert.Equal([true, false, false], Enumerable.Range(0, 3).Select(columns.Phone.IsFilled));
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 13, 30, 0, TimeSpan.Zero).UtcTicks, columns.Created.UtcTicks[1]);
        Assert.Equal(InstantColumn.None, columns.Converted.UtcTicks[1]);
        Assert.Same(Dates, columns.StageDates(2));
        Assert.Null(columns.StageDates(0));
        Assert.Equal("Lyon", columns.Custom(0)["city"]);
        Assert.Empty(columns.Custom(1));
        Assert.Equal(new PhoneVerdict("US", true, 1234u), columns.Verdict(0));
        Assert.Null(columns.Verdict(1));
    }

    [Fact]
    public void A_builder_grows_past_its_capacity_and_keeps_texts_beyond_one_byte_per_character()
    {
        var builder = new ContactColumns.Builder(capacity: 1);
        for (var i = 0; i < 100; i++)
        {
            builder.Add(new Contact
            {
                Id = $"c{i}", OwnerId = $"u{i % 3}", Email = i == 50 ? "活動@example.jp" : $"p{i}@example.com",
                Phone = i % 2 == 0 ? null : "é 1", StageDates = i == 70 ? Dates : null, CreatedAt = T0, ModifiedAt = T0,
            });
        }
        var columns = builder.Build();

        Assert.Equal(100, columns.Count);
        Assert.Equal(3, columns.Owner.Values.Length);
        Assert.Equal("p49@example.com", columns.Email[49]);
        Assert.Equal("活動@example.jp", columns.Email[50]);
        Assert.Equal("p99@example.com", columns.Email[99]);
        Assert.True(columns.Email.IsFilled(50));
        Assert.Null(columns.Phone[98]);
        Assert.Equal("é 1", columns.Phone[99]);
        Assert.Same(Dates, columns.StageDates(70));
        Assert.Null(columns.StageDates(71));
        Assert.Equal(new Contact { Id = "c99", OwnerId = "u0", Email = "p99@example.com", Phone = "é 1", CreatedAt = T0, ModifiedAt = T0 }, columns[99]);
    }
}
