using System.Text;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.Tests.File;

/// <summary>The Encoding setting: Windows-1252 and Latin-1 exports read, invalid bytes named with their line, never U+FFFD.</summary>
public sealed class FileSourceEncodingTests
{
    // "Müller" and "Gonçalves" as Excel on a Western Windows saves them: ü = 0xFC, ç = 0xE7, € = 0x80.
    private static readonly byte[] Windows1252 =
    [
        .. "id,first_name,last_name,created_at,Budget\r\nc1,J"u8, 0xF6, .. "rg,M"u8, 0xFC, .. "ller,2024-01-01T00:00:00Z,5 "u8, 0x80,
        .. "\r\nc2,Ana,Gon"u8, 0xE7, .. "alves,2024-01-01T00:00:00Z,\r\n"u8,
    ];

    private static TempFolder WriteBytes(byte[] bytes)
    {
        var folder = new TempFolder();
        System.IO.File.WriteAllBytes(Path.Combine(folder.Path, "contacts.csv"), bytes);
        return folder;
    }

    [Fact]
    public async Task Bytes_that_are_not_utf8_fail_the_kind_with_line_offset_and_a_hint_instead_of_becoming_replacement_characters()
    {
        using var folder = WriteBytes(Windows1252);

        var changes = await folder.PullAsync();

        // Line 2 holds "J\xF6rg": 0xF6 ("ö" in Windows-1252) can never start a UTF-8 sequence.
        Assert.Equal(new SourceProblem("contacts.csv", 2, null,
                "byte 0xF6 at offset 47 is not valid utf-8 (set the source's Encoding to the one the file was exported in, e.g. windows-1252); the file is not read"),
            changes.FailedKinds[ObjectKind.Contact]);
        Assert.Empty(changes.Contacts);
        Assert.DoesNotContain(changes.Problems, p => p.Reason.Contains('\uFFFD'));
    }

    [Fact]
    public async Task A_windows1252_export_reads_with_Encoding_windows1252()
    {
        using var folder = WriteBytes(Windows1252);

        var changes = await folder.PullAsync(o => o.Encoding = "windows-1252");

        Assert.Empty(changes.Problems);
        Assert.Equal(["Jörg Müller", "Ana Gonçalves"], changes.Contacts.Select(c => $"{c.FirstName} {c.LastName}"));
        Assert.Equal("5 €", changes.Contacts[0].GetField("budget"));
    }

    [Theory]
    [InlineData("iso-8859-1")]
    [InlineData("latin1")]
    [InlineData("28591")]
    public async Task A_latin1_export_reads_by_name_or_code_page(string encoding)
    {
        using var folder = WriteBytes([.. "id,last_name,created_at\nc1,M"u8, 0xFC, .. "ller,2024-01-01T00:00:00Z\n"u8]);

        var changes = await folder.PullAsync(o => o.Encoding = encoding);

        Assert.Equal("Müller", Assert.Single(changes.Contacts).LastName);
    }

    [Fact]
    public async Task A_byte_order_mark_wins_over_the_setting_and_its_invalid_bytes_still_fail()
    {
        using var utf16 = WriteBytes([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("id,last_name,created_at\nc1,Müller,2024-01-01T00:00:00Z\n")]);
        using var broken = WriteBytes([.. Encoding.UTF8.GetPreamble(), .. "id,last_name,created_at\nc1,ok,2024-01-01T00:00:00Z\nc2,M"u8, 0xFC, .. "ller,2024-01-01T00:00:00Z\n"u8]);

        var read = await utf16.PullAsync(o => o.Encoding = "windows-1252");
        var failed = await broken.PullAsync(o => o.Encoding = "windows-1252");

        Assert.Equal("Müller", Assert.Single(read.Contacts).LastName);
        var failure = failed.FailedKinds[ObjectKind.Contact];
        Assert.Equal(3, failure.Line);
        Assert.StartsWith("byte 0xFC at offset 58 is not valid utf-8", failure.Reason);
    }

    [Fact]
    public async Task A_multibyte_sequence_cut_at_the_end_of_the_file_is_found()
    {
        using var folder = WriteBytes([.. "id,created_at\nc1,2024-01-01T00:00:00Z\nc2,2024-01-01T00:00:00Z"u8, 0xE2, 0x82]);

        var changes = await folder.PullAsync();

        var failure = changes.FailedKinds[ObjectKind.Contact];
        Assert.Equal(3, failure.Line);
        Assert.StartsWith("byte 0xE2 0x82 at offset 61 is not valid utf-8", failure.Reason);
    }

    [Fact]
    public async Task Changing_the_encoding_reads_an_unchanged_file_again()
    {
        using var folder = WriteBytes(Windows1252);
        var first = await folder.PullAsync(o => o.Encoding = "windows-1252");

        var again = await folder.PullAsync(o => o.Encoding = "iso-8859-15", first.Watermarks);

        Assert.Equal(2, again.Contacts.Count);
        Assert.NotEqual(first.Watermarks["file:contacts"], again.Watermarks["file:contacts"]);
    }
}
