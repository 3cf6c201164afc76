using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using CrmPulse.Sources.File;

namespace CrmPulse.Sources.Tests.File;

/// <summary>Watermarks, missing files and folders, the source's identity.</summary>
public sealed class FileSourcePullTests
{
    private static readonly string[] Users = ["id,name", "u1,Ada"];
    private static readonly string[] Contacts = ["id,created_at", "c1,2024-01-01T00:00:00Z"];

    [Fact]
    public async Task An_unchanged_file_is_skipped_on_the_next_pull()
    {
        using var folder = new TempFolder().Write("users.csv", Users).Write("contacts.csv", Contacts);
        var source = new FileSource("exports", folder.Options());

        var first = await source.PullAsync(new Dictionary<string, string>(), CancellationToken.None);
        var second = await source.PullAsync(first.Watermarks, CancellationToken.None);

        Assert.Equal(["file:contacts", "file:users"], first.Watermarks.Keys.Order());
        Assert.All(first.Watermarks.Values, v => Assert.Matches("^sha256:[0-9a-f]{64}$", v));
        Assert.Equal(0, second.RecordCount);
        Assert.Empty(second.CompleteKinds);
        Assert.Empty(second.Watermarks);
        Assert.Empty(second.Problems);
    }

    [Fact]
    public async Task A_changed_file_is_read_again_and_only_that_kind()
    {
        using var folder = new TempFolder().Write("users.csv", Users).Write("contacts.csv", Contacts);
        var source = new FileSource("exports", folder.Options());
        var first = await source.PullAsync(new Dictionary<string, string>(), CancellationToken.None);

        folder.Write("users.csv", "id,name", "u1,Ada", "u2,Grace");
        var second = await source.PullAsync(first.Watermarks, CancellationToken.None);

        Assert.Equal(["u1", "u2"], second.Users.Select(u => u.Id));
        Assert.Empty(second.Contacts);
        Assert.Equal([ObjectKind.User], second.CompleteKinds);
        Assert.NotEqual(first.Watermarks["file:users"], second.Watermarks["file:users"]);
        Assert.False(second.Watermarks.ContainsKey("file:contacts"));
    }

    [Fact]
    public async Task Changing_a_setting_that_shapes_the_reading_reads_an_unchanged_file_again()
    {
        using var folder = new TempFolder().Write("contacts.csv", "id,created_at", "c1,2024-01-01 09:00");
        var first = await folder.PullAsync();

        var again = await folder.PullAsync(o => o.TimeZone = "Europe/Berlin", first.Watermarks);

        // 09:00 in Berlin in winter is 08:00 UTC.
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 8, 0, 0, TimeSpan.Zero), Assert.Single(again.Contacts).CreatedAt);
    }

    [Fact]
    public async Task A_file_with_bad_rows_still_gets_its_watermark()
    {
        using var folder = new TempFolder().Write("users.csv", "id,active", "u1,true", "u2,perhaps", "u3,true", "u4,false");

        var first = await folder.PullAsync();
        var second = await folder.PullAsync(watermarks: first.Watermarks);

        Assert.Single(first.Problems);
        Assert.True(first.Watermarks.ContainsKey("file:users"));
        Assert.Empty(second.Problems); // same content: skipped, the stored copies stand
    }

    [Fact]
    public async Task Missing_files_mean_no_data_for_their_kind_and_no_problem()
    {
        using var folder = new TempFolder().Write("users.csv", Users);

        var changes = await folder.PullAsync();

        Assert.Equal([ObjectKind.User], changes.CompleteKinds);
        Assert.Empty(changes.Problems);
        Assert.Equal(1, changes.RecordCount);
    }

    [Fact]
    public async Task A_missing_folder_fails_the_pull_with_a_clear_message()
    {
        var path = Path.Combine(Path.GetTempPath(), "crmpulse-no-such-folder-" + Guid.NewGuid().ToString("N"));
        var source = new FileSource("exports", new FileSourceOptions { Path = path });

        var ex = await Assert.ThrowsAsync<SourceException>(
            () => source.PullAsync(new Dictionary<string, string>(), CancellationToken.None));

        Assert.Equal($"File source 'exports': folder '{path}' does not exist (option Path).", ex.Message);
    }

    [Fact]
    public async Task File_names_come_from_the_mapping()
    {
        using var folder = new TempFolder().Write("Export-Users-2024.csv", Users).Write("users.csv", "id", "ignored");

        var changes = await folder.PullAsync(o => o.Files["users"] = new FileMapping { FileName = "Export-Users-2024.csv" });

        Assert.Equal(["u1"], changes.Users.Select(u => u.Id));
    }

    [Fact]
    public async Task Semicolon_files_with_a_bom_and_crlf_are_read()
    {
        using var folder = new TempFolder().Write("deals.csv", "\uFEFFid;amount;created_at\r\nd1;1250.5;2024-01-01\r\n");

        var changes = await folder.PullAsync(o => o.Delimiter = ";");

        Assert.Equal(1250.5m, Assert.Single(changes.Deals).Amount);
        Assert.Empty(changes.Problems);
    }

    [Fact]
    public async Task A_cancelled_pull_throws()
    {
        using var folder = new TempFolder().Write("users.csv", Users);
        var source = new FileSource("exports", folder.Options());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => source.PullAsync(new Dictionary<string, string>(), new CancellationToken(canceled: true)));
    }

    [Fact]
    public void The_source_has_its_name_and_kind()
    {
        using var folder = new TempFolder();
        var source = new FileSource("exports", folder.Options());

        Assert.Equal(("exports", "File"), (source.Name, source.Kind));
    }

    [Fact]
    public void Building_a_source_with_invalid_options_lists_every_problem()
    {
        var options = new FileSourceOptions { Path = "/tmp", Delimiter = ";;", TimeZone = "Mars/Base" };

        var ex = Assert.Throws<ArgumentException>(() => new FileSource("exports", options));

        Assert.Contains("Delimiter must be one character", ex.Message);
        Assert.Contains("TimeZone: 'Mars/Base' is not a known time zone", ex.Message);
    }
}
