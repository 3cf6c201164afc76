using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using CrmPulse.Sources.File;

namespace CrmPulse.Sources.Tests.File;

/// <summary>Values (a column's values feed a flag or a canonical value) and Combine (several columns feed one field).</summary>
public sealed class FileSourceValueMappingTests
{
    private static void UserTypeMapping(FileSourceOptions o) => o.Files["users"] = new FileMapping
    {
        Columns = { ["id"] = "User ID", ["integration"] = "User Type" },
        Combine = { ["name"] = ["First Name", "Last Name"] },
        Values = { ["integration"] = new() { ["Integration"] = "true", ["API"] = "true", ["*"] = "false" } },
    };

    [Fact]
    public async Task A_user_type_column_marks_integration_users_and_first_and_last_name_make_the_name()
    {
        using var folder = new TempFolder().Write("users.csv",
            "User ID,First Name,Last Name,Email,User Type",
            "u1,Ada,Lovelace,ada@x.test,Standard",
            "u2,Sync,Bot,bot@x.test,integration",
            "u3,,Hopper,grace@x.test, API ",
            "u4,Alan,,alan@x.test,");

        var changes = await folder.PullAsync(UserTypeMapping);

        Assert.Empty(changes.Problems);
        Assert.Equal(
            [("u1", "Ada Lovelace", false), ("u2", "Sync Bot", true), ("u3", "Hopper", true), ("u4", "Alan", false)],
            changes.Users.Select(u => (u.Id, u.Name, u.IsIntegration)));
    }

    [Fact]
    public async Task Without_a_fallback_other_values_are_read_as_they_are_so_an_unexpected_one_is_a_rejected_row()
    {
        using var folder = new TempFolder().Write("users.csv",
            "id,Status", "u1,Active", "u2,inactive", "u3,Active", "u4,Suspended");

        var changes = await folder.PullAsync(o => o.Files["users"] = new FileMapping
        {
            Columns = { ["active"] = "Status" },
            Values = { ["active"] = new() { ["Active"] = "true", ["Inactive"] = "false" } },
        });

        Assert.Equal([("u1", true), ("u2", false), ("u3", true)], changes.Users.Select(u => (u.Id, u.IsActive)));
        Assert.Equal(new SourceProblem("users.csv", 5, "Status",
            "'Suspended' is not a boolean (expected true/false, yes/no or 1/0); the row is skipped"), Assert.Single(changes.Problems));
    }

    [Fact]
    public async Task A_date_and_a_time_column_combine_into_one_date_time_and_values_rename_activity_types()
    {
        using var folder = new TempFolder().Write("activities.csv",
            "id,Kind,Date,Time",
            "a1,Anruf,2024-03-05,14:30",
            "a2,Besprechung,2024-03-06,09:00");

        var changes = await folder.PullAsync(o =>
        {
            o.TimeZone = "Europe/Berlin";
            o.Files["activities"] = new FileMapping
            {
                Columns = { ["type"] = "Kind" },
                Combine = { ["occurred_at"] = ["Date", "Time"] },
                Values = { ["type"] = new() { ["Anruf"] = "call", ["Besprechung"] = "meeting" } },
            };
        });

        Assert.Empty(changes.Problems);
        Assert.Equal(
            [("a1", ActivityType.Call, new DateTimeOffset(2024, 3, 5, 13, 30, 0, TimeSpan.Zero)),
             ("a2", ActivityType.Meeting, new DateTimeOffset(2024, 3, 6, 8, 0, 0, TimeSpan.Zero))],
            changes.Activities.Select(a => (a.Id, a.Type, a.OccurredAt)));
    }

    [Fact]
    public async Task Combined_headers_are_not_custom_fields()
    {
        using var folder = new TempFolder().Write("contacts.csv",
            "id,created_at,Nachname,Namenszusatz,Region",
            "c1,2024-01-01T00:00:00Z,Humboldt,von,Nord");

        var changes = await folder.PullAsync(o => o.Files["contacts"] = new FileMapping { Combine = { ["last_name"] = ["Namenszusatz", "Nachname"] } });

        var contact = Assert.Single(changes.Contacts);
        Assert.Equal("von Humboldt", contact.LastName);
        Assert.Equal(["region"], contact.Custom.Keys);
    }

    [Fact]
    public async Task A_combined_header_missing_from_the_file_stops_the_file()
    {
        using var folder = new TempFolder().Write("users.csv", "User ID,First Name,User Type", "u1,Ada,Standard");

        var changes = await folder.PullAsync(UserTypeMapping);

        Assert.Equal(new SourceProblem("users.csv", 1, "name",
                "the Combine option joins 'First Name' + 'Last Name' into 'name', but 'Last Name' is not in the file; the file is not read"),
            changes.FailedKinds[ObjectKind.User]);
        Assert.Empty(changes.Users);
    }

    [Fact]
    public async Task Changing_a_value_mapping_reads_an_unchanged_file_again()
    {
        using var folder = new TempFolder().Write("users.csv", "User ID,First Name,Last Name,User Type", "u1,Sync,Bot,Robot");
        var first = await folder.PullAsync(UserTypeMapping);

        var again = await folder.PullAsync(o =>
        {
            UserTypeMapping(o);
            o.Files["users"].Values["integration"]["Robot"] = "true";
        }, first.Watermarks);

        Assert.False(Assert.Single(first.Users).IsIntegration);
        Assert.True(Assert.Single(again.Users).IsIntegration);
    }

    [Fact]
    public void Every_mapping_problem_is_reported_with_its_key()
    {
        using var folder = new TempFolder();
        var options = folder.Options(o =>
        {
            o.Encoding = "klingon-8";
            o.MaxRejectedShare = 1.5;
            o.Files["users"] = new FileMapping
            {
                Columns = { ["name"] = "Full Name" },
                Combine = { ["name"] = ["First Name", "Last Name"], ["nickname"] = ["A", "B"], ["email"] = ["Email"] },
                Values =
                {
                    ["integration"] = new() { ["Integration"] = "integrated", [" "] = "true" },
                    ["team"] = new(),
                    ["colour"] = new() { ["x"] = "y" },
                },
            };
            o.Files["deals"] = new FileMapping { Values = { ["amount"] = new() { ["n/a"] = "0", ["tbd"] = "unknown" } } };
            o.Files["activities"] = new FileMapping { Values = { ["type"] = new() { ["Visit"] = "visit" } } };
        });

        Assert.Equal(
        [
            "Encoding: 'klingon-8' is not a known encoding (e.g. utf-8, windows-1252, iso-8859-1, utf-16).",
            "MaxRejectedShare must be between 0 and 1 (a share of a file's rows), was 1.5.",
            "Files:users:Combine:name: 'name' is also mapped in Columns; give it in one of them.",
            "Files:users:Combine: unknown column 'nickname' (known: id, name, email, team, active, integration, created_at, is_admin, profile).",
            "Files:users:Combine:email: give two or more non-empty header names to join (one header goes in Columns).",
            "Files:users:Values:integration:Integration: 'integrated' is not a boolean (true/false, yes/no, 1/0).",
            "Files:users:Values:integration: a file value must not be empty.",
            "Files:users:Values:team: give at least one 'file value': 'canonical value' pair.",
            "Files:users:Values: unknown column 'colour' (known: id, name, email, team, active, integration, created_at, is_admin, profile).",
            "Files:deals:Values:amount:tbd: 'unknown' is not a number (e.g. 1250.50).",
            "Files:activities:Values:type:Visit: 'visit' is not an activity type (call, email, meeting, task, note).",
        ], options.Validate());
    }
}
