using System.Text.Json;
using Microsoft.Playwright;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.WebConsole;

/// <summary>Every console page in real Chromium on the demo: it loads clean (no console error, no failed request, no
/// request to another host), and its numbers are the API's.</summary>
[Collection(DemoConsoleCollection.Name)]
public sealed class ConsolePagesTests(DemoConsoleFixture fixture)
{
    /// <summary>Each page and the name of its screenshot under docs/console/.</summary>
    public static readonly TheoryData<string, string> Pages = new()
    {
        { "/", "overview" },
        { "/adoption", "adoption" },
        { "/data-quality", "data-quality" },
        { "/data-quality/issues?kind=invalid_emails&object=contact", "data-quality-records" },
        { "/pipeline", "pipeline" },
        { "/outcomes", "outcomes" },
        { "/integrations", "integrations" },
        { "/alerts", "alerts" },
        { "/sources", "sources" },
        { "/report?period=month", "report" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task The_page_loads_clean_in_chromium_and_its_screenshot_is_taken(string path, string name)
    {
        var page = await fixture.Browser.Context.NewPageAsync();
        var watch = new PageWatch(page, fixture.Origin);
        try
        {
            var response = await page.GotoAsync(new Uri(fixture.Origin, path).ToString(), new() { WaitUntil = WaitUntilState.Load });

            Assert.Equal(200, response!.Status);
            Assert.Empty(watch.Problems);
            Assert.Contains("CrmPulse", await page.TitleAsync());
            Assert.Equal(1, await page.Locator("h1").CountAsync());
            await Screenshots.TakeAsync(page, name);
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task The_overview_cards_show_the_apis_latest_values()
    {
        var latest = await fixture.Host.GetJsonAsync("/api/kpis/latest?source=demo");
        var page = await fixture.Browser.Context.NewPageAsync();
        try
        {
            await page.GotoAsync(new Uri(fixture.Origin, "/").ToString());
            var cards = await page.Locator(".card[data-value]").AllAsync();

            Assert.Equal(7, cards.Count);
            foreach (var card in cards)
            {
                var kpi = (await card.GetAttributeAsync("data-kpi"))!;
                var dims = (await card.GetAttributeAsync("data-dims"))!;
                Assert.Equal(LatestValues.Value(latest, kpi, dims), double.Parse((await card.GetAttributeAsync("data-value"))!, System.Globalization.CultureInfo.InvariantCulture));
            }
            // The weekly active ratio is shown as the API's value in per cent, with its target status.
            var war = page.Locator(".card[data-kpi=weekly_active_ratio]");
            Assert.Contains($"{LatestValues.Value(latest, "weekly_active_ratio", "") * 100:0.0} %", await war.InnerTextAsync());
            Assert.Equal(1, await war.Locator(".badge").CountAsync());
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task Every_value_on_the_data_quality_and_pipeline_pages_is_the_apis()
    {
        var latest = await fixture.Host.GetJsonAsync("/api/kpis/latest?source=demo");
        foreach (var path in new[] { "/data-quality", "/pipeline", "/outcomes", "/adoption" })
        {
            var html = await fixture.Host.Client.GetStringAsync(path);
            var cells = ConsoleHtml.Values(html);
            Assert.True(cells.Count > 5, $"{path}: only {cells.Count} values");
            foreach (var (kpi, dims, value) in cells) Assert.Equal(LatestValues.Value(latest, kpi, dims), value);
        }
    }

    [Fact]
    public async Task The_outcomes_page_shows_the_rfm_segments_and_each_lists_its_accounts()
    {
        var latest = await fixture.Host.GetJsonAsync("/api/kpis/latest?source=demo&kpi=rfm_accounts");
        var html = await fixture.Host.Client.GetStringAsync("/outcomes");

        var segments = ConsoleHtml.Values(html).Where(c => c.Kpi == "rfm_accounts" && c.Dims.StartsWith("segment=", StringComparison.Ordinal)
            && !c.Dims.Contains("team=", StringComparison.Ordinal)).ToList();
        Assert.Equal(["champions", "loyal", "promising", "at_risk", "hibernating", "lost"], segments.Select(c => c.Dims["segment=".Length..]).Distinct());
        Assert.Equal(LatestValues.Value(latest, "rfm_accounts", ""), segments.DistinctBy(c => c.Dims).Sum(c => c.Value));
        var links = ConsoleHtml.Links(html, "/pipeline/issues?kind=rfm_accounts");
        Assert.Contains(links, l => l.Contains("field=at_risk", StringComparison.Ordinal));

        // The segment's list holds as many accounts as the table says.
        var atRisk = segments.First(c => c.Dims == "segment=at_risk").Value;
        var list = await fixture.Host.Client.GetStringAsync("/pipeline/issues?kind=rfm_accounts&field=at_risk");
        Assert.Equal((long)atRisk, ConsoleHtml.Number(list, "data-issues-total"));
    }

    [Fact]
    public async Task The_outcomes_page_shows_the_unused_seats_by_band_the_access_review_and_the_funnel_by_lead_source()
    {
        var html = await fixture.Host.Client.GetStringAsync("/outcomes");
        // The section's cells (the tables of every outcome KPI show the per-team values too, and some values again).
        var cells = ConsoleHtml.Values(html).Where(c => !c.Dims.Contains("team=", StringComparison.Ordinal)).Distinct().ToList();

        // Unused seats: the total and one row per band, which add up to it; each lists its users.
        var seats = cells.Where(c => c.Kpi == "licence_unused_seats").DistinctBy(c => c.Dims).ToList();
        Assert.Equal(["", "inactive_for=30d", "inactive_for=60d", "inactive_for=90d", "inactive_for=never"], seats.Select(c => c.Dims).Order(StringComparer.Ordinal));
        var total = seats.Single(c => c.Dims.Length == 0).Value;
        Assert.True(total > 0, "the demo has idle and never-active seats");
        Assert.Equal(total, seats.Where(c => c.Dims.Length > 0).Sum(c => c.Value));
        var never = seats.Single(c => c.Dims == "inactive_for=never").Value;
        var list = await fixture.Host.Client.GetStringAsync("/pipeline/issues?kind=licence_unused_seats&field=never");
        Assert.Equal((long)never, ConsoleHtml.Number(list, "data-issues-total"));

        // The demo's administrators, one of them idle.
        Assert.True(cells.Single(c => c.Kpi == "admin_users" && c.Dims.Length == 0).Value >= 2);
        Assert.True(cells.Single(c => c.Kpi == "admin_users_inactive" && c.Dims.Length == 0).Value >= 1);

        // The funnel reads the demo's stage history: every stage overall and per lead source.
        Assert.Contains("Funnel by lead source", html, StringComparison.Ordinal);
        Assert.Contains("from the lifecycle stage history", html, StringComparison.Ordinal);
        var mql = cells.Where(c => c.Kpi == "funnel_stage_records" && c.Dims == "stage=mql").Select(c => c.Value).Single();
        var bySource = cells.Where(c => c.Kpi == "funnel_stage_records" && c.Dims.EndsWith(",stage=mql", StringComparison.Ordinal)).ToList();
        Assert.True(bySource.Count >= 5, $"{bySource.Count} lead sources");
        Assert.Equal(mql, bySource.Sum(c => c.Value));
    }
}
