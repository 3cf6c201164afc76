using System.Text;
using System.Text.Json;
using CrmPulse.Core.Kpis;
using CrmPulse.Storage.Influx;
using static CrmPulse.Storage.Tests.Fixtures;

namespace CrmPulse.Storage.Tests.Influx;

/// <summary>
/// The two write paths carry the same points: one ledger drained through InfluxDB.Client (v2) into a recording server,
/// and through the plain /write path (v1) into the real influxd 1.6.7. The recorded v2 body, replayed into a second
/// database of the same influxd, reads back exactly like the first.
/// </summary>
public sealed class InfluxPathsAgreeTests : IAsyncLifetime
{
    private InfluxServer _influx = null!;
    private readonly RecordingServer _v2 = new();
    private readonly TestDatabase _dbV1 = new();
    private readonly TestDatabase _dbV2 = new();
    private readonly FakeTime _time = new(T0.AddDays(1));

    public async Task InitializeAsync() => _influx = await InfluxServer.StartAsync();

    public async Task DisposeAsync()
    {
        _v2.Dispose();
        _dbV1.Dispose();
        _dbV2.Dispose();
        await _influx.DisposeAsync();
    }

    private static async Task FillAsync(SqliteStore store)
    {
        await store.AppendAsync(
        [
            new KpiSample("licensed_users", "demo", Dimensions.None, 4, T0),
            new KpiSample("weekly_active_ratio", "demo", Dimensions.Of(("team", "Ventes, Île-de-France = Zürich")), 0.1, T0, "login"),
            new KpiSample("weekly_active_ratio", "demo", Dimensions.Of(("team", @"back\slash\,team\")), 1.0 / 3, T0.AddMinutes(1), "activity"),
        ],
        [
            new UserAdoptionRow("demo", "u1", "Ann \"A\" Lee", "ann@example.com", "Sales", T0.AddDays(-1), 2, 9, 3, 12, "active", T0),
            new UserAdoptionRow("demo", "u2", "Bo", null, "Sales", null, 0, 0, 0, 0, "never", T0),
        ], default);
    }

    [Fact]
    public async Task The_v2_client_and_the_v1_write_path_deliver_identical_points()
    {
        var options = new InfluxDbOptions { BatchSize = 2, MaxRetryDelay = TimeSpan.FromSeconds(10) };
        using (var store = await _dbV1.OpenAsync())
        using (var v1 = new InfluxWriter(new InfluxDbOptions { Enabled = true, Url = _influx.Url, Mode = "v1", Database = _influx.Database }))
        {
            await FillAsync(store);
            Assert.Equal(5, (await new InfluxOutbox(store, v1, options, _time).DrainAsync(default)).Written);
        }
        using (var store = await _dbV2.OpenAsync())
        using (var v2 = new InfluxWriter(new InfluxDbOptions { Enabled = true, Url = _v2.Url, Org = "o", Bucket = "b", Token = "t" }))
        {
            await FillAsync(store);
            Assert.Equal(5, (await new InfluxOutbox(store, v2, options, _time).DrainAsync(default)).Written);
        }

        // 3 samples and 2 user rows in batches of 2: samples (2, 1), then both user rows of the one pass.
        Assert.Equal([2, 1, 2], _v2.Requests.Select(r => r.Body.Split('\n').Length));
        Assert.All(_v2.Requests, r => Assert.StartsWith("/api/v2/write?", r.PathAndQuery));
        await _influx.QueryAsync("CREATE DATABASE crm_v2", post: true);
        foreach (var request in _v2.Requests)
        {
            using var response = await _influx.Client.PostAsync("write?db=crm_v2&precision=ms", new StringContent(request.Body, Encoding.UTF8));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        var viaV1 = await SelectAllAsync(_influx.Database);
        var viaV2 = await SelectAllAsync("crm_v2");
        Assert.Equal(viaV1, viaV2);
        Assert.Contains("Ventes, Île-de-France = Zürich", viaV1);
        Assert.Contains("0.3333333333333333", viaV1);
        Assert.Contains("\"Ann \\\"A\\\" Lee\"", viaV1);
    }

    private async Task<string> SelectAllAsync(string database)
    {
        var body = await _influx.Client.GetStringAsync($"query?db={database}&epoch=ms&q={Uri.EscapeDataString("SELECT * FROM /.*/")}");
        var series = JsonDocument.Parse(body).RootElement.GetProperty("results")[0].GetProperty("series");
        Assert.Equal(["crm_adoption", "crm_user_activity"], series.EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        return series.GetRawText();
    }
}
