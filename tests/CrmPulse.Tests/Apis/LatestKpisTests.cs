using System.Text.Json;
using CrmPulse.Apis;
using CrmPulse.Hosting;
using CrmPulse.Pipeline;
using CrmPulse.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CrmPulse.Tests.Apis;

/// <summary>
/// /api/kpis/latest shows what the latest pass produced: never a backfilled value as current, never a series the
/// latest pass no longer produces, and the previous period's value from the whole ledger (backfill included).
/// Fixtures/org1 gives the numbers.
/// </summary>
public sealed class LatestKpisTests
{
    private static string Dims(JsonElement e) => LatestValues.DimensionsKey(e);

    [Fact]
    public async Task A_backfill_is_not_shown_as_latest_before_the_first_pass_and_gives_the_previous_week_after_it()
    {
        using var folder = new FixtureFolder("org1", DateTimeOffset.UtcNow);
        var dir = Directory.CreateTempSubdirectory("crmpulse-latest-").FullName;
        try
        {
            var settings = FileSourceApiTests.Org1Settings(folder.Path);
            settings["CrmPulse:Store:Path"] = Path.Combine(dir, "crmpulse.db");
            settings["urls"] = "http://127.0.0.1:0";
            var (app, code) = await CrmPulseApp.BuildAsync(new CliArgs(CliCommand.Once, [], null, null), TextWriter.Null, TextWriter.Null,
                c => c.AddInMemoryCollection(settings));
            Assert.NotNull(app);
            await using (app)
            {
                await app.StartAsync();
                using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
                var runner = app.Services.GetRequiredService<SourceRunner>();
                // A first run: the sync, then the backfill of 8 days (midnights of today − 7 d … today), then the pass.
                Assert.True(await runner.SyncAsync("files", CancellationToken.None));
                Assert.True(await app.Services.GetRequiredService<Backfiller>().RunAsync("files", 8, null, CancellationToken.None));

                Assert.Equal("[]", await client.GetStringAsync("/api/kpis/latest?source=files"));

                Assert.True(await runner.ComputeKpisAsync("files", CancellationToken.None));

                // users_never_logged_in (period 7 days) is 1 now (u4); at midnight 7 days ago u1 had not logged in yet
                // either (logins now − 3 d and now − 2 h): 2. The previous value is that backfill step's.
                var latest = JsonDocument.Parse(await client.GetStringAsync("/api/kpis/latest?kpi=users_never_logged_in&source=files")).RootElement;
                var rollup = latest.EnumerateArray().Single(e => Dims(e) == "");
                var midnight = new DateTimeOffset(folder.Now.UtcDateTime.Date, TimeSpan.Zero);
                Assert.Equal((1.0, 2.0, midnight.AddDays(-7), -1.0), (rollup.GetProperty("value").GetDouble(),
                    rollup.GetProperty("previous").GetProperty("value").GetDouble(), rollup.GetProperty("previous").GetProperty("time").GetDateTimeOffset(),
                    rollup.GetProperty("change").GetDouble()));
                Assert.True(rollup.GetProperty("time").GetDateTimeOffset() >= folder.Now); // the pass's own time
                var sales = latest.EnumerateArray().Single(e => Dims(e) == "team=Sales");
                Assert.Equal((0.0, 1.0, -1.0), (sales.GetProperty("value").GetDouble(), sales.GetProperty("previous").GetProperty("value").GetDouble(),
                    sales.GetProperty("change").GetDouble()));
                // licensed_users cannot be rebuilt: no backfill step holds it, so it has no previous value yet.
                var licensed = JsonDocument.Parse(await client.GetStringAsync("/api/kpis/latest?kpi=licensed_users&source=files")).RootElement
                    .EnumerateArray().Single(e => Dims(e) == "");
                Assert.Equal(JsonValueKind.Null, licensed.GetProperty("previous").ValueKind);
                await app.StopAsync();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_team_that_loses_its_last_user_is_no_longer_listed()
    {
        using var folder = new FixtureFolder("org1", DateTimeOffset.UtcNow);
        await using var host = await InProcessHost.StartAsync(FileSourceApiTests.Org1Settings(folder.Path));
        async Task<string> LicensedAsync() => string.Join(" ", (await host.GetJsonAsync("/api/kpis/latest?kpi=licensed_users&source=files"))
            .EnumerateArray().Select(e => $"{Dims(e)}:{e.GetProperty("value").GetDouble()}"));
        Assert.Equal(":4 team=Sales:2 team=Support:2", await LicensedAsync());

        // Support's users leave the CRM (u5, deactivated, was the third).
        var users = Path.Combine(folder.Path, "users.csv");
        File.WriteAllLines(users, File.ReadAllLines(users).Where(l => !l.Contains(",Support,")));
        var runner = host.Services.GetRequiredService<SourceRunner>();
        Assert.True(await runner.SyncAsync("files", CancellationToken.None));
        Assert.True(await runner.ComputeKpisAsync("files", CancellationToken.None));

        Assert.Equal(":2 team=Sales:2", await LicensedAsync());
        Assert.DoesNotContain("crmpulse_adoption_licensed_users{source=\"files\",team=\"Support\"}", await host.Client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task The_json_written_once_per_pass_is_the_serialized_list_targets_evaluated_at_the_request()
    {
        using var folder = new FixtureFolder("org1", DateTimeOffset.UtcNow);
        var settings = FileSourceApiTests.Org1Settings(folder.Path);
        settings["CrmPulse:Targets:0:Kpi"] = "weekly_active_ratio";
        settings["CrmPulse:Targets:0:Value"] = "0.5";
        settings["CrmPulse:Targets:0:By"] = "2099-12-31";
        await using var host = await InProcessHost.StartAsync(settings);
        var latest = host.Services.GetRequiredService<LatestKpis>();
        var json = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;

        // Twice each: the second answer comes from what the first kept (when it holds no target).
        foreach (var query in new[] { "", "?source=files", "?family=adoption", "?kpi=weekly_active_ratio", "?source=nobody", "?family=data_quality" }
                     .SelectMany(q => new[] { q, q }))
        {
            var q = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query);
            string? Get(string key) => q.TryGetValue(key, out var v) ? v.ToString() : null;
            var expected = JsonSerializer.Serialize(await latest.GetAsync(Get("source"), Get("family"), Get("kpi"), CancellationToken.None), json);

            using var response = await host.Client.GetAsync($"/api/kpis/latest{query}");

            Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
            Assert.Equal(expected, await response.Content.ReadAsStringAsync());
        }
        var target = (await host.GetJsonAsync("/api/kpis/latest?kpi=weekly_active_ratio")).EnumerateArray()
            .Single(e => Dims(e) == "").GetProperty("target");
        Assert.Equal(("off_track", -0.25), (target.GetProperty("status").GetString(), target.GetProperty("gap").GetDouble()));
    }

    [Fact]
    public async Task A_pass_another_process_stores_is_served_at_the_next_request()
    {
        using var folder = new FixtureFolder("org1", DateTimeOffset.UtcNow);
        await using var host = await InProcessHost.StartAsync(FileSourceApiTests.Org1Settings(folder.Path));
        Assert.Equal(4, LatestValues.Value(await host.GetJsonAsync("/api/kpis/latest?kpi=licensed_users"), "licensed_users", ""));

        // Another writer on the same file (as `crmpulse --once` or a second process would be): its own connections.
        var path = host.Services.GetRequiredService<CrmPulse.Storage.SqliteStore>().Path;
        using (var other = await CrmPulse.Storage.SqliteStore.OpenAsync(path, CancellationToken.None))
        {
            var at = DateTimeOffset.UtcNow;
            await other.CommitPassAsync("files", at, new Core.Kpis.KpiResult(
                [new Core.Kpis.KpiSample("licensed_users", "files", Core.Kpis.Dimensions.None, 7, at)], [], []), CancellationToken.None);
        }

        var latest = await host.GetJsonAsync("/api/kpis/latest?source=files");
        Assert.Equal("licensed_users:7", string.Join(" ", latest.EnumerateArray().Select(e => $"{e.GetProperty("kpi").GetString()}:{e.GetProperty("value").GetDouble()}")));
    }
}
