using CrmPulse.Core.Store;
using CrmPulse.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CrmPulse.Tests.Apis;

/// <summary>
/// The host with its clock at several times of one day: the hand-computed org gives the same values at each, and the
/// demo's record count moves only by the contacts it created since its anchor (the UTC midnight of its first sync).
/// A KPI or a test that depends on the time of day fails here, not at random on CI.
/// </summary>
public sealed class TimeOfDayTests
{
    [Theory]
    [InlineData("00:00:00")]
    [InlineData("09:30:00")]
    [InlineData("17:40:00")]
    [InlineData("23:59:00")]
    public async Task The_hand_computed_org_and_the_demo_agree_at_every_time_of_day(string timeOfDay)
    {
        var now = TestTimes.Midnight + TimeSpan.Parse(timeOfDay, System.Globalization.CultureInfo.InvariantCulture);
        using var folder = new FixtureFolder("org1", now);
        var settings = FileSourceApiTests.Org1Settings(folder.Path);
        settings["CrmPulse:Sources:1:Name"] = "demo";
        settings["CrmPulse:Sources:1:Kind"] = "Demo";
        settings["CrmPulse:Sources:1:Contacts"] = "500";
        settings["CrmPulse:Sources:1:Companies"] = "100";
        settings["CrmPulse:Sources:1:Deals"] = "100";
        settings["CrmPulse:Sources:1:Activities"] = "2000";
        await using var host = await InProcessHost.StartAsync(settings, TestTimes.Clock(now));

        var files = await host.GetJsonAsync("/api/kpis/latest?source=files");
        foreach (var row in FileSourceApiTests.Expected)
        {
            var (kpi, dimensions, expected) = ((string)row[0], (string)row[1], (double)row[2]);
            Assert.True(Math.Abs(LatestValues.Value(files, kpi, dimensions) - expected) < 1e-12, $"{kpi}{{{dimensions}}} at {timeOfDay}");
        }

        var demo = await host.GetJsonAsync("/api/kpis/latest?source=demo&kpi=records");
        var contacts = (await host.Services.GetRequiredService<IMirror>().LoadSnapshotAsync("demo", CancellationToken.None)).Contacts;
        var createdToday = contacts.Count(c => c.CreatedAt > TestTimes.Midnight);
        Assert.Equal(500 + createdToday, LatestValues.Value(demo, "records", "object=contact"));
        if (timeOfDay == "00:00:00") Assert.Equal(0, createdToday);
        if (timeOfDay == "23:59:00") Assert.True(createdToday > 0, "by the end of a workday the demo has created contacts");
        Assert.Equal(152, LatestValues.Value(await host.GetJsonAsync("/api/kpis/latest?source=demo&kpi=licensed_users"), "licensed_users", ""));
    }
}
