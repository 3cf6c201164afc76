using System.Text;
using CrmPulse.Sources.File;
using Helper = CsvHelper;

namespace CrmPulse.Sources.Tests.File;

/// <summary>
/// Can CsvHelper 34 replace the File source's own CSV reader? The same inputs through both: on well-formed RFC 4180 text
/// they agree field for field and line for line; on broken input CsvHelper says which line but not which field (its
/// malformed-record report has no field or column, only a byte offset), and it reads a NUL character as text. The File
/// source promises the file, line and column of every problem and refuses binary or wrongly-decoded input, so it keeps
/// its reader (README, "File source: why its own CSV reader").
/// </summary>
public sealed class CsvHelperComparisonTests
{
    private sealed record Read(List<(long Line, string[] Fields)> Rows, List<Helper.CsvMalformedRecord> Malformed);

    private static Read ReadWithCsvHelper(string text, Helper.CsvMalformedDataHandling malformed = Helper.CsvMalformedDataHandling.Recover)
    {
        var reports = new List<Helper.CsvMalformedRecord>();
        var options = new Helper.CsvReaderOptions
        {
            Separator = ',', HasHeader = false, TrackLineNumbers = true, SkipEmptyLines = false, MalformedData = malformed,
            OnMalformedRecord = reports.Add,
        };
        using var reader = Helper.CsvReader.FromText(text, options);
        var rows = new List<(long, string[])>();
        while (reader.Read()) rows.Add((reader.LineNumber, Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetString(i)).ToArray()));
        return new Read(rows, reports);
    }

    private static List<CsvRow> ReadWithOurs(string text)
    {
        var reader = new CsvReader(new StringReader(text));
        var rows = new List<CsvRow>();
        while (reader.Read() is { } row) rows.Add(row);
        return rows;
    }

    [Theory]
    [InlineData("a,b\r\n\"x,1\",\"he said \"\"hi\"\"\"\r\n\"multi\nline\",z\r\n")]
    [InlineData("a,b\n,,\n c , d \n")]
    [InlineData("a,b\r\nc,d")]
    [InlineData("name,team\n\"Lee, Ann\",Sales\n\"two\r\nlines\",\"\"\nlast,row\n")]
    [InlineData("\uFEFFid,e-mail\n1,ann@example.com\n")]
    public void Well_formed_input_reads_alike_field_for_field_and_line_for_line(string text)
    {
        var ours = ReadWithOurs(text);
        var theirs = ReadWithCsvHelper(text);

        Assert.Equal(ours.Select(r => ((long)r.Line, string.Join("\u241F", r.Fields))), theirs.Rows.Select(r => (r.Line, string.Join("\u241F", r.Fields))));
        Assert.All(ours, r => Assert.Null(r.Error));
        Assert.Empty(theirs.Malformed);
    }

    [Fact]
    public void Text_after_a_closing_quote_CsvHelper_names_the_line_but_not_the_field()
    {
        const string Text = "a,b,c\nx,\"ab\"c,d\ne,f,g\n";

        var ours = ReadWithOurs(Text);
        var theirs = ReadWithCsvHelper(Text);

        // Both keep the value (abc) and go on; ours names the field, which the File source turns into a column.
        Assert.Equal((2, "unexpected text after the closing quote of field 2"), (ours[1].Line, ours[1].Error));
        Assert.Equal(["x", "abc", "d"], ours[1].Fields);
        var report = Assert.Single(theirs.Malformed);
        Assert.Equal((Helper.CsvMalformedReason.TextAfterClosingQuote, 2L), (report.Reason, report.LineNumber));
        Assert.Equal(["x", "abc", "d"], theirs.Rows[1].Fields);
        // No field, no column: only a byte offset into the whole input ("a,b,c\nx,\"ab\"" is 12 bytes: the stray c is at 12).
        Assert.Equal(12L, report.ByteOffset);
        Assert.Null(typeof(Helper.CsvMalformedRecord).GetProperty("FieldIndex"));
    }

    [Fact]
    public void An_unclosed_quote_CsvHelper_returns_the_swallowed_rows_as_one_field_or_throws_without_a_field()
    {
        const string Text = "a,b\nx,\"open\nc,d\ne,f\n";

        var ours = Assert.Throws<CsvFormatException>(() => ReadWithOurs(Text));
        var recovered = ReadWithCsvHelper(Text);
        var thrown = Assert.Throws<Helper.CsvFormatException>(() => ReadWithCsvHelper(Text, Helper.CsvMalformedDataHandling.Throw));

        // Ours stops: nothing after the stray quote can be trusted, and the message says where it opened.
        Assert.Equal(2, ours.Line);
        Assert.Equal("the quote opening field 2 of the record starting on line 2 is never closed (a stray '\"'?)", ours.Message);
        // CsvHelper's default recovers: two rows' worth of data become the end of one field (reported, line only).
        Assert.Equal("open\nc,d\ne,f\n", recovered.Rows[1].Fields[1]);
        Assert.Equal((Helper.CsvMalformedReason.UnterminatedQuote, 2L), (Assert.Single(recovered.Malformed).Reason, recovered.Malformed[0].LineNumber));
        // Its strict mode throws with the line, and no field: "-1 when it is not known (malformed input …)".
        Assert.Equal((2L, -1), (thrown.LineNumber, thrown.FieldIndex));
    }

    [Fact]
    public void A_NUL_character_is_refused_by_ours_and_read_as_text_by_CsvHelper()
    {
        // What a UTF-16 export read as a one-byte encoding looks like: a NUL after every character.
        const string Text = "a,b\nx\0y,d\n";

        var ours = Assert.Throws<CsvFormatException>(() => ReadWithOurs(Text));
        var theirs = ReadWithCsvHelper(Text);

        Assert.Equal(2, ours.Line);
        Assert.Contains("NUL character", ours.Message);
        Assert.Equal("x\0y", theirs.Rows[1].Fields[0]);
        Assert.Empty(theirs.Malformed);
    }

    [Fact]
    public void A_quote_inside_an_unquoted_field_is_text_for_both_but_CsvHelper_reports_it()
    {
        const string Text = "a,b\n12\" screen,d\n";

        var ours = ReadWithOurs(Text);
        var theirs = ReadWithCsvHelper(Text);

        Assert.Equal(["12\" screen", "d"], ours[1].Fields);
        Assert.Null(ours[1].Error);
        Assert.Equal(["12\" screen", "d"], theirs.Rows[1].Fields);
        Assert.Equal(Helper.CsvMalformedReason.StrayQuote, Assert.Single(theirs.Malformed).Reason);
    }
}
