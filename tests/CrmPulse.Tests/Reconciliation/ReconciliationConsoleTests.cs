using System.Globalization;
using Microsoft.Playwright;
using CrmPulse.Tests.Support;
using CrmPulse.Tests.WebConsole;

namespace CrmPulse.Tests.Reconciliation;

/// <summary>The reconciliation page in real Chromium over the File-source pair: it loads clean, its numbers are the
/// API's, a count opens its records, and the re-import file downloads.</summary>
public sealed class ReconciliationConsoleTests(ReconciliationHostTests.HostFixture fixture) : IClassFixture<ReconciliationHostTests.HostFixture>, IAsyncLifetime
{
    private Chromium _browser = null!;

    private Uri Origin => fixture.Host.Client.BaseAddress!;

    public async Task InitializeAsync() => _browser = await Chromium.LaunchAsync();

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task The_page_shows_the_apis_counts_and_each_opens_its_records()
    {
        var latest = await fixture.Host.GetJsonAsync("/api/kpis/latest?source=migration");
        var page = await _browser.Context.NewPageAsync();
        var watch = new PageWatch(page, Origin);
        try
        {
            var response = await page.GotoAsync(new Uri(Origin, "/reconciliation").ToString(), new() { WaitUntil = WaitUntilState.Load });

            Assert.Equal(200, response!.Status);
            Assert.Empty(watch.Problems);
            Assert.Equal("migration", await page.Locator("[data-pair]").GetAttributeAsync("data-pair")); // a source's view shows the first pair
            Assert.Equal(0, await page.Locator("#sync-health").CountAsync()); // a migration pair (no Sync) has no sync-health section
            var cells = await page.Locator("td[data-kpi][data-dims^='object=']").AllAsync();
            Assert.NotEmpty(cells);
            foreach (var cell in cells)
            {
                var kpi = (await cell.GetAttributeAsync("data-kpi"))!;
                var dims = (await cell.GetAttributeAsync("data-dims"))!;
                var shown = double.Parse((await cell.GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture);
                // The table by object sums the fields of a field-level count; every other cell is one sample.
                var expected = latest.EnumerateArray().Where(e => e.GetProperty("kpi").GetString() == kpi
                        && e.GetProperty("dimensions").GetProperty("object").GetString() == dims["object=".Length..].Split(',')[0])
                    .Where(e => dims.Contains(',') ? LatestValues.DimensionsKey(e) == dims : true)
                    .Sum(e => e.GetProperty("value").GetDouble());
                Assert.Equal(expected, shown);
            }
            await Screenshots.TakeAsync(page, "reconciliation");

            await Browse.ClickAndWaitAsync(page, page.Locator("td[data-kpi=reconciliation_missing_records][data-dims='object=deal'] a").First, "**/reconciliation/issues?**");
            Assert.Equal("2", await page.Locator("[data-issues-total]").GetAttributeAsync("data-issues-total"));
            Assert.Equal(["D3", "D4"], await page.Locator("tr[data-record]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.record)"));
            Assert.Empty(watch.Problems);
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task The_console_serves_the_reimport_file_and_the_issue_list()
    {
        var csv = await fixture.Host.Client.GetStringAsync("/reconciliation/export.csv?source=migration&kind=reconciliation_missing_records&object=company");
        var issues = await fixture.Host.Client.GetStringAsync("/reconciliation/issues.csv?source=migration&kind=reconciliation_lost_associations");

        Assert.Equal("id,name,domain,industry,owner_id,parent_id,created_at,modified_at\r\n" +
            "A3,Initech,initech.io,Software,u1,,2025-06-01T00:00:00Z,2026-02-01T00:00:00Z\r\n" +
            "A4,Umbrella,umbrella.com,,u1,,2026-03-05T14:00:00Z,2026-03-05T14:00:00Z\r\n", csv);
        Assert.Equal(4, issues.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length); // header and 3 records
    }
}
