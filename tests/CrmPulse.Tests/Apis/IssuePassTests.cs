using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using CrmPulse.Pipeline;
using CrmPulse.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CrmPulse.Tests.Apis;

/// <summary>Each KPI pass replaces its source's issues as a whole, so the drill-down always matches the latest counts.</summary>
public sealed class IssuePassTests
{
    [Fact]
    public async Task A_new_pass_replaces_the_sources_issues_with_its_own()
    {
        using var folder = new FixtureFolder("org1", TestTimes.Afternoon);
        await using var host = await InProcessHost.StartAsync(FileSourceApiTests.Org1Settings(folder.Path), TestTimes.Clock(TestTimes.Afternoon));
        var store = host.Services.GetRequiredService<CrmPulse.Storage.SqliteStore>();
        var kinds = KpiCatalog.All.Where(d => d.Family == KpiFamily.DataQuality).Select(d => d.Id).ToList();
        var first = await store.QueryIssuesAsync(new IssueQuery(kinds, Source: "files", Limit: 1000), CancellationToken.None);
        await store.ReplaceIssuesAsync("files", DateTimeOffset.UnixEpoch,
            [new RecordIssue("stale_records", "contact", "gone", null, KpiOptions.NoTeam)], CancellationToken.None);

        Assert.True(await host.Services.GetRequiredService<SourceRunner>().ComputeKpisAsync("files", CancellationToken.None));

        var second = await store.QueryIssuesAsync(new IssueQuery(kinds, Source: "files", Limit: 1000), CancellationToken.None);
        Assert.Equal(first.Items.Select(i => i.Issue), second.Items.Select(i => i.Issue)); // same data, same issues; "gone" is gone
        Assert.Single(second.Items.Select(i => i.ComputedAt).Distinct()); // one pass, one time
        Assert.Contains(second.Items, i => i.Issue is { Kpi: "orphan_records", RecordId: "d2" });
    }
}
