using System.Globalization;
using Microsoft.Playwright;
using CrmPulse.Tests.Support;
using CrmPulse.Tests.WebConsole;

namespace CrmPulse.Tests.Reconciliation;

/// <summary>The reconciliation page of a Sync pair in real Chromium (Fixtures/sync-sf and sync-ac): a "Sync health"
/// section whose numbers are the API's, each gap a click away from its records.</summary>
public sealed class SyncConsoleTests(SyncHostTests.HostFixture fixture) : IClassFixture<SyncHostTests.HostFixture>, IAsyncLifetime
{
    private Chromium _browser = null!;

    private Uri Origin => fixture.Host.Client.BaseAddress!;

    public async Task InitializeAsync() => _browser = await Chromium.LaunchAsync();

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task The_sync_health_section_shows_the_apis_values_and_each_gap_opens_its_records()
    {
        var latest = await fixture.Host.GetJsonAsync("/api/kpis/latest?source=sync");
        var page = await _browser.Context.NewPageAsync();
        var watch = new PageWatch(page, Origin);
        try
        {
            var response = await page.GotoAsync(new Uri(Origin, "/reconciliation?source=sync").ToString(), new() { WaitUntil = WaitUntilState.Load });

            Assert.Equal(200, response!.Status);
            Assert.Empty(watch.Problems);
            var section = page.Locator("#sync-health");
            Assert.Equal("Sync health", await section.Locator("h2").InnerTextAsync());
            var cells = await section.Locator("td[data-kpi]").AllAsync();
            // Five sync KPIs for contacts and companies, each one cell.
            Assert.Equal(10, cells.Count);
            foreach (var cell in cells)
            {
                var kpi = (await cell.GetAttributeAsync("data-kpi"))!;
                var obj = (await cell.GetAttributeAsync("data-dims"))!["object=".Length..];
                Assert.StartsWith("sync_", kpi, StringComparison.Ordinal);
                var shown = double.Parse((await cell.GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture);
                var expected = latest.EnumerateArray().Where(e => e.GetProperty("kpi").GetString() == kpi
                    && e.GetProperty("dimensions").GetProperty("object").GetString() == obj).Sum(e => e.GetProperty("value").GetDouble());
                Assert.Equal(expected, shown);
            }
            Assert.Equal("390.0 min", await section.Locator("td[data-kpi=sync_pending_age_max][data-dims='object=contact']").InnerTextAsync());
            Assert.Equal("47.5 min", await section.Locator("td[data-kpi=sync_lag_median][data-dims='object=contact']").InnerTextAsync());
            await Screenshots.TakeAsync(page, "reconciliation-sync");

            await Browse.ClickAndWaitAsync(page, section.Locator("td[data-kpi=sync_pending_changes][data-dims='object=contact'] a").First, "**/reconciliation/issues?**");
            Assert.Equal("2", await page.Locator("[data-issues-total]").GetAttributeAsync("data-issues-total"));
            Assert.Equal(["C2", "C5"], await page.Locator("tr[data-record]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.record)"));
            Assert.Empty(watch.Problems);
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
