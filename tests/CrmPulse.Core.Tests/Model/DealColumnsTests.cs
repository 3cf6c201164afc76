using CrmPulse.Core.Model;

namespace CrmPulse.Core.Tests.Model;

/// <summary>Deals and companies as columns read back as the records added, share their repeated values, keep dates as
/// day numbers and instants as UTC ticks, and tell a missing amount from a zero one.</summary>
public sealed class DealColumnsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static readonly Deal[] Deals =
    [
        new()
        {
            Id = "d1", OwnerId = "u1", Name = "Acme renewal", Pipeline = "default", Stage = "closedwon", Amount = 1200.50m,
            CloseDate = new DateOnly(2026, 3, 1), CompanyId = "co1", ContactId = "c1", IsClosed = true, IsWon = true,
            ClosedAt = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.FromHours(2)), StageEnteredAt = T0.AddDays(-20),
            CreatedAt = T0.AddDays(-40), ModifiedAt = T0, Custom = CompactFields.Of([new("snooze", "2026-04-01")]),
        },
        // Nothing but an id and the instants; a zero amount (not a missing one) with a scale kept.
        new() { Id = "d2", Amount = 0.00m, CreatedAt = T0, ModifiedAt = T0 },
        // Lost, closed on its close date only, the first one's owner, pipeline and company again, an empty name.
        new()
        {
            Id = "d3", OwnerId = "u1", Name = "", Pipeline = "default", Stage = "closedlost", CompanyId = "co1", IsClosed = true,
            CloseDate = new DateOnly(2026, 2, 28), LostReason = "price", CreatedAt = T0.AddDays(-5), ModifiedAt = T0,
        },
    ];

    [Fact]
    public void Deals_read_back_as_they_were_added()
    {
        var columns = DealColumns.From(Deals);

        Assert.Equal(3, columns.Count);
        for (var i = 0; i < Deals.Length; i++) Assert.Equal(Deals[i], columns[i]);
        Assert.Equal(TimeSpan.FromHours(2), columns[0].ClosedAt!.Value.Offset);
        Assert.Equal("0.00", columns[1].Amount!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Deals, columns.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => columns[3]);
        Assert.Same(columns, DealColumns.From(columns));
    }

    [Fact]
    public void Deal_columns_share_values_and_hold_dates_as_numbers()
    {
        var columns = DealColumns.From(Deals);

        Assert.Equal(["d1", "d2", "d3"], columns.Ids);
        Assert.Equal(["u1"], columns.Owner.Values);
        Assert.Equal([0, StringColumn.Null, 0], columns.Owner.Codes);
        Assert.Equal(["default"], columns.Pipeline.Values);
        Assert.Equal([0, StringColumn.Null, 1], columns.Stage.Codes);
        Assert.Equal([0, StringColumn.Null, 0], columns.Company.Codes);
        Assert.Equal([StringColumn.Null, StringColumn.Null, 0], columns.LostReason.Codes);
        Assert.Equal("Acme renewal", columns.Name[0]);
        Assert.Null(columns.Name[1]);
        Assert.Equal("", columns.Name[2]);
        Assert.Equal([true, false, false], Enumerable.Range(0, 3).Select(columns.Name.IsFilled));
        // 1,200.50, a zero that is there, and a missing amount (0 in the values, not there).
        Assert.Equal([1200.50m, 0m, 0m], columns.Amount.Values);
        Assert.Equal([true, true, false], columns.Amount.Has);
        Assert.Null(columns.Amount[2]);
        // 2026-03-01 is day 739,675 since 0001-01-01; 2026-02-28 the day before.
        Assert.Equal([739_675, DateColumn.None, 739_674], columns.CloseDate.DayNumbers);
        Assert.Equal(new DateOnly(2026, 3, 1), columns.CloseDate[0]);
        Assert.Null(columns.CloseDate[1]);
        // 09:00 at +02:00 is 07:00 UTC.
        Assert.Equal(new DateTime(2026, 3, 1, 7, 0, 0).Ticks, columns.Closed.UtcTicks[0]);
        Assert.Equal(InstantColumn.None, columns.Closed.UtcTicks[2]);
        Assert.Equal([true, false, true], columns.IsClosed);
        Assert.Equal([true, false, false], columns.IsWon);
        Assert.Equal("2026-04-01", columns.Custom(0)["snooze"]);
        Assert.Empty(columns.Custom(1));
    }

    [Fact]
    public void A_deal_closed_at_its_close_instant_else_at_its_close_date_midnight_utc()
    {
        var columns = DealColumns.From(Deals);

        Assert.Equal(new DateTime(2026, 3, 1, 7, 0, 0).Ticks, columns.ClosedTicks(0));
        Assert.Equal(InstantColumn.None, columns.ClosedTicks(1));
        Assert.Equal(new DateTime(2026, 2, 28, 0, 0, 0).Ticks, columns.ClosedTicks(2));
    }

    [Fact]
    public void A_deal_builder_grows_past_its_capacity()
    {
        var builder = new DealColumns.Builder(capacity: 1);
        for (var i = 0; i < 100; i++)
        {
            builder.Add(new Deal
            {
                Id = $"d{i}", OwnerId = $"u{i % 3}", Name = i == 50 ? "Übersee – 取引" : $"Deal {i}", Amount = i % 2 == 0 ? null : i,
                Custom = i == 70 ? CompactFields.Of([new("x", "1")]) : CompactFields.Empty, CreatedAt = T0, ModifiedAt = T0,
            });
        }
        var columns = builder.Build();

        Assert.Equal(100, columns.Count);
        Assert.Equal(3, columns.Owner.Values.Length);
        Assert.Equal("Deal 49", columns.Name[49]);
        Assert.Equal("Übersee – 取引", columns.Name[50]);
        Assert.Equal(99m, columns.Amount[99]);
        Assert.Null(columns.Amount[98]);
        Assert.Equal("1", columns.Custom(70)["x"]);
        Assert.Empty(columns.Custom(71));
        Assert.Equal(new Deal { Id = "d99", OwnerId = "u0", Name = "Deal 99", Amount = 99, CreatedAt = T0, ModifiedAt = T0, Custom = CompactFields.Empty }, columns[99]);
    }

    private static readonly Company[] Companies =
    [
        new()
        {
            Id = "co1", OwnerId = "u1", Name = "Acme SA", Domain = "acme.example", Industry = "Software", CreatedAt = T0.AddDays(-100),
            ModifiedAt = T0, Custom = CompactFields.Of([new("territory", "EMEA")]),
        },
        new() { Id = "co2", ParentId = "co1", Domain = " ", CreatedAt = new DateTimeOffset(2026, 3, 9, 8, 30, 0, TimeSpan.FromHours(-5)), ModifiedAt = T0 },
        new() { Id = "co3", OwnerId = "u1", Name = "Zeta", Industry = "Software", ParentId = "co9", CreatedAt = T0, ModifiedAt = T0 },
    ];

    [Fact]
    public void Companies_read_back_as_they_were_added_and_share_their_values()
    {
        var columns = CompanyColumns.From(Companies);

        Assert.Equal(3, columns.Count);
        for (var i = 0; i < Companies.Length; i++) Assert.Equal(Companies[i], columns[i]);
        Assert.Equal(TimeSpan.FromHours(-5), columns[1].CreatedAt.Offset);
        Assert.Same(columns, CompanyColumns.From(columns));
        Assert.Equal(["co1", "co2", "co3"], columns.Ids);
        Assert.Equal(["Software"], columns.Industry.Values);
        Assert.Equal([0, StringColumn.Null, 0], columns.Industry.Codes);
        Assert.Equal(["co1", "co9"], columns.Parent.Values);
        Assert.Equal([StringColumn.Null, 0, 1], columns.Parent.Codes);
        Assert.Null(columns.Name[1]);
        Assert.Equal(" ", columns.Domain[1]);
        Assert.Equal([true, false, true], Enumerable.Range(0, 3).Select(columns.Name.IsFilled));
        Assert.Equal([true, false, false], Enumerable.Range(0, 3).Select(columns.Domain.IsFilled));
        // 08:30 at −05:00 is 13:30 UTC.
        Assert.Equal(new DateTime(2026, 3, 9, 13, 30, 0).Ticks, columns.Created.UtcTicks[1]);
        Assert.Equal("EMEA", columns.Custom(0)["territory"]);
        Assert.Empty(columns.Custom(2));
    }
}
