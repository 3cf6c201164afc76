using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.Tests.File;

/// <summary>Bad rows, bad headers, broken files: reported with file, line, column and reason; stored data is kept.</summary>
public sealed class FileSourceProblemsTests
{
    [Fact]
    public async Task Broken_rows_are_reported_skipped_and_their_ids_retained()
    {
        using var folder = new TempFolder().Write("deals.csv",
            "id,name,amount,close_date,is_won,created_at",   // line 1
            "d1,Good,100,2024-03-31,false,2024-01-01T00:00:00Z", // line 2
            "d2,Bad amount,1.000,50,2024-03-31,false,2024-01-01T00:00:00Z", // line 3: 7 fields
            "d3,Bad date,100,31.03.2024,maybe,2024-01-01T00:00:00Z", // line 4: two bad cells
            ",No id,100,2024-03-31,false,2024-01-01T00:00:00Z", // line 5
            "d5,No created,100,2024-03-31,false,", // line 6
            "d1,Duplicate,200,2024-03-31,false,2024-01-01T00:00:00Z", // line 7
            "\"d7\"x,Stray text,100,2024-03-31,false,2024-01-01T00:00:00Z", // line 8
            "d8,\"Multi", // lines 9-10: one record, quoted newline
            "line\",100,2024-03-31,false,2024-01-01T00:00:00Z");

        // 6 of 8 rows rejected: allowed here, to see each one reported (the default share stops this file, see below).
        var changes = await folder.PullAsync(o => o.MaxRejectedShare = 1);

        Assert.Equal(["d1", "d8"], changes.Deals.Select(d => d.Id));
        Assert.Equal("Multi\nline", changes.Deals[1].Name);
        Assert.Equal(
        [
            new SourceProblem("deals.csv", 3, null, "the row has 7 fields but the header has 6; the row is skipped"),
            new SourceProblem("deals.csv", 4, "close_date", "'31.03.2024' is not a date (expected yyyy-MM-dd, e.g. 2024-03-31); the row is skipped"),
            new SourceProblem("deals.csv", 4, "is_won", "'maybe' is not a boolean (expected true/false, yes/no or 1/0); the row is skipped"),
            new SourceProblem("deals.csv", 5, "id", "is empty; a value is required; the row is skipped"),
            new SourceProblem("deals.csv", 6, "created_at", "is empty; a value is required; the row is skipped"),
            new SourceProblem("deals.csv", 7, "id", "duplicate id 'd1' (first on line 2); this row is skipped"),
            new SourceProblem("deals.csv", 8, null, "unexpected text after the closing quote of field 1; the row is skipped"),
        ], changes.Problems);
        // Readable ids of skipped rows: the mirror keeps their stored copy. The duplicate's id is already in the set.
        Assert.Equal([(ObjectKind.Deal, "d2"), (ObjectKind.Deal, "d3"), (ObjectKind.Deal, "d5"), (ObjectKind.Deal, "d7x")],
            changes.Retained);
        Assert.Equal([ObjectKind.Deal], changes.CompleteKinds);
        Assert.Equal(6, changes.RejectedRows); // rows, not problems: line 4 has two
        Assert.Empty(changes.FailedKinds);
    }

    [Fact]
    public async Task Problems_name_the_files_own_header_for_a_mapped_column()
    {
        using var folder = new TempFolder().Write("contacts.csv",
            "Record ID,Create Date",
            "c0,2024-03-05 10:00",
            "c1,05.03.2024 10:00",
            "c2,2024-03-05 10:00",
            "c3,2024-03-05 10:00");

        var changes = await folder.PullAsync(o => o.Preset = "HubSpot");

        var problem = Assert.Single(changes.Problems);
        Assert.Equal(("contacts.csv", 3, "Create Date"), (problem.Location, problem.Line, problem.Column));
        Assert.StartsWith("'05.03.2024 10:00' is not a date-time", problem.Reason);
        Assert.Equal([(ObjectKind.Contact, "c1")], changes.Retained);
    }

    [Theory]
    [InlineData("visit", "unknown activity type 'visit' (known: call, email, meeting, task, note); the row is skipped")]
    [InlineData("", "is empty; a value is required; the row is skipped")]
    public async Task Activities_with_an_unknown_or_missing_type_are_skipped(string type, string reason)
    {
        using var folder = new TempFolder().Write("activities.csv",
            "id,type,occurred_at",
            "a0,call,2024-03-04T10:00:00Z",
            $"a1,{type},2024-03-04T10:00:00Z",
            "a2,Event,2024-03-04T10:00:00Z",
            "a3,TODO,2024-03-04T10:00:00Z");

        var changes = await folder.PullAsync();

        Assert.Equal(new SourceProblem("activities.csv", 3, "type", reason), Assert.Single(changes.Problems));
        Assert.Equal([(ObjectKind.Activity, "a1")], changes.Retained);
    }

