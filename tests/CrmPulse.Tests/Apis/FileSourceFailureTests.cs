using System.Globalization;
using System.Net;
using System.Text.Json;
using CrmPulse.Pipeline;
using CrmPulse.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CrmPulse.Tests.Apis;

/// <summary>
/// Broken exports through the real host: nothing stored is lost, the failure is visible (--once exit code and output,
/// /api/sources, /readyz), the KPIs of a kind never read are left out instead of emitted as 0, and a fixed file
/// recovers everything.
/// </summary>
public sealed class FileSourceFailureTests
{
    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string[] Contacts(DateTimeOffset now, int count) =>
        ["id,first_name,last_name,email,created_at", .. Enumerable.Range(1, count).Select(i => $"c{i},F{i},L{i},c{i}@x.test,{Iso(now.AddDays(-i % 20))}")];

    private static void Write(FixtureFolder folder, string file, IEnumerable<string> lines) =>
        File.WriteAllText(Path.Combine(folder.Path, file), string.Join("\n", lines) + "\n");

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyAsync(InProcessHost host)
    {
        using var response = await host.Client.GetAsync("/readyz");
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static async Task<List<string>> SeriesAsync(InProcessHost host, string kpi) =>
        (await host.GetJsonAsync($"/api/kpis/latest?kpi={kpi}&source=files")).EnumerateArray().Select(LatestValues.DimensionsKey).ToList();

    [Fact]
    public async Task A_contacts_file_never_read_fails_the_sync_visibly_leaves_its_kpis_out_and_a_fixed_file_recovers()
    {
        using var folder = new FixtureFolder("org1", DateTimeOffset.UtcNow);
        // 520 contacts, the quote on the last line never closed: nothing of the file can be trusted.
        Write(folder, "contacts.csv", [.. Contacts(folder.Now, 519), $"c520,\"F520,L520,c520@x.test,{Iso(folder.Now)}"]);

        await using var host = await InProcessHost.StartAsync(FileSourceApiTests.Org1Settings(folder.Path));

        const string error = "contacts.csv:521: the quote opening field 2 of the record starting on line 521 is never closed (a stray '\"'?); the file is not read";
        Assert.StartsWith("exit 1: ", host.OnceOutput);
        Assert.Contains($"files: sync FAILED: {error}, KPIs ok (", host.OnceOutput);
        var source = (await host.GetJsonAsync("/api/sources"))[0];
        Assert.Equal("failed", source.GetProperty("status").GetString());
        Assert.Equal(error, source.GetProperty("lastError").GetString());
        Assert.Equal(JsonValueKind.Null, source.GetProperty("lastSuccessAt").ValueKind);
        var contactKind = source.GetProperty("kinds").GetProperty("contact");
        Assert.Equal(JsonValueKind.Null, contactKind.GetProperty("readAt").ValueKind);
        Assert.Equal(error, contactKind.GetProperty("error").GetString());
        Assert.Equal(0, source.GetProperty("recordCounts").GetProperty("contact").GetInt32());
        var leftOut = source.GetProperty("kpisLeftOut").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("contacts_created_7d", leftOut);
        Assert.Contains("data_quality_score", leftOut);
        var (status, ready) = await ReadyAsync(host);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("degraded", ready.GetProperty("status").GetString());
        Assert.Equal(("files", error), (ready.GetProperty("failing")[0].GetProperty("source").GetString(), ready.GetProperty("failing")[0].GetProperty("error").GetString()));

        // No contact KPI was emitted as 0: it is not there. The kinds that were read give theirs.
        Assert.Equal(["object=company", "object=deal"], (await SeriesAsync(host, "records")).Order());
        Assert.Empty(await SeriesAsync(host, "contacts_created_7d"));
        Assert.Empty(await SeriesAsync(host, "data_quality_score"));
        Assert.Contains("", await SeriesAsync(host, "licensed_users"));

        // The export is fixed: the next sync reads it, the error is gone and readiness comes back.
        Write(folder, "contacts.csv", Contacts(folder.Now, 520));
        var runner = host.Services.GetRequiredService<SourceRunner>();
        Assert.True(await runner.SyncAsync("files", CancellationToken.None));
        Assert.True(await runner.ComputeKpisAsync("files", CancellationToken.None));

        var recovered = (await host.GetJsonAsync("/api/sources"))[0];
        Assert.Equal("ok", recovered.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, recovered.GetProperty("lastError").ValueKind);
        Assert.Equal(520, recovered.GetProperty("recordCounts").GetProperty("contact").GetInt32());
        Assert.Empty(recovered.GetProperty("kpisLeftOut").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(host)).Status);
        Assert.Equal(520, (await host.GetJsonAsync("/api/kpis/latest?kpi=records&source=files")).EnumerateArray()
            .Single(e => LatestValues.DimensionsKey(e) == "object=contact").GetProperty("value").GetDouble());
        Assert.Single(await SeriesAsync(host, "data_quality_score"));
    }

