using System.Text;
using CrmPulse.Sources.File;

namespace CrmPulse.Sources.Tests.File;

public sealed class CsvReaderTests
{
    private static List<CsvRow> ReadAll(string text, char delimiter = ',')
    {
        var reader = new CsvReader(new StringReader(text), delimiter);
        var rows = new List<CsvRow>();
        while (reader.Read() is { } row) rows.Add(row);
        return rows;
    }

    [Fact]
    public void Reads_plain_records_with_their_line_numbers()
    {
        var rows = ReadAll("id,name\n1,Ada\n2,Grace\n");

        Assert.Equal(3, rows.Count);
        Assert.Equal(["id", "name"], rows[0].Fields);
        Assert.Equal(["2", "Grace"], rows[2].Fields);
        Assert.Equal([1, 2, 3], rows.Select(r => r.Line));
        Assert.All(rows, r => Assert.Null(r.Error));
    }

    [Fact]
    public void Quoted_fields_keep_delimiters_and_doubled_quotes()
    {
        var rows = ReadAll("\"Smith, John\",\"He said \"\"hi\"\"\",\"\",plain\n");

        Assert.Equal(["Smith, John", "He said \"hi\"", "", "plain"], rows.Single().Fields);
    }

    [Fact]
    public void A_newline_inside_quotes_stays_in_the_field_and_the_next_record_starts_on_the_right_line()
    {
        // Line 1: header; lines 2-4: one record whose note spans three lines; line 5: the next record.
        var rows = ReadAll("id,note\n1,\"first\nsecond\r\nthird\"\n2,x\n");

        Assert.Equal(3, rows.Count);
        Assert.Equal("first\nsecond\r\nthird", rows[1].Fields[1]);
        Assert.Equal(2, rows[1].Line);
        Assert.Equal(5, rows[2].Line);
    }

    [Fact]
    public void Crlf_and_lone_cr_line_ends_are_record_ends()
    {
        var rows = ReadAll("a,b\r\n1,2\r3,4\r\n");

        Assert.Equal([["a", "b"], ["1", "2"], ["3", "4"]], rows.Select(r => r.Fields.ToArray()));
        Assert.Equal([1, 2, 3], rows.Select(r => r.Line));
    }

    [Fact]
    public void A_byte_order_mark_is_not_part_of_the_first_header()
    {
        var fromString = ReadAll("\uFEFFid,name\n");
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("id,name\n")).ToArray();
        using var stream = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var fromBytes = new CsvReader(stream).Read();

        Assert.Equal("id", fromString.Single().Fields[0]);
        Assert.Equal("id", fromBytes!.Fields[0]);
    }

    [Theory]
    [InlineData(';', "id;amount;note\n1;12,50;\"a;b\"\n")]
    [InlineData('\t', "id\tamount\tnote\n1\t12,50\t\"a\tb\"\n")]
    public void Reads_european_delimiters(char delimiter, string text)
    {
        var rows = ReadAll(text, delimiter);

        Assert.Equal(["1", "12,50", $"a{delimiter}b"], rows[1].Fields);
    }

    [Fact]
    public void A_final_line_break_makes_no_extra_record_but_a_blank_line_is_a_blank_record()
    {
        Assert.Equal(2, ReadAll("a,b\n1,2\n").Count);
        Assert.Equal(2, ReadAll("a,b\n1,2").Count);

        var withBlank = ReadAll("a,b\n1,2\n\n");
        Assert.Equal(3, withBlank.Count);
        Assert.True(withBlank[2].IsBlank);
        Assert.Equal(3, withBlank[2].Line);
    }

    [Fact]
    public void Rows_keep_their_own_field_count_so_the_caller_can_spot_a_mismatch()
    {
        var rows = ReadAll("a,b,c\n1,2\n1,2,3,4\n");

        Assert.Equal([3, 2, 4], rows.Select(r => r.Fields.Count));
    }

    [Fact]
    public void Text_after_a_closing_quote_is_kept_and_flagged()
    {
        var row = ReadAll("\"ab\"c,d\n").Single();

        Assert.Equal(["abc", "d"], row.Fields);
        Assert.Equal("unexpected text after the closing quote of field 1", row.Error);
    }

    [Fact]
    public void A_quote_inside_an_unquoted_field_is_a_literal()
    {
        Assert.Equal(["5\" disk", "x"], ReadAll("5\" disk,x\n").Single().Fields);
    }

    [Fact]
    public void A_quote_never_closed_throws_with_the_line_where_it_opened()
    {
        var reader = new CsvReader(new StringReader("id,note\n1,ok\n2,\"broken\n3,lost\n"));
        reader.Read();
        reader.Read();

        var ex = Assert.Throws<CsvFormatException>(() => reader.Read());
        Assert.Equal(3, ex.Line);
        Assert.Contains("never closed", ex.Message);
    }

    // The reader fills 16384 chars at a time. Text: "h1,h2\r\n" (7 chars), the long field (L chars), then ,"q"""\r\n,
    // so index 7+L is ',', 8+L the opening quote, 10+L and 11+L the escaped quote pair, 13+L the CR.
    [Theory]
    [InlineData(16_370)] // CR at 16383, LF at 16384: the CRLF is split between two fills
    [InlineData(16_373)] // the escaped quote pair is split
    [InlineData(16_376)] // the opening quote is the first char of the second fill
    public void Records_spanning_the_internal_buffer_boundary_are_read_whole(int length)
    {
        var longField = new string('x', length);
        var text = "h1,h2\r\n" + longField + ",\"q\"\"\"\r\nlast,row\r\n";

        var rows = ReadAll(text);

        Assert.Equal(3, rows.Count);
        Assert.Equal([longField, "q\""], rows[1].Fields);
        Assert.Equal(["last", "row"], rows[2].Fields);
        Assert.Equal(3, rows[2].Line);
    }

    [Theory]
    [InlineData('"')]
    [InlineData('\n')]
    public void Rejects_a_delimiter_that_cannot_work(char delimiter)
    {
        Assert.Throws<ArgumentException>(() => new CsvReader(new StringReader(""), delimiter));
    }
}
