using CrmPulse.Core.Model;

namespace CrmPulse.Core.Tests.Model;

/// <summary>Activities as columns read back as the records added, and share their repeated values.</summary>
public sealed class ActivityColumnsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static readonly Activity[] Records =
    [
        new("a1", ActivityType.Call, "u1", T0, T0.AddMinutes(5), T0.AddHours(1), "c1", "co1", "d1", "outbound"),
        // An instant with an offset, no owner, no contact, a due date, completed.
        new("a2", ActivityType.Task, null, new DateTimeOffset(2026, 3, 9, 8, 30, 0, TimeSpan.FromHours(-5)), T0, T0,
            DueAt: new DateTimeOffset(2026, 3, 12, 9, 0, 0, TimeSpan.FromMinutes(330)), Completed: true),
        new("a3", ActivityType.Email, "u1", T0.AddDays(-1), T0.AddDays(-1), T0, "c1", null, null, "inbound"),
        new("a4", ActivityType.Note, "u2", T0, T0, T0, "c2"),
    ];

    [Fact]
    public void Reads_back_every_record_as_it_was_added()
    {
        var columns = ActivityColumns.From(Records);

        Assert.Equal(4, columns.Count);
        for (var i = 0; i < Records.Length; i++)
        {
            Assert.Equal(Records[i], columns[i]);
            // DateTimeOffset equality ignores the offset: the offsets must come back too.
            Assert.Equal(Records[i].OccurredAt.Offset, columns[i].OccurredAt.Offset);
            Assert.Equal(Records[i].DueAt?.Offset, columns[i].DueAt?.Offset);
        }
        Assert.Equal(Records, columns.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => columns[4]);
    }

    [Fact]
    public void Repeated_values_are_one_code_each_and_instants_are_utc_ticks()
    {
        var columns = ActivityColumns.From(Records);

        Assert.Equal(["u1", "u2"], columns.Owner.Values);
        Assert.Equal([0, StringColumn.Null, 0, 1], columns.Owner.Codes);
        Assert.Equal(["c1", "c2"], columns.Contact.Values);
        Assert.Equal([0, StringColumn.Null, 0, 1], columns.Contact.Codes);
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 13, 30, 0, TimeSpan.Zero).UtcTicks, columns.Occurred.UtcTicks[1]);
        Assert.Equal(InstantColumn.None, columns.Due.UtcTicks[0]);
        Assert.Equal([false, true, false, false], columns.Completed);
        Assert.Same(columns, ActivityColumns.From(columns));
    }

    [Fact]
    public void A_builder_grows_past_its_capacity()
    {
        var builder = new ActivityColumns.Builder(capacity: 1);
        for (var i = 0; i < 100; i++)
        {
            builder.Add(new Activity($"a{i}", ActivityType.Meeting, $"u{i % 3}", T0.AddMinutes(i), T0, T0, ContactId: $"c{i % 7}"));
        }
        var columns = builder.Build();

        Assert.Equal(100, columns.Count);
        Assert.Equal(3, columns.Owner.Values.Length);
        Assert.Equal(7, columns.Contact.Values.Length);
        Assert.Equal(new Activity("a99", ActivityType.Meeting, "u0", T0.AddMinutes(99), T0, T0, ContactId: "c1"), columns[99]);
    }

    [Theory]
    [InlineData(255, 1)] // the most one byte holds: codes 0 to 254 as 1 to 255, 0 for no value
    [InlineData(256, 2)]
    [InlineData(65_535, 2)]
    [InlineData(65_536, 3)] // ids of contacts, companies, deals: three bytes up to 16,777,215 values
    public void Codes_are_as_narrow_as_the_distinct_values_allow_and_read_back_the_same(int distinct, int width)
    {
        var builder = new ActivityColumns.Builder(capacity: 16);
        var rows = distinct + 2;
        for (var i = 0; i < rows; i++)
        {
            // Every value once, the last one again, and a row without an owner.
            var owner = i == distinct + 1 ? null : $"u{Math.Min(i, distinct - 1)}";
            builder.Add(new Activity($"a{i}", (ActivityType)(i % 5), owner, T0, T0, T0));
        }
        var columns = builder.Build();

        Assert.Equal(width, columns.Owner.Codes.Width);
        Assert.Equal(rows, columns.Owner.Codes.Length);
        Assert.Equal(distinct, columns.Owner.Values.Length);
        Assert.Equal(0, columns.Owner.Codes[0]);
        Assert.Equal(distinct - 1, columns.Owner.Codes[distinct - 1]);
        Assert.Equal(distinct - 1, columns.Owner.Codes[distinct]);
        Assert.Equal(StringColumn.Null, columns.Owner.Codes[distinct + 1]);
        Assert.Equal($"u{distinct - 1}", columns.Owner[distinct]);
        Assert.Null(columns.Owner[distinct + 1]);
        Assert.Equal(ActivityType.Note, columns.Types[4]);
        Assert.Equal(rows, columns.Types.Length);
    }

    [Fact]
    public void Codes_past_three_bytes_take_four_and_a_row_past_the_end_fails()
    {
        int[] codes = [0, StringColumn.Null, 16_777_215, 5, int.MaxValue - 1];

        var wide = CodeArray.Of(codes, distinct: int.MaxValue);
        var three = CodeArray.Of([0, StringColumn.Null, 16_777_214, 5], distinct: 16_777_215);

        Assert.Equal(4, wide.Width);
        Assert.Equal(codes, wide);
        Assert.Equal(3, three.Width);
        Assert.Equal([0, StringColumn.Null, 16_777_214, 5], three);
        Assert.Throws<IndexOutOfRangeException>(() => three[4]);
        Assert.Throws<IndexOutOfRangeException>(() => three[-1]);
    }

    [Fact]
    public void A_type_beyond_the_enum_is_refused_naming_the_activity()
    {
        var builder = new ActivityColumns.Builder();

        var error = Assert.Throws<ArgumentException>(() => builder.Add(new Activity("a7", (ActivityType)300, null, T0, T0, T0)));
        Assert.Contains("'a7'", error.Message);
    }

    [Fact]
    public void Ids_beyond_one_byte_per_character_are_kept_as_they_are()
    {
        var builder = new ActivityColumns.Builder(capacity: 2);
        builder.Add(new Activity("a-1", ActivityType.Call, null, T0, T0, T0));
        builder.Add(new Activity("é-2", ActivityType.Call, null, T0, T0, T0)); // still one byte (Latin-1)
        builder.Add(new Activity("活動-3", ActivityType.Call, null, T0, T0, T0));
        builder.Add(new Activity("a-4", ActivityType.Call, null, T0, T0, T0));
        var columns = builder.Build();

        Assert.Equal(["a-1", "é-2", "活動-3", "a-4"], columns.Select(a => a.Id));
    }
}

/// <summary>Custom fields as two arrays read as the dictionary they replace.</summary>
public sealed class CompactFieldsTests
{
    [Fact]
    public void Reads_as_a_dictionary_in_order_with_the_last_value_of_a_repeated_key()
    {
        var fields = CompactFields.Of([new("city", "Lyon"), new("postcode", null), new("city", "Paris")]);

        Assert.Equal(2, fields.Count);
        Assert.Equal(["city", "postcode"], fields.Keys);
        Assert.Equal(["Paris", null], fields.Values);
        Assert.Equal("Paris", fields["city"]);
        Assert.True(fields.TryGetValue("postcode", out var postcode));
        Assert.Null(postcode);
        Assert.False(fields.ContainsKey("City")); // ordinal, as the mirror's dictionaries
        Assert.Throws<KeyNotFoundException>(() => fields["region"]);
        Assert.Equal("Paris", new Contact { Id = "c1", Custom = fields }.GetField("city"));
        Assert.Same(CompactFields.Empty, CompactFields.Of([]));
    }
}
