using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Tests.Kpis;

/// <summary>Issues held as compact rows (<see cref="IssueBuffer"/>) read back as the issues and texts the families wrote
/// before: the same kind, record, owner, team, field, and detail text byte for byte.</summary>
public sealed class IssueBufferTests
{
    public static TheoryData<IssueText, string> Texts => IssueTextTests.Texts;

    [Fact]
    public void Every_code_has_a_hand_written_text()
    {
        var covered = IssueTextTests.Texts.Select(row => ((IssueText)row[0]).Code).ToHashSet();
        Assert.Equal(Enum.GetValues<IssueCode>(), covered.Order());
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void A_row_with_a_code_reads_back_as_the_text_it_was_written_as(IssueText text, string expected)
    {
        var buffer = new IssueBuffer();
        buffer.Add("k", "deal", "d1", "u1", "Sales", "f", text.Code, text.A, text.B, text.M, text.N, text.X, text.Y);

        var issue = Assert.Single(buffer);
        Assert.Equal(expected, issue.Detail);
        Assert.Equal(expected, Assert.Single(buffer.Rows()).Detail());
        Assert.Equal(text, issue.CompactDetail());
        Assert.Equal(new RecordIssue("k", "deal", "d1", "u1", "Sales", "f", expected), issue);
    }

    [Fact]
    public void Rows_keep_every_part_of_the_issue_and_texts_stay_texts()
    {
        var buffer = new IssueBuffer();
        buffer.Add("unowned_records", "contact", "c1", null, KpiOptions.NoTeam, "owner", "no owner");
        buffer.Add("stale_records", "company", "co1", "u2", "Ops", null, (string?)null);
        buffer.Add(new RecordIssue("invalid_emails", "contact", "c2", "u1", "Sales", "email", new IssueText(IssueCode.InvalidEmail, "x@")));
        buffer.Add(new RecordIssue("dead_accounts", "company", "co2", "u1", "Sales", null, "no activity or deal ever, created 2025-01-31"));

        Assert.Equal(
        [
            new RecordIssue("unowned_records", "contact", "c1", null, KpiOptions.NoTeam, "owner", "no owner"),
            new RecordIssue("stale_records", "company", "co1", "u2", "Ops"),
            new RecordIssue("invalid_emails", "contact", "c2", "u1", "Sales", "email", "e-mail 'x@' is not an address"),
            new RecordIssue("dead_accounts", "company", "co2", "u1", "Sales", null, "no activity or deal ever, created 2025-01-31"),
        ], buffer);
        Assert.Null(buffer[0].CompactDetail());
        Assert.Null(buffer[1].Detail);
        Assert.Equal(IssueCode.InvalidEmail, buffer[2].CompactDetail()!.Code);
        Assert.Equal([false, false, true, false], buffer.Rows().Select(r => r.HasCode));
    }

    [Fact]
    public void Many_rows_span_chunks_and_read_back_by_index_in_order()
    {
        var buffer = new IssueBuffer();
        for (var i = 0; i < 20_000; i++) buffer.Add("funnel_stage_records", "contact", $"c{i}", null, "T", "sql", IssueCode.FunnelStage, "sql", "Web", i);

        Assert.Equal(20_000, buffer.Count);
        Assert.Equal("c0", buffer[0].RecordId);
        Assert.Equal("c255", buffer[255].RecordId);
        Assert.Equal("c256", buffer[256].RecordId);
        Assert.Equal("c19999", buffer[19_999].RecordId);
        Assert.Equal(Enumerable.Range(0, 20_000).Select(i => $"c{i}"), buffer.Rows().Select(r => r.RecordId));
        Assert.Equal(12_345L, buffer[12_345].CompactDetail()!.M);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer[20_000]);
    }

    [Fact]
    public void Appending_shares_rows_and_neither_buffer_writes_into_the_other()
    {
        var (a, b) = (new IssueBuffer(), new IssueBuffer());
        a.Add("k", "contact", "a1", null, "T", null, "one");
        b.Add("k", "contact", "b1", null, "T", null, "two");

        a.AddRange(b);
        b.Add("k", "contact", "b2", null, "T", null, "three");
        a.Add("k", "contact", "a2", null, "T", null, "four");

        Assert.Equal(["a1", "b1", "a2"], a.Select(i => i.RecordId));
        Assert.Equal(["b1", "b2"], b.Select(i => i.RecordId));
        Assert.Equal(["one", "two", "four"], a.Select(i => i.Detail));
    }

