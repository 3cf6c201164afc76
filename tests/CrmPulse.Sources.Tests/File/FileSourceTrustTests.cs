using System.Text;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using CrmPulse.Sources.File;
using CrmPulse.Sources.Tests.Fakes;

namespace CrmPulse.Sources.Tests.File;

/// <summary>
/// Broken exports never lose stored records: a file that cannot be trusted as a whole is a failed kind (named with its
/// file, line and reason), nothing of it is applied, and the mirror keeps what it had.
/// </summary>
public sealed class FileSourceTrustTests
{
    private const string Header = "id,first_name,last_name,created_at";

    private static string[] Contacts(int count) =>
        [Header, .. Enumerable.Range(1, count).Select(i => $"c{i},First{i},Last{i},2024-01-01T00:00:00Z")];

    /// <summary>A first sync of 9 good contacts, then a pull of whatever the test writes next, applied to the same mirror.</summary>
    private static async Task<(MemoryMirror Mirror, ChangeSet Second)> StoredThenPulledAsync(
        TempFolder folder, Action<TempFolder> replace, Action<FileSourceOptions>? configure = null)
    {
        folder.Write("contacts.csv", Contacts(9));
        var mirror = new MemoryMirror();
        mirror.Apply(await folder.PullAsync(configure));
        Assert.Equal(9, mirror.All<Contact>().Count());
        replace(folder);
        var second = await folder.PullAsync(configure, mirror.Watermarks);
        mirror.Apply(second);
        return (mirror, second);
    }

    [Fact]
    public async Task A_quote_left_open_up_to_a_later_quote_fails_the_kind_instead_of_deleting_the_swallowed_rows()
    {
        using var folder = new TempFolder();
        // Line 3's stray quote runs to the quote on line 8: the rows in between become one field of one row.
        var (mirror, second) = await StoredThenPulledAsync(folder, f => f.Write("contacts.csv",
            Header,
            "c1,First1,Last1,2024-01-01T00:00:00Z",
            "c2,\"First2,Last2,2024-01-01T00:00:00Z",
            "c3,First3,Last3,2024-01-01T00:00:00Z",
            "c4,First4,Last4,2024-01-01T00:00:00Z",
            "c5,First5,Last5,2024-01-01T00:00:00Z",
            "c6,First6,Last6,2024-01-01T00:00:00Z",
            "c7,\"First7, Jr.\",Last7,2024-01-01T00:00:00Z",
            "c8,First8,Last8,2024-01-01T00:00:00Z",
            "c9,First9,Last9,2024-01-01T00:00:00Z"));

        var failure = second.FailedKinds[ObjectKind.Contact];
        Assert.Equal(("contacts.csv", 3), (failure.Location, failure.Line));
        Assert.StartsWith("the record starting here runs to line 8 through a quoted field and is malformed (", failure.Reason);
        Assert.EndsWith("a quote is probably not closed, so the rows in between cannot be trusted; the file is not read", failure.Reason);
        Assert.Equal(0, second.RecordCount);
        Assert.Empty(second.CompleteKinds);
        Assert.False(second.Watermarks.ContainsKey("file:contacts"));
        Assert.DoesNotContain(ObjectKind.Contact, second.ReadKinds!);
        Assert.Equal(Enumerable.Range(1, 9).Select(i => $"c{i}"), mirror.All<Contact>().Select(c => c.Id).Order(StringComparer.Ordinal));
        Assert.Equal("First2", mirror.Get<Contact>(ObjectKind.Contact, "c2").FirstName);
    }

    [Fact]
    public async Task A_quote_never_closed_on_the_last_line_of_520_contacts_fails_the_kind_on_a_first_sync()
    {
        using var folder = new TempFolder().Write("contacts.csv",
            [.. Contacts(519), "c520,\"Unclosed,Last520,2024-01-01T00:00:00Z"]);

        var changes = await folder.PullAsync();

        Assert.Equal(new SourceProblem("contacts.csv", 521, null,
                "the quote opening field 2 of the record starting on line 521 is never closed (a stray '\"'?); the file is not read"),
            changes.FailedKinds[ObjectKind.Contact]);
        Assert.Empty(changes.Contacts);
        Assert.Empty(changes.ReadKinds!); // contacts were never read: their KPIs must not be emitted as 0
    }

    [Theory]
    [InlineData("utf-8")]
    [InlineData("windows-1252")]
    public async Task A_valid_header_followed_by_binary_garbage_fails_the_kind_and_keeps_every_stored_contact(string encoding)
    {
        using var folder = new TempFolder();
        var garbage = new byte[1 << 20];
        new Random(14).NextBytes(garbage);

        var (mirror, second) = await StoredThenPulledAsync(folder,
            f => System.IO.File.WriteAllBytes(Path.Combine(f.Path, "contacts.csv"), [.. Encoding.ASCII.GetBytes(Header + "\n"), .. garbage]),
            o => o.Encoding = encoding);

        var failure = second.FailedKinds[ObjectKind.Contact];
        Assert.EndsWith("; the file is not read", failure.Reason);
        Assert.NotNull(failure.Line);
        Assert.Equal(0, second.RecordCount);
        Assert.Equal(9, mirror.All<Contact>().Count());
    }

