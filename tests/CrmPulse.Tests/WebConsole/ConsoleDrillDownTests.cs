using System.Globalization;
using Microsoft.Playwright;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.WebConsole;

/// <summary>On the demo: each count opens exactly its records, lists page, the CSV holds the whole list, and the
/// filters and time range are in the URL.</summary>
[Collection(DemoConsoleCollection.Name)]
public sealed class ConsoleDrillDownTests(DemoConsoleFixture fixture)
{
    [Fact]
    public async Task Every_count_on_the_data_quality_and_pipeline_pages_opens_a_list_of_exactly_that_many_records()
    {
        foreach (var (page, list) in new[] { ("/data-quality", "/data-quality/issues"), ("/pipeline", "/pipeline/issues") })
        {
            var html = await fixture.Host.Client.GetStringAsync(page);
            var links = ConsoleHtml.Links(html, list + "?");
            Assert.True(links.Count >= 5, $"{page}: {links.Count} drill-down links");
            var counts = ConsoleHtml.Values(html).ToLookup(v => v.Kpi);
            foreach (var link in links)
            {
                var query = System.Web.HttpUtility.ParseQueryString(new Uri(fixture.Origin, link).Query);
                var listed = ConsoleHtml.Number(await fixture.Host.Client.GetStringAsync(link), "data-issues-total");
                var dims = string.Join(",", new[] { ("field", query["field"]), ("object", query["object"]), ("team", query["team"]) }
                    .Where(d => d.Item2 is not null).Select(d => $"{d.Item1}={d.Item2}"));
                // The API agrees: the same filters on /api/…/issues give the same total.
                var api = await fixture.Host.GetJsonAsync($"/api{list}?source=demo&kind={query["kind"]}"
                    + string.Concat(new[] { "object", "field", "team" }.Where(n => query[n] is not null).Select(n => $"&{n}={Uri.EscapeDataString(query[n]!)}")) + "&limit=1");
                Assert.Equal(api.GetProperty("total").GetInt64(), listed);
                var shown = counts[query["kind"]!].Where(v => v.Dims == dims).Select(v => v.Value).ToList();
                if (shown.Count == 1) Assert.Equal(shown[0], listed);
            }
        }
    }

    [Fact]
    public async Task A_list_pages_by_100_and_its_csv_download_holds_every_record()
    {
        var page = await fixture.Browser.Context.NewPageAsync();
        var watch = new PageWatch(page, fixture.Origin);
        try
        {
            await page.GotoAsync(new Uri(fixture.Origin, "/data-quality").ToString());
            // The link of contacts without activity (thousands of records) from the table, as a person would click it.
            await Browse.ClickAndWaitAsync(page, page.Locator("td[data-kpi=contacts_without_activity][data-dims='object=contact'] a"), "**/data-quality/issues?**", "tr[data-record]");
            var total = long.Parse((await page.Locator("[data-issues-total]").GetAttributeAsync("data-issues-total"))!, CultureInfo.InvariantCulture);
            Assert.True(total > 100, $"{total} records");
            Assert.Equal(100, await page.Locator("tbody tr").CountAsync());
            var first = await page.Locator("tbody tr").First.GetAttributeAsync("data-record");
            await Browse.ClickAndWaitAsync(page, page.Locator("a[rel=next]"), "**page=2**", "tr[data-record]");
            Assert.NotEqual(first, await page.Locator("tbody tr").First.GetAttributeAsync("data-record"));

            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("a[download]").ClickAsync());
            var file = Path.Combine(Path.GetTempPath(), $"crmpulse-{Guid.NewGuid():N}.csv");
            await download.SaveAsAsync(file);
            var lines = File.ReadAllLines(file);
            File.Delete(file);
            Assert.Equal("source,kind,object,record_id,field,owner,team,detail,computed_at,link", lines[0]);
            Assert.Equal(total, lines.Length - 1);
            Assert.All(lines.Skip(1), l => Assert.StartsWith("demo,contacts_without_activity,contact,", l));
            Assert.Empty(watch.Problems);
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task The_team_filter_and_the_time_range_go_into_the_url_and_the_numbers_follow_the_team()
    {
        var latest = await fixture.Host.GetJsonAsync("/api/kpis/latest?source=demo");
        var page = await fixture.Browser.Context.NewPageAsync();
        var watch = new PageWatch(page, fixture.Origin);
        try
        {
            await page.GotoAsync(new Uri(fixture.Origin, "/").ToString());
            var team = (await page.Locator("select[name=team] option").Nth(1).GetAttributeAsync("value"))!;
            await page.Locator("select[name=team]").SelectOptionAsync(team);
            await Browse.ClickAndWaitAsync(page, page.Locator("form.filters button"), "**team=**", ".cards");
            Assert.Equal(team, Query(page.Url, "team"));
            var war = page.Locator(".card[data-kpi=weekly_active_ratio]");
            Assert.Equal($"team={team}", await war.GetAttributeAsync("data-dims"));
            Assert.Equal(LatestValues.Value(latest, "weekly_active_ratio", $"team={team}"),
                double.Parse((await war.GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture));

            await Browse.ClickAndWaitAsync(page, page.Locator("nav.ranges a", new() { HasText = "90 d" }), "**range=90d**", ".cards");
            Assert.Equal(team, Query(page.Url, "team"));   // the team stays
            Assert.Contains("90 d to 2026-11-18", await page.Locator("p.context").First.InnerTextAsync());
            // The same URL in a fresh page shows the same view: the state is in the link.
            var again = await fixture.Browser.Context.NewPageAsync();
            await again.GotoAsync(page.Url);
            Assert.Equal(await page.Locator("main").InnerTextAsync(), await again.Locator("main").InnerTextAsync());
            await again.CloseAsync();

            // The per-user table follows the team and the status filter; its CSV has the same rows.
            await page.GotoAsync(new Uri(fixture.Origin, $"/adoption?team={Uri.EscapeDataString(team)}&status=active").ToString());
            var users = await fixture.Host.GetJsonAsync($"/api/adoption/users?source=demo&team={Uri.EscapeDataString(team)}&status=active");
            Assert.Equal(users.GetArrayLength(), await page.Locator("tr[data-user]").CountAsync());
            var csv = await fixture.Host.Client.GetStringAsync($"/adoption/users.csv?team={Uri.EscapeDataString(team)}&status=active");
            Assert.Equal(users.GetArrayLength(), csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length - 1);
            Assert.Empty(watch.Problems);
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    private static string? Query(string url, string name) => System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)[name];

    [Fact]
    public async Task An_unknown_source_or_range_is_a_404_or_a_page_naming_the_problem()
    {
        var response = await fixture.Host.Client.GetAsync("/?source=nope");
        Assert.Equal(404, (int)response.StatusCode);
        Assert.Contains("No source &#x27;nope&#x27; (known: demo)", await response.Content.ReadAsStringAsync());
        var range = await fixture.Host.Client.GetAsync("/adoption?range=2w");
        Assert.Equal(404, (int)range.StatusCode);
        Assert.Contains("range: &#x27;2w&#x27; is not one of 7d, 30d, 90d, 1y, all.", await range.Content.ReadAsStringAsync());
    }
}