    [Fact]
    public void Appending_a_partly_filled_chunk_keeps_every_column_of_its_rows()
    {
        // AddRange cuts the appended buffer's last chunk (300 rows of 512) to its rows: every column must come along.
        var shared = new IssueText(IssueCode.FunnelCurrentStage, "customer", "Web");
        var part = new IssueBuffer();
        for (var i = 0; i < 300; i++)
        {
            switch (i % 3)
            {
                case 0: part.Add("k", "deal", $"d{i}", "u1", "T", "f", IssueCode.AgingInStage, "p", "s", i + 1, 1, 2.5 * i, 1.5); break;
                case 1: part.AddShared("k", "contact", $"c{i}", null, "T", "sql", shared); break;
                default: part.Add("k", "contact", $"c{i}", "u2", "T", null, $"text {i}"); break;
            }
        }
        var expected = part.ToList();

        var all = new IssueBuffer();
        all.AddRange(part);
        part.Add("k", "contact", "after", null, "T", null, "after");

        Assert.Equal(expected, all);
        Assert.Equal(expected.Append(new RecordIssue("k", "contact", "after", null, "T", null, "after")), part);
        Assert.Equal(expected[297].CompactDetail(), all[297].CompactDetail());
        Assert.Equal(shared, all[298].CompactDetail());
    }

    [Fact]
    public void Where_keeps_the_rows_of_the_kinds_asked_for_in_order()
    {
        var buffer = new IssueBuffer();
        buffer.Add("invalid_emails", "contact", "c1", "u1", "Sales", "email", IssueCode.InvalidEmail, "a@");
        buffer.Add("stalled_deals", "deal", "d1", null, "T", null, IssueCode.LostWithoutReason, m: 638_000_000_000_000_000);
        buffer.Add("invalid_emails", "contact", "c2", null, "T", "email", IssueCode.InvalidEmail, "b@");

        var contacts = buffer.Where((_, objectType) => objectType == "contact");

        Assert.Equal(["c1", "c2"], contacts.Select(i => i.RecordId));
        Assert.Equal(["e-mail 'a@' is not an address", "e-mail 'b@' is not an address"], contacts.Select(i => i.Detail));
        Assert.Equal("u1", contacts[0].OwnerId);
        Assert.Equal(3, buffer.Count);
    }

    [Fact]
    public void A_list_of_issues_becomes_the_same_rows()
    {
        var issues = new List<RecordIssue>
        {
            new("stalled_deals", "deal", "d1", "u1", "Sales", null, new IssueText(IssueCode.PastCloseDate, M: 739_000, N: 739_010)),
            new("unowned_records", "deal", "d2", null, "T", "owner", "no owner"),
        };

        var buffer = IssueBuffer.From(issues);

        Assert.Equal(issues, buffer);
        Assert.Same(buffer, IssueBuffer.From(buffer));
    }

    [Fact]
    public void A_shared_text_reads_back_on_every_row_across_chunks_and_through_where()
    {
        var (customer, lead) = (new IssueText(IssueCode.FunnelCurrentStage, "customer", "Web"), new IssueText(IssueCode.FunnelCurrentStage, null, "unknown"));
        var buffer = new IssueBuffer();
        for (var i = 0; i < 1_000; i++)
        {
            buffer.AddShared("funnel_stage_records", "contact", $"c{i}", i % 2 == 0 ? "u1" : null, "T", "sql", i % 3 == 0 ? lead : customer);
        }
        buffer.Add("funnel_stage_records", "contact", "c1000", null, "T", "sql", IssueCode.FunnelStage, "sql", "Web", 638_000_000_000_000_000);

        Assert.Equal(1_001, buffer.Count);
        Assert.Equal("current lifecycle stage , lead source unknown", buffer[0].Detail);
        Assert.Equal("current lifecycle stage customer, lead source Web", buffer[1].Detail);
        Assert.Equal("current lifecycle stage customer, lead source Web", buffer[998].Detail);
        Assert.Equal("current lifecycle stage , lead source unknown", buffer[999].Detail);
        Assert.Equal(new RecordIssue("funnel_stage_records", "contact", "c998", "u1", "T", "sql", "current lifecycle stage customer, lead source Web"), buffer[998]);
        Assert.Equal(customer, buffer[998].CompactDetail());
        Assert.Equal("sql since 2022-09-28, lead source Web", buffer[1_000].Detail);

        var odd = buffer.Where((_, _) => true);
        Assert.Equal(buffer, odd);
        Assert.Equal([IssueCode.FunnelCurrentStage, IssueCode.FunnelStage], odd.Rows().Select(r => r.Code).Distinct());
    }

