using System.Text.Json;
using CrmPulse.Pipeline;
using CrmPulse.Storage;
using CrmPulse.Tests.Apis;
using CrmPulse.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CrmPulse.Tests.Pipeline;

/// <summary>
/// A KPI pass through the real host (Fixtures/org1) that fails half-way through its write leaves the previous pass
/// whole: the count and the records behind it still agree, the failure is counted and shown, and the next pass is stored.
/// </summary>
public sealed class PassAtomicityTests
{
    [Fact]
    public async Task A_pass_failing_half_way_keeps_the_previous_counts_and_their_issues_together()
    {
        using var folder = new FixtureFolder("org1", DateTimeOffset.UtcNow);
        await using var host = await InProcessHost.StartAsync(FileSourceApiTests.Org1Settings(folder.Path));
        var runner = host.Services.GetRequiredService<SourceRunner>();
        var first = await InvalidEmailsAsync(host);
        Assert.Equal((1.0, "c4"), (first.Count, first.Records));

        // c2 gets an e-mail without a dotted domain: the next pass counts 2 invalid e-mails, c2 and c4.
        var contacts = Path.Combine(folder.Path, "contacts.csv");
        File.WriteAllText(contacts, File.ReadAllText(contacts).Replace("c2,Bob,Ray,,", "c2,Bob,Ray,bob@nowhere,"));
        Assert.True(await runner.SyncAsync("files", CancellationToken.None));
        // The write fails when it reaches c2's issue: after the samples and per-user rows, before the end of the issues.
        var store = host.Services.GetRequiredService<SqliteStore>();
        Execute(store.Path, """
            CREATE TRIGGER fail_midway BEFORE INSERT ON issues WHEN NEW.record_id = 'c2'
            BEGIN SELECT RAISE(ABORT, 'injected failure'); END
            """);

        Assert.False(await runner.ComputeKpisAsync("files", CancellationToken.None));

        Assert.Equal(first, await InvalidEmailsAsync(host)); // 1, [c4], at the first pass's time: the count and its records agree
        var source = (await host.GetJsonAsync("/api/sources"))[0];
        Assert.Contains("injected failure", source.GetProperty("lastKpiError").GetString());
        Assert.True(source.GetProperty("store").GetProperty("writable").GetBoolean()); // a refused statement, not a failing disk
        Assert.Contains("crmpulse_job_failures_total{source=\"files\",job_type=\"kpi\"} 1\n", await host.Client.GetStringAsync("/metrics"));

        Execute(store.Path, "DROP TRIGGER fail_midway");
        Assert.True(await runner.ComputeKpisAsync("files", CancellationToken.None));

        var third = await InvalidEmailsAsync(host);
        Assert.Equal((2.0, "c2,c4"), (third.Count, third.Records));
        Assert.True(third.At > first.At);
        Assert.Equal(JsonValueKind.Null, (await host.GetJsonAsync("/api/sources"))[0].GetProperty("lastKpiError").ValueKind);
    }

    /// <summary>invalid_emails as /api/kpis/latest gives it and the records the drill-down lists, with the time of each:
    /// fails unless both come from the same pass.</summary>
    private static async Task<(double Count, string Records, DateTimeOffset At)> InvalidEmailsAsync(InProcessHost host)
    {
        var latest = (await host.GetJsonAsync("/api/kpis/latest?kpi=invalid_emails&source=files")).EnumerateArray().Single();
        var issues = await host.GetJsonAsync("/api/data-quality/issues?kind=invalid_emails&source=files");
        var at = latest.GetProperty("time").GetDateTimeOffset();
        Assert.All(issues.GetProperty("items").EnumerateArray(), i => Assert.Equal(at, i.GetProperty("computedAt").GetDateTimeOffset()));
        return (latest.GetProperty("value").GetDouble(),
            string.Join(",", issues.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("recordId").GetString())), at);
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
