using CrmPulse.Sources.File;

namespace CrmPulse.Sources.Tests.File;

public sealed class FileSourceOptionsTests
{
    [Fact]
    public void Defaults_are_comma_utc_no_preset_and_canonical_files()
    {
        var options = new FileSourceOptions();

        Assert.Equal((",", "UTC", null, 0), (options.Delimiter, options.TimeZone, options.Preset, options.Files.Count));
    }

    [Fact]
    public void Valid_options_have_no_problems()
    {
        using var folder = new TempFolder();
        var options = folder.Options(o =>
        {
            o.Delimiter = "tab";
            o.TimeZone = "Europe/Berlin";
            o.Preset = "salesforce";
            o.Files["Contacts"] = new FileMapping { FileName = "Contact.csv", Columns = { ["email"] = "E-Mail Address" } };
        });

        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Every_problem_is_reported_with_its_key()
    {
        var options = new FileSourceOptions
        {
            Path = "/no/such/folder/crmpulse",
            Delimiter = ";;",
            TimeZone = "Mars/Base",
            Preset = "Zoho",
            Files =
            {
                ["contact"] = new FileMapping(),
                ["deals"] = new FileMapping { FileName = "../deals.csv", Columns = { ["value"] = "Amount", ["amount"] = " " } },
            },
        };

        Assert.Equal(
        [
            "Delimiter must be one character (e.g. ',', ';' or \"tab\"), not a quote or a line break; was ';;'.",
            "TimeZone: 'Mars/Base' is not a known time zone (use an IANA id such as 'Europe/Berlin' or 'UTC').",
            "Preset: 'Zoho' is not known (known: HubSpot, Salesforce).",
            "Files: unknown kind 'contact' (known: users, logins, contacts, companies, deals, activities).",
            "Files:deals:FileName: '../deals.csv' must be a file name inside Path, without folders.",
            "Files:deals:Columns: unknown column 'value' (known: id, name, pipeline, stage, amount, close_date, owner_id, company_id, contact_id, is_closed, is_won, closed_at, lost_reason, stage_entered_at, created_at, modified_at).",
            "Files:deals:Columns:amount: the header name must not be empty.",
            "Path: folder '/no/such/folder/crmpulse' does not exist.",
        ], options.Validate());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public void Path_is_required(string? path)
    {
        Assert.Equal(["Path: required: the folder holding the CSV files."], new FileSourceOptions { Path = path }.Validate());
    }

    [Theory]
    [InlineData(",", ',')]
    [InlineData(";", ';')]
    [InlineData("\t", '\t')]
    [InlineData("tab", '\t')]
    [InlineData("\\t", '\t')]
    [InlineData("|", '|')]
    public void Delimiter_accepts_one_character_or_the_word_tab(string text, char expected) =>
        Assert.Equal(expected, FileSourceOptions.ParseDelimiter(text));

    [Theory]
    [InlineData("")]
    [InlineData("\"")]
    [InlineData("\n")]
    [InlineData(",;")]
    public void Delimiter_rejects_empty_quotes_line_breaks_and_several_characters(string text) =>
        Assert.Null(FileSourceOptions.ParseDelimiter(text));
}