    [Fact]
    public async Task A_quote_that_swallows_rows_in_a_later_export_deletes_nothing_and_fails_the_sync()
    {
        using var folder = new FixtureFolder("org1", DateTimeOffset.UtcNow);
        await using var host = await InProcessHost.StartAsync(FileSourceApiTests.Org1Settings(folder.Path));
        Assert.StartsWith("exit 0: ", host.OnceOutput);
        var now = Iso(folder.Now);
        Write(folder, "contacts.csv",
        [
            "id,first_name,last_name,email,created_at",
            $"c1,Ann,Lee,ann@acme.test,{now}",
            $"c2,\"Bob,Ray,bob@x.test,{now}",
            $"c3,Cat,Kim,cat@globex.test,{now}",
            $"c4,\"Dee, Jr.\",Fox,dee@initech.test,{now}",
        ]);

        Assert.False(await host.Services.GetRequiredService<SourceRunner>().SyncAsync("files", CancellationToken.None));

        var source = (await host.GetJsonAsync("/api/sources"))[0];
        Assert.StartsWith("contacts.csv:3: the record starting here runs to line 5 through a quoted field and is malformed",
            source.GetProperty("lastError").GetString());
        Assert.Equal(4, source.GetProperty("recordCounts").GetProperty("contact").GetInt32()); // as the last good export left them
        Assert.NotEqual(JsonValueKind.Null, source.GetProperty("kinds").GetProperty("contact").GetProperty("readAt").ValueKind);
        var metrics = await host.Client.GetStringAsync("/metrics");
        Assert.Contains("crmpulse_source_records_deleted_total{source=\"files\"} 0\n", metrics);
        Assert.Contains("crmpulse_job_failures_total{source=\"files\",job_type=\"sync\"} 1\n", metrics);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await ReadyAsync(host)).Status);
    }

    [Fact]
    public async Task A_users_file_whose_every_row_is_rejected_makes_once_exit_1_with_the_reason()
    {
        using var folder = new FixtureFolder("org1", DateTimeOffset.UtcNow);
        // IsActive exported as words: no row of users.csv reads.
        var users = File.ReadAllLines(Path.Combine(folder.Path, "users.csv"));
        Write(folder, "users.csv", [users[0], .. users.Skip(1).Select(l => l.Replace(",true,", ",Active,").Replace(",false,false,", ",Inactive,false,"))]);

        await using var host = await InProcessHost.StartAsync(FileSourceApiTests.Org1Settings(folder.Path));

        Assert.StartsWith("exit 1: ", host.OnceOutput);
        Assert.Contains("files: sync FAILED: users.csv:2: every one of its 7 data row(s) was rejected (first on line 2); the file is not read",
            host.OnceOutput);
        Assert.Empty(await SeriesAsync(host, "licensed_users")); // not 0: users were never read
    }

    [Fact]
    public async Task The_rejected_counter_counts_rows_not_problems_and_notices_are_counted_apart()
    {
        using var folder = new FixtureFolder("org1", DateTimeOffset.UtcNow);
        // contacts.csv line 6 gets a second bad cell (is_lead "maybe"); companies.csv gets a second "Domain" column.
        var contacts = File.ReadAllLines(Path.Combine(folder.Path, "contacts.csv"));
        contacts[5] = contacts[5].Replace("31/02/2026,,,,,,", "31/02/2026,,,maybe,,,");
        Write(folder, "contacts.csv", contacts);
        var companies = File.ReadAllLines(Path.Combine(folder.Path, "companies.csv"));
        Write(folder, "companies.csv", companies.Select((l, i) => l + (i == 0 ? ",Domain" : ",")));

        await using var host = await InProcessHost.StartAsync(FileSourceApiTests.Org1Settings(folder.Path));

        Assert.StartsWith("exit 0: ", host.OnceOutput);
        var metrics = await host.Client.GetStringAsync("/metrics");
        Assert.Contains("crmpulse_source_records_rejected_total{source=\"files\"} 3\n", metrics); // 3 rows, 4 problems
        Assert.Contains("crmpulse_source_notices_total{source=\"files\"} 1\n", metrics);
        var source = (await host.GetJsonAsync("/api/sources"))[0];
        Assert.Equal((4, 3, 1), (source.GetProperty("problemsTotal").GetInt64(), source.GetProperty("rejectedTotal").GetInt64(),
            source.GetProperty("noticesTotal").GetInt64()));
        Assert.Equal("companies.csv:1: column 'Domain': column 9 has the same name as column 3 ('domain'); it is ignored",
            source.GetProperty("lastNotices")[0].GetString());
    }
}
