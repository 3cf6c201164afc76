using System.Net;
using System.Text.Json;
using CrmPulse.Integrations;
using CrmPulse.Options;
using CrmPulse.Tests.Apis;
using CrmPulse.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CrmPulse.Tests.Integrations;

/// <summary>
/// The real host on Fixtures/org1 with an integration (probed on a local server, and recognised by lead_status "new":
/// contact c2, created 2 days ago) and two targets: /api/integrations, targets in /api/kpis/latest, the leadership report.
/// </summary>
public sealed class IntegrationsHostTests(IntegrationsHostTests.HostFixture host) : IClassFixture<IntegrationsHostTests.HostFixture>
{
    public sealed class HostFixture : IAsyncLifetime
    {
        public FixtureFolder Folder { get; } = new("org1", TestTimes.Afternoon);
        public LocalHttpServer Server { get; } = LocalHttpServer.Answering(200);
        public InProcessHost Host { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var settings = FileSourceApiTests.Org1Settings(Folder.Path);
            settings["CrmPulse:Integrations:0:Name"] = "webform";
            settings["CrmPulse:Integrations:0:ProbeUrl"] = Server.Url;
            settings["CrmPulse:Integrations:0:SourceField"] = "lead_status";
            settings["CrmPulse:Integrations:0:SourceValue"] = "new";
            settings["CrmPulse:Integrations:0:ExpectedEvery"] = "01:00:00";
            settings["CrmPulse:Targets:0:Kpi"] = "weekly_active_ratio";
            settings["CrmPulse:Targets:0:Value"] = "0.5";
            settings["CrmPulse:Targets:0:By"] = "2099-12-31";
            settings["CrmPulse:Targets:1:Kpi"] = "weekly_active_ratio";
            settings["CrmPulse:Targets:1:Dimensions:team"] = "Sales";
            settings["CrmPulse:Targets:1:Value"] = "0.5";
            settings["CrmPulse:Targets:1:By"] = "2099-12-31";
            Host = await InProcessHost.StartAsync(settings, TestTimes.Clock(TestTimes.Afternoon));
        }

        public async Task DisposeAsync()
        {
            await Host.DisposeAsync();
            await Server.DisposeAsync();
            Folder.Dispose();
        }
    }

    private static JsonElement Webform(JsonElement list) => list.EnumerateArray().Single(i => i.GetProperty("name").GetString() == "webform");

    [Fact]
    public async Task Integrations_show_the_records_each_source_found_and_after_a_probe_its_result()
    {
        var before = Webform(await host.Host.GetJsonAsync("/api/integrations"));
        var records = Assert.Single(before.GetProperty("records").EnumerateArray().ToList());
        // c2 was created at now-2885m (two days and five minutes): late against one hour, none today, no duplicates.
        Assert.Equal(("files", true, 0.0, 0.0), (records.GetProperty("source").GetString(), records.GetProperty("late").GetBoolean(),
            records.GetProperty("recordsToday").GetDouble(), records.GetProperty("duplicates").GetDouble()));
        Assert.InRange(records.GetProperty("freshnessMinutes").GetDouble(), 2885, 2885 + 5);

        var options = host.Host.Services.GetRequiredService<CrmPulseOptions>();
        await host.Host.Services.GetRequiredService<IntegrationProber>().ProbeAsync(options.Integrations[0], CancellationToken.None);

        var probe = Webform(await host.Host.GetJsonAsync("/api/integrations")).GetProperty("probe");
        Assert.Equal((true, 1.0, 1, 200), (probe.GetProperty("up").GetBoolean(), probe.GetProperty("successRatio").GetDouble(),
            probe.GetProperty("windowProbes").GetInt32(), probe.GetProperty("last").GetProperty("status").GetInt32()));
        var latest = await host.Host.GetJsonAsync("/api/kpis/latest?kpi=probe_up");
        Assert.Equal(1, LatestValues.Value(latest, "probe_up", "integration=webform"));
        Assert.Contains("crmpulse_integration_probe_up{source=\"probes\",integration=\"webform\"} 1", await host.Host.Client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task Latest_values_carry_their_target_and_others_none()
    {
        var latest = await host.Host.GetJsonAsync("/api/kpis/latest?kpi=weekly_active_ratio");
        JsonElement Item(string dims) => latest.EnumerateArray().Single(e => LatestValues.DimensionsKey(e) == dims);

        // Roll-up 0.25 against 0.5: gap −0.25, one sample so no trend: off track. Sales 0.5 against 0.5: met, gap 0.
        var rollup = Item("").GetProperty("target");
        Assert.Equal((0.5, "2099-12-31", -0.25, "off_track"), (rollup.GetProperty("value").GetDouble(), rollup.GetProperty("by").GetString(),
            rollup.GetProperty("gap").GetDouble(), rollup.GetProperty("status").GetString()));
        Assert.Equal(("met", 0.0), (Item("team=Sales").GetProperty("target").GetProperty("status").GetString(),
            Item("team=Sales").GetProperty("target").GetProperty("gap").GetDouble()));
        Assert.Equal(JsonValueKind.Null, Item("team=Support").GetProperty("target").ValueKind);
    }

    [Fact]
    public async Task The_leadership_report_lists_the_leadership_kpis_with_their_targets()
    {
        var report = await host.Host.GetJsonAsync("/api/reports/leadership?period=week&source=files");

        Assert.Equal("week", report.GetProperty("period").GetString());
        var wau = report.GetProperty("kpis").EnumerateArray().Single(k => k.GetProperty("kpi").GetString() == "weekly_active_ratio");
        Assert.Equal((0.25, "off_track"), (wau.GetProperty("current").GetProperty("value").GetDouble(),
            wau.GetProperty("target").GetProperty("status").GetString()));
    }

    [Theory]
    [InlineData("/api/reports/leadership?period=year", HttpStatusCode.BadRequest, "period: 'year' is not one of week, month, quarter.")]
    [InlineData("/api/reports/leadership?source=nope", HttpStatusCode.NotFound, "No source 'nope' (known: files).")]
    [InlineData("/api/integrations?source=nope", HttpStatusCode.NotFound, "No source 'nope' (known: files).")]
    public async Task Bad_parameters_are_refused_with_a_message(string path, HttpStatusCode status, string detail)
    {
        using var response = await host.Host.Client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(detail, body.GetProperty("detail").GetString());
    }
}
