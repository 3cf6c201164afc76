using System.Text.RegularExpressions;
using Microsoft.Playwright;
using CrmPulse.Commands;
using CrmPulse.Hosting;
using CrmPulse.Reports;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.WebConsole;

/// <summary>The leadership report on the demo: the page's numbers are the API's, `crmpulse report` writes a
/// self-contained HTML file and a PDF whose text holds the KPIs and the summary and whose pages render.</summary>
[Collection(DemoConsoleCollection.Name)]
public sealed class ReportTests(DemoConsoleFixture fixture)
{
    [Fact]
    public async Task The_report_page_shows_the_leadership_apis_values_and_a_summary_written_from_them()
    {
        var api = await fixture.Host.GetJsonAsync("/api/reports/leadership?period=month");
        var html = await fixture.Host.Client.GetStringAsync("/report?period=month");
        var rows = Regex.Matches(html, "<tr data-kpi=\"([a-z0-9_]+)\" data-source=\"([a-z0-9_-]+)\" data-current=\"([^\"]*)\" data-previous=\"([^\"]*)\"");

        var kpis = api.GetProperty("kpis").EnumerateArray().ToList();
        Assert.True(kpis.Count >= 5, $"{kpis.Count} KPIs in the report");
        Assert.Equal(kpis.Count, rows.Count);
        foreach (var (k, row) in kpis.Zip(rows))
        {
            Assert.Equal(k.GetProperty("kpi").GetString(), row.Groups[1].Value);
            Assert.Equal(k.GetProperty("current").ValueKind == System.Text.Json.JsonValueKind.Null ? "" : k.GetProperty("current").GetProperty("value").GetDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture), row.Groups[3].Value);
            Assert.Equal(k.GetProperty("previous").ValueKind == System.Text.Json.JsonValueKind.Null ? "" : k.GetProperty("previous").GetProperty("value").GetDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture), row.Groups[4].Value);
        }
        // The weekly active ratio has a target: the summary says where it stands.
        Assert.Contains("the weekly active ratio is off track for its target of 85.0 % by 2026-12-31", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("the largest setback among the teams", html);
        Assert.Contains("Largest movers per team", html);
    }

    [Fact]
    public async Task The_html_file_is_self_contained_and_loads_nothing()
    {
        var file = Path.Combine(Path.GetTempPath(), $"crmpulse-report-{Guid.NewGuid():N}.html");
        try
        {
            var output = new StringWriter();
            Assert.Equal(0, await ReportCommand.RunAsync(fixture.Host.App, new ReportCommand.Args("month", null, ReportFormat.Html, file), output, output));
            var html = await File.ReadAllTextAsync(file);
            Assert.DoesNotMatch("<script|<link|<img|<iframe|src=|url\\(|@import", html);
            Assert.DoesNotContain("href=", html);
            Assert.Contains("<svg", html);

            var page = await fixture.Browser.Context.NewPageAsync();
            var requests = new List<string>();
            page.Request += (_, r) => requests.Add(r.Url);
            await page.GotoAsync(new Uri(file).AbsoluteUri);
            Assert.Equal([new Uri(file).AbsoluteUri], requests);
            Assert.Contains("Leadership report: November 2026", await page.Locator("h1").InnerTextAsync());
            await page.CloseAsync();
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_pdf_of_the_month_has_the_kpis_and_the_summary_in_its_text_and_its_pages_render()
    {
        var pdftotext = Tools.Require("pdftotext", "poppler-utils");
        var pdftoppm = Tools.Require("pdftoppm", "poppler-utils");
        var dir = Directory.CreateTempSubdirectory("crmpulse-report-pdf-").FullName;
        try
        {
            var file = Path.Combine(dir, "report.pdf");
            var output = new StringWriter();
            Assert.Equal(0, await ReportCommand.RunAsync(fixture.Host.App, new ReportCommand.Args("month", null, ReportFormat.Pdf, file), output, output));
            Assert.Equal("%PDF"u8.ToArray(), File.ReadAllBytes(file)[..4]);

            var (code, text, error) = await Tools.RunAsync(pdftotext, $"-layout {file} -");
            Assert.True(code == 0, error);
            var flat = Regex.Replace(text, "\\s+", " ");
            Assert.Contains("Leadership report: November 2026", flat);
            foreach (var label in new[] { "Weekly active ratio", "Active contributors", "Data-quality score", "Win rate", "Open pipeline", "Stalled deals", "Lead response (median)" })
                Assert.Contains(label, flat);
            Assert.Contains("the largest setback among the teams", flat);
            Assert.Contains("off track for its target of 85.0 % by 2026-12-31", flat);

            var (ppm, _, ppmError) = await Tools.RunAsync(pdftoppm, $"-png -r 50 {file} {Path.Combine(dir, "page")}");
            Assert.True(ppm == 0, ppmError);
            var pages = Directory.GetFiles(dir, "page*.png");
            Assert.NotEmpty(pages);
            Assert.All(pages, p => Assert.True(new FileInfo(p).Length > 5_000, $"{p} is nearly empty"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { "--period", "year", "--out", "x" }, "--period 'year' is not one of week, month, quarter.")]
    [InlineData(new[] { "--format", "docx", "--out", "x" }, "--format 'docx' is not html or pdf.")]
    [InlineData(new[] { "--period", "month" }, "--out")]
    [InlineData(new[] { "--colour", "red", "--out", "x" }, "--colour")]
    [InlineData(new[] { "--out" }, "--out")]
    public void Bad_report_options_are_named(string[] args, string error)
    {
        var cli = CliArgs.Parse(["report", .. args]);
        Assert.Equal(CliCommand.Help, cli.Command);
        Assert.Contains(error, cli.Error);
        Assert.Contains("report", cli.Usage);
    }

    [Fact]
    public void Report_options_are_parsed_with_their_defaults()
    {
        var cli = CliArgs.Parse(["report", "--out", "r.pdf", "--format=pdf", "--CrmPulse:Store:Path=x.db"]);
        Assert.Null(cli.Error);
        Assert.Equal(CliCommand.Report, cli.Command);
        Assert.Equal(new ReportCommand.Args("month", null, ReportFormat.Pdf, "r.pdf"), cli.Report);
        Assert.Equal(["--CrmPulse:Store:Path=x.db"], cli.HostArgs);
    }

    [Fact]
    public async Task An_unknown_source_is_exit_2_with_the_known_ones()
    {
        var errors = new StringWriter();
        Assert.Equal(2, await ReportCommand.RunAsync(fixture.Host.App, new ReportCommand.Args("month", "nope", ReportFormat.Html, "x.html"), TextWriter.Null, errors));
        Assert.Contains("report: --source 'nope' is not a configured source (known: demo).", errors.ToString());
    }
}