    [Fact]
    public async Task Logins_whose_time_is_unreadable_have_no_id_to_retain()
    {
        using var folder = new TempFolder().Write("logins.csv",
            "user_id,at",
            "u1,2024-03-04T09:00:00Z",
            "u1,soon",
            "u2,2024-03-04T09:00:00Z",
            "u2,2024-03-05T09:00:00Z");

        var changes = await folder.PullAsync();

        Assert.Equal("at", Assert.Single(changes.Problems).Column);
        Assert.Empty(changes.Retained);
        Assert.Equal(3, changes.Logins.Count);
    }

    [Fact]
    public async Task A_missing_mandatory_header_leaves_the_kind_untouched()
    {
        using var folder = new TempFolder()
            .Write("contacts.csv",
                "id,email",
                "c1,ada@example.com")
            .Write("users.csv",
                "id,name",
                "u1,Ada");

        var changes = await folder.PullAsync();

        Assert.Equal(
            new SourceProblem("contacts.csv", 1, "created_at",
                "required column is missing (looked for a header named 'created_at'); the file is not read"),
            Assert.Single(changes.Problems));
        Assert.Empty(changes.Contacts);
        Assert.DoesNotContain(ObjectKind.Contact, changes.CompleteKinds);
        Assert.Same(changes.Problems[0], changes.FailedKinds[ObjectKind.Contact]); // the kind's sync fails, naming it
        Assert.False(changes.Watermarks.ContainsKey("file:contacts")); // so the problem is reported again next time
        // The other files are read as usual.
        Assert.Equal([ObjectKind.User], changes.CompleteKinds);
        Assert.True(changes.Watermarks.ContainsKey("file:users"));
    }

    [Fact]
    public async Task A_missing_mandatory_header_lists_the_preset_names_looked_for()
    {
        using var folder = new TempFolder().Write("logins.csv", "Id,LoginTime", "L1,2024-03-04T09:15:00.000+0000");

        var changes = await folder.PullAsync(o => o.Preset = "Salesforce");

        Assert.Equal(
            new SourceProblem("logins.csv", 1, "user_id",
                "required column is missing (looked for a header named 'UserId' or 'user_id'); the file is not read"),
            Assert.Single(changes.Problems));
    }

    [Fact]
    public async Task A_quote_never_closed_stops_the_file_instead_of_losing_the_rows_after_it()
    {
        using var folder = new TempFolder().Write("companies.csv",
            "id,name,created_at",
            "co1,Acme,2024-01-01T00:00:00Z",
            "co2,\"Globex,2024-01-01T00:00:00Z",
            "co3,Initech,2024-01-01T00:00:00Z");

        var changes = await folder.PullAsync();

        Assert.Equal(
            new SourceProblem("companies.csv", 3, null,
                "the quote opening field 2 of the record starting on line 3 is never closed (a stray '\"'?); the file is not read"),
            Assert.Single(changes.Problems));
        Assert.Empty(changes.Companies);
        Assert.Empty(changes.CompleteKinds);
    }

    [Fact]
    public async Task An_empty_file_is_a_problem_and_not_an_empty_kind()
    {
        using var folder = new TempFolder().Write("deals.csv", "");

        var changes = await folder.PullAsync();

        Assert.Equal(new SourceProblem("deals.csv", null, null, "the file is empty: a header row is required; the file is not read"),
            Assert.Single(changes.Problems));
        Assert.Empty(changes.CompleteKinds);
    }

    [Fact]
    public async Task A_header_only_file_empties_the_kind()
    {
        using var folder = new TempFolder().Write("deals.csv", "id,created_at");

        var changes = await folder.PullAsync();

        Assert.Empty(changes.Problems);
        Assert.Empty(changes.Deals);
        Assert.Equal([ObjectKind.Deal], changes.CompleteKinds);
    }

    [Fact]
    public async Task Blank_lines_and_spreadsheet_filler_rows_are_ignored()
    {
        using var folder = new TempFolder().Write("users.csv", "id,name\r\nu1,Ada\r\n\r\n,\r\n ; \r\n".Replace(";", ","));

        var changes = await folder.PullAsync();

        Assert.Empty(changes.Problems);
        Assert.Equal(["u1"], changes.Users.Select(u => u.Id));
    }

    [Fact]
    public async Task A_deal_won_but_marked_open_is_contradictory()
    {
        using var folder = new TempFolder().Write("deals.csv", "id,created_at,is_closed,is_won",
            "d0,2024-01-01,true,true", "d1,2024-01-01,false,true", "d2,2024-01-01,true,false", "d3,2024-01-01,false,false");

        var changes = await folder.PullAsync();

        Assert.Equal(new SourceProblem("deals.csv", 3, "is_closed", "is false but is_won is true; the row is skipped"),
            Assert.Single(changes.Problems));
    }
}