    [Fact]
    public async Task A_valid_header_followed_by_text_garbage_fails_the_kind_by_its_rejected_rows()
    {
        using var folder = new TempFolder();
        // Printable garbage: no quotes, so no structural error; lines of random words and commas.
        var random = new Random(14);
        var lines = Enumerable.Range(0, 5000).Select(_ =>
            new string(Enumerable.Range(0, random.Next(1, 60)).Select(_ => "abcdefghij,;: 0123456789"[random.Next(24)]).ToArray()));

        var (mirror, second) = await StoredThenPulledAsync(folder, f => f.Write("contacts.csv", [Header, .. lines]));

        var failure = second.FailedKinds[ObjectKind.Contact];
        // Rows of only spaces and commas are blank, the others all rejected.
        Assert.Matches(@"^every one of its 49\d\d data row\(s\) was rejected \(first on line 2\); the file is not read$", failure.Reason);
        Assert.Equal(FileKindReader.MaxListedProblems + 2, second.Problems.Count); // 100 listed, "N more", the failure
        Assert.Equal(9, mirror.All<Contact>().Count());
        Assert.Equal(0, second.RecordCount);
    }

    [Fact]
    public async Task A_file_whose_every_row_is_rejected_fails_the_kind_even_when_any_share_is_allowed()
    {
        // Salesforce's IsActive exported as words: no row reads.
        using var folder = new TempFolder().Write("users.csv", "id,name,active", "u1,Ada,Active", "u2,Grace,Inactive");

        var changes = await folder.PullAsync(o => o.MaxRejectedShare = 1);

        Assert.Equal(new SourceProblem("users.csv", 2, null, "every one of its 2 data row(s) was rejected (first on line 2); the file is not read"),
            changes.FailedKinds[ObjectKind.User]);
        Assert.Equal(2, changes.RejectedRows);
        Assert.Equal(3, changes.Problems.Count); // each row's bad cell, then the failure
        Assert.Empty(changes.Users);
    }

    [Theory]
    [InlineData(0.25, 2, false)] // 2 of 8 is not more than a quarter
    [InlineData(0.25, 3, true)]
    [InlineData(0.0, 1, true)]   // 0: any rejected row stops the file
    public async Task MaxRejectedShare_decides_whether_a_file_with_bad_rows_is_applied(double share, int bad, bool fails)
    {
        var rows = Enumerable.Range(1, 8).Select(i => $"c{i},F,L," + (i <= bad ? "31.12.2024" : "2024-12-31")).ToArray();
        using var folder = new TempFolder().Write("contacts.csv", [Header, .. rows]);

        var changes = await folder.PullAsync(o => o.MaxRejectedShare = share);

        Assert.Equal(fails, changes.FailedKinds.ContainsKey(ObjectKind.Contact));
        Assert.Equal(fails ? 0 : 8 - bad, changes.Contacts.Count);
        Assert.Equal(bad, changes.RejectedRows);
        Assert.Equal(!fails, changes.CompleteKinds.Contains(ObjectKind.Contact));
    }

    [Fact]
    public async Task A_NUL_character_fails_the_kind_with_its_line()
    {
        using var folder = new TempFolder().Write("contacts.csv", Header + "\nc1,A,B,2024-01-01T00:00:00Z\nc2,A\0B,C,2024-01-01T00:00:00Z\n");

        var changes = await folder.PullAsync();

        Assert.Equal(new SourceProblem("contacts.csv", 3, null,
                "holds a NUL character: the file is binary, or not in the configured encoding (UTF-16 without a byte order mark?); the file is not read"),
            changes.FailedKinds[ObjectKind.Contact]);
    }

    [Fact]
    public async Task A_folder_that_cannot_be_listed_fails_the_sync_instead_of_reading_nothing()
    {
        // Tests run as root here, whom no permission stops: the listing's refusal is injected as .NET reports it.
        using var folder = new TempFolder().Write("users.csv", "id", "u1");
        var source = new FileSource("exports", folder.Options())
        {
            ListFiles = path => throw new UnauthorizedAccessException($"Access to the path '{path}' is denied."),
        };

        var error = await Assert.ThrowsAsync<SourceException>(() => source.PullAsync(new Dictionary<string, string>(), CancellationToken.None));

        Assert.Equal($"File source 'exports': folder '{folder.Path}' cannot be listed (Access to the path '{folder.Path}' is denied.); nothing was read.",
            error.Message);
    }

    [Fact]
    public async Task A_file_that_cannot_be_opened_fails_its_kind_and_the_others_are_read()
    {
        // A folder named like the file: listed by name, but opening it fails as a locked or forbidden file does.
        using var folder = new TempFolder().Write("users.csv", "id", "u1");
        var source = new FileSource("exports", folder.Options())
        {
            ListFiles = path => [.. Directory.EnumerateFiles(path), Path.Combine(path, "contacts.csv")],
        };
        Directory.CreateDirectory(Path.Combine(folder.Path, "contacts.csv"));

        var changes = await source.PullAsync(new Dictionary<string, string>(), CancellationToken.None);

        var failure = changes.FailedKinds[ObjectKind.Contact];
        Assert.Equal(("contacts.csv", null), (failure.Location, failure.Line));
        Assert.StartsWith("cannot be read (", failure.Reason);
        Assert.Equal(["u1"], changes.Users.Select(u => u.Id));
        Assert.Equal([ObjectKind.User], changes.ReadKinds!);
    }

    [Fact]
    public async Task An_unchanged_file_read_before_counts_as_read_and_a_missing_one_does_not()
    {
        using var folder = new TempFolder().Write("users.csv", "id", "u1");
        var first = await folder.PullAsync();

        var second = await folder.PullAsync(watermarks: first.Watermarks);

        Assert.Equal([ObjectKind.User], first.ReadKinds!);
        Assert.Equal([ObjectKind.User], second.ReadKinds!);
        Assert.Equal(0, second.RecordCount);
    }
}
