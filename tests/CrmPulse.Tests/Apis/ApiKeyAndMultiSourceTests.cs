using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Headers;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.Apis;

public sealed class ApiKeyAndMultiSourceTests
{
    private const string Key = CrmPulse.Tests.Options.OptionsLoaderTests.KeyA; // made up: 64 hex digits, as configuration requires at least 32

    [Fact]
    public async Task With_an_api_key_configured_record_level_and_mutating_endpoints_need_it_and_aggregates_do_not()
    {
        using var folder = new FixtureFolder("org1", TestTimes.Afternoon);
        var settings = FileSourceApiTests.Org1Settings(folder.Path);
        settings["CrmPulse:Api:ApiKeys:0"] = Key;
        await using var host = await InProcessHost.StartAsync(settings, TestTimes.Clock(TestTimes.Afternoon));

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync("/api/adoption/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.PostAsync("/api/sources/files/sync", null)).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/adoption/users") { Headers = { { "X-Api-Key", Key + "x" } } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.SendAsync(wrong)).StatusCode);

        using var header = new HttpRequestMessage(HttpMethod.Get, "/api/adoption/users") { Headers = { { "X-Api-Key", Key } } };
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(header)).StatusCode);
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/adoption/users") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Key) } };
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(bearer)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/api/kpis/latest")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Without_an_api_key_on_loopback_the_per_user_table_is_open()
    {
        using var folder = new FixtureFolder("org1", TestTimes.Afternoon);
        await using var host = await InProcessHost.StartAsync(FileSourceApiTests.Org1Settings(folder.Path), TestTimes.Clock(TestTimes.Afternoon));

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/api/adoption/users")).StatusCode);
    }

    [Fact]
    public async Task A_demo_and_a_file_source_run_side_by_side_each_with_its_own_tag()
    {
        // At the demo's anchor (the UTC midnight of its first sync) it holds exactly its configured 500 contacts; later in
        // the day it adds the day's new ones (the test used to fail from about 17:40 UTC on).
        using var folder = new FixtureFolder("org1", TestTimes.Midnight);
        var settings = FileSourceApiTests.Org1Settings(folder.Path);
        settings["CrmPulse:Sources:1:Name"] = "demo";
        settings["CrmPulse:Sources:1:Kind"] = "Demo";
        settings["CrmPulse:Sources:1:Contacts"] = "500";
        settings["CrmPulse:Sources:1:Companies"] = "100";
        settings["CrmPulse:Sources:1:Deals"] = "100";
        settings["CrmPulse:Sources:1:Activities"] = "2000";
        await using var host = await InProcessHost.StartAsync(settings, TestTimes.Clock(TestTimes.Midnight));

        var sources = (await host.GetJsonAsync("/api/sources")).EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        var licensed = (await host.GetJsonAsync("/api/kpis/latest?kpi=licensed_users")).EnumerateArray()
            .Where(e => !e.GetProperty("dimensions").EnumerateObject().Any())
            .ToDictionary(e => e.GetProperty("source").GetString()!, e => e.GetProperty("value").GetDouble());

        Assert.Equal(["files", "demo"], sources);
        Assert.Equal(4, licensed["files"]);
        Assert.Equal(152, licensed["demo"]);
        Assert.Equal(500, (await host.GetJsonAsync("/api/kpis/latest?kpi=records&source=demo")).EnumerateArray()
            .Single(e => e.GetProperty("dimensions").GetProperty("object").GetString() == "contact").GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task A_source_whose_folder_vanishes_fails_its_sync_visibly_and_keeps_what_is_stored()
    {
        var folder = new FixtureFolder("org1", TestTimes.Afternoon);
        await using var host = await InProcessHost.StartAsync(FileSourceApiTests.Org1Settings(folder.Path), TestTimes.Clock(TestTimes.Afternoon));
        folder.Dispose(); // the export share is gone

        var synced = await host.Services.GetRequiredService<CrmPulse.Pipeline.SourceRunner>().SyncAsync("files", CancellationToken.None);

        Assert.False(synced);
        var files = (await host.GetJsonAsync("/api/sources"))[0];
        Assert.Contains("does not exist", files.GetProperty("lastError").GetString());
        Assert.Equal(4, files.GetProperty("recordCounts").GetProperty("contact").GetInt32());
        Assert.Contains("crmpulse_job_failures_total{source=\"files\",job_type=\"sync\"} 1\n", await host.Client.GetStringAsync("/metrics"));
        Assert.Equal(4, (await host.GetJsonAsync("/api/kpis/latest?kpi=licensed_users")).EnumerateArray()
            .First(e => !e.GetProperty("dimensions").EnumerateObject().Any()).GetProperty("value").GetDouble());
    }
}