    [Fact]
    public void Arguments_read_from_columns_give_the_texts_of_their_rows_across_chunks_through_where_and_appending()
    {
        // Validity's issues keep the contact's row, not its e-mail and phone: each text is read from the columns when the
        // issue is read, exactly as the strings would have been written (null, empty and blank included).
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var contacts = ContactColumns.From(Enumerable.Range(0, 600).Select(i => new Contact
        {
            Id = $"c{i}", CreatedAt = at,
            Email = (i % 4) switch { 0 => null, 1 => "", 2 => " ", _ => $"x{i}@" },
            Phone = i % 5 == 0 ? null : $"12{i}",
        }).ToList());
        var others = ContactColumns.From([new Contact { Id = "o0", CreatedAt = at, Email = "other@", Phone = "other" }]);
        var part = new IssueBuffer();
        for (var i = 0; i < 600; i++)
        {
            part.Add("unreachable_contacts", "contact", $"c{i}", null, "T", null, IssueCode.Unreachable, contacts.Email, contacts.Phone, i);
            if (i % 100 == 7) part.Add("invalid_emails", "contact", "o0", "u1", "T", "email", IssueCode.InvalidEmail, others.Email, null, 0);
            if (i % 100 == 8) part.Add("invalid_phones", "contact", $"c{i}", null, "T", "phone", IssueCode.InvalidPhone, contacts.Phone, null, i);
            if (i % 100 == 9) part.Add("dead_accounts", "contact", $"c{i}", null, "T", null, "a text");
        }
        var expected = new List<RecordIssue>();
        for (var i = 0; i < 600; i++)
        {
            var email = (i % 4) switch { 0 => "null", 1 => "''", 2 => "' '", _ => $"'x{i}@'" };
            var phone = i % 5 == 0 ? "null" : $"'12{i}'";
            expected.Add(new("unreachable_contacts", "contact", $"c{i}", null, "T", null, $"no valid e-mail ({email}) and no valid phone ({phone})"));
            if (i % 100 == 7) expected.Add(new("invalid_emails", "contact", "o0", "u1", "T", "email", "e-mail 'other@' is not an address"));
            if (i % 100 == 8) expected.Add(new("invalid_phones", "contact", $"c{i}", null, "T", "phone", $"phone '12{i}' is not a number"));
            if (i % 100 == 9) expected.Add(new("dead_accounts", "contact", $"c{i}", null, "T", null, "a text"));
        }

        Assert.Equal(expected, part);
        Assert.Equal(expected.Select(e => e.Detail), part.Rows().Select(r => r.Detail()));
        Assert.Equal(new IssueText(IssueCode.Unreachable, "x3@", "123"), part.Rows().ElementAt(3).CompactDetail());
        Assert.Equal(new IssueText(IssueCode.InvalidEmail, "other@"), part[8].CompactDetail());
        var all = new IssueBuffer();
        all.AddRange(part); // the last chunk is partly filled: cut to its rows, its row numbers with it
        Assert.Equal(expected, all);
        Assert.Equal(expected.Where(e => e.Kpi != "unreachable_contacts"), all.Where((kpi, _) => kpi != "unreachable_contacts"));
        Assert.Throws<ArgumentOutOfRangeException>(() => part.Add("k", "contact", "c0", null, "T", null, IssueCode.InvalidEmail, contacts.Email, null, -1));
    }

    [Fact]
    public void Owners_numbered_per_chunk_read_back_on_every_row_across_chunks_through_where_and_appending()
    {
        // More owners than a chunk of 256 rows holds rows, equal owners as different instances, and rows without one.
        static string? OwnerOf(int i) => i % 7 == 0 ? null : new string($"u{i % 3_000}".AsSpan());
        var part = new IssueBuffer();
        for (var i = 0; i < 20_000; i++) part.Add(i % 2 == 0 ? "k" : "other", "contact", $"c{i}", OwnerOf(i), "T", null, (string?)null);
        var all = new IssueBuffer();
        all.Add("k", "deal", "first", "u-first", "T", null, (string?)null);
        all.AddRange(part);

        Assert.Equal(Enumerable.Range(0, 20_000).Select(OwnerOf), part.Rows().Select(r => r.OwnerId));
        Assert.Equal(OwnerOf(12_345), part[12_345].OwnerId);
        Assert.Equal(Enumerable.Range(0, 20_000).Select(OwnerOf).Prepend("u-first"), all.Select(i => i.OwnerId));
        Assert.Equal(Enumerable.Range(0, 10_000).Select(i => OwnerOf(2 * i)).Prepend("u-first"),
            all.Where((kpi, _) => kpi == "k").Rows().Select(r => r.OwnerId));
    }
}
