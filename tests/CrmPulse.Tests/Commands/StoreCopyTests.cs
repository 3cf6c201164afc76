using System.Globalization;
using System.Text.Json;
using CrmPulse.Core.Alerts;
using CrmPulse.Core.Kpis;
using CrmPulse.Hosting;
using CrmPulse.Storage;
using CrmPulse.Storage.Influx;
using CrmPulse.Storage.Postgres;
using CrmPulse.Storage.Tests.Postgres;
using CrmPulse.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CrmPulse.Tests.Commands;

/// <summary>
/// crmpulse store copy --to-postgres against a real PostgreSQL (127.0.0.1, a database of its own): a SQLite store
/// filled by a real demo run is copied, every table compared row for row, and the host on the copy answers the API
/// exactly as it did on SQLite; a non-empty target is refused naming what it holds, and --force replaces it.
/// </summary>
public sealed class StoreCopyTests
{
    private static readonly DateTimeOffset Now = TestTimes.Afternoon;

    /// <summary>A small demo (a pass in about a second), the Demo source of the embedded default otherwise.</summary>
    private static Dictionary<string, string?> DemoSettings(string storePath) => new()
    {
        ["CrmPulse:Store:Path"] = storePath,
        ["CrmPulse:Sources:0:Name"] = "demo",
        ["CrmPulse:Sources:0:Kind"] = "Demo",
        ["CrmPulse:Sources:0:Contacts"] = "2000",
        ["CrmPulse:Sources:0:Companies"] = "400",
        ["CrmPulse:Sources:0:Deals"] = "300",
        ["CrmPulse:Sources:0:Activities"] = "6000",
        ["CrmPulse:Sources:0:CustomFields:contact:0"] = "customer_tier",
        ["urls"] = "http://127.0.0.1:0",
    };

    /// <summary>What the API answers from a store, with no scheduler (nothing moves while it is read).</summary>
    private static readonly string[] ApiPaths =
    [
        "/api/kpis/latest",
        "/api/kpis/weekly_active_ratio/series?source=demo&from=2026-03-01T00:00:00Z&to=2026-03-11T00:00:00Z",
        "/api/kpis/records/series?source=demo&from=2026-03-01T00:00:00Z&to=2026-03-11T00:00:00Z",
        "/api/adoption/users?source=demo",
        "/api/data-quality/issues?source=demo&limit=500",
        "/api/pipeline/issues?source=demo&limit=500",
        "/api/alerts",
        "/api/audits",
        "/api/reports/deliveries",
    ];

    [Fact]
    public async Task A_demo_store_is_copied_row_for_row_and_the_api_answers_the_same_from_postgresql()
    {
        var server = await PostgresServer.Shared;
        var target = await server.CreateDatabaseAsync();
        var dir = Directory.CreateTempSubdirectory("crmpulse-copy-").FullName;
        var db = Path.Combine(dir, "crmpulse.db");
        var secret = Path.Combine(dir, "pg.secret");
        await File.WriteAllTextAsync(secret, target + "\n");
        try
        {
            // 1. A real demo run: a sync, a KPI pass, the alerts, a 3-day backfill; then what a demo run does not
            // write (webhook and report deliveries, an audit, the outbox's cursors and a parked batch, a firing alert).
            var onSqlite = new Dictionary<string, string>();
            await using (var host = await HostAsync(DemoSettings(db), CliCommand.Once))
            {
                Assert.Equal(0, await CrmPulseApp.RunOnceAsync(host.App, TextWriter.Null));
                Assert.Equal(0, await CrmPulse.Commands.BackfillCommand.RunAsync(host.App, 3, TextWriter.Null, false, CancellationToken.None));
                await FillTheRestAsync(host.App.Services.GetRequiredService<ICrmStore>());
                await host.App.StartAsync();
                foreach (var path in ApiPaths) onSqlite[path] = await host.GetAsync(path);
            }
            var tables = SqliteTables(db);
            // Every table of the store holds rows, so the comparison below compares something in each.
            Assert.All(tables, t => Assert.True(SqliteRows(db, t.Name, t.Columns).Count > 0, $"{t.Name} is empty in the source"));
            // The demo's contacts are scored by fitted weights: the model's column holds a value, compared like every other.
            Assert.Single(SqliteRows(db, "dedupe_states WHERE model IS NOT NULL", ["source"]));

            // 2. The copy, the connection string from a file as the daemon reads it.
            var (code, stdout, stderr) = await RunAsync("store", "copy", "--to-postgres", $"--CrmPulse:Store:Path={db}",
                $"--CrmPulse:Store:ConnectionStringFile={secret}");

            Assert.True(code == 0, stdout + stderr);
            Assert.DoesNotContain(server.Password, stdout + stderr);
            foreach (var (name, columns) in tables)
            {
                var expected = SqliteRows(db, name, columns);
                Assert.Matches($@"(?m)^  {name} +{expected.Count.ToString("N0", CultureInfo.CurrentCulture)}$", stdout);
                AssertSameRows(name, expected, await PostgresRows(target, name, columns));
            }

            // 3. The host on the copy answers every path as it did on SQLite, byte for byte.
            var pgSettings = DemoSettings(db);
            pgSettings["CrmPulse:Store:Provider"] = "PostgreSql";
            pgSettings["CrmPulse:Store:ConnectionString"] = target;
            await using (var host = await HostAsync(pgSettings, CliCommand.Report))
            {
                Assert.Equal(PostgresStore.Describe(target), host.App.Services.GetRequiredService<ICrmStore>().Location);
                await host.App.StartAsync();
                foreach (var path in ApiPaths) Assert.Equal(onSqlite[path], await host.GetAsync(path));
            }

            // 4. A second copy into the same database is refused, naming what is there; nothing changes.
            var before = await PostgresRows(target, "samples", tables.Single(t => t.Name == "samples").Columns);
            var (again, _, againErr) = await RunAsync("store", "copy", "--to-postgres", $"--from={db}", $"--CrmPulse:Store:ConnectionString={target}");

            Assert.Equal(1, again);
            Assert.Contains($"The target {PostgresStore.Describe(target)} is not empty: mirror_records ", againErr);
            Assert.Contains($"samples {before.Count:N0} row(s)", againErr);
            Assert.Contains("--force", againErr);
            Assert.Equal(before, await PostgresRows(target, "samples", tables.Single(t => t.Name == "samples").Columns));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Force_replaces_a_used_target_and_new_rows_are_numbered_after_the_copied_ones()
    {
        var server = await PostgresServer.Shared;
        var target = await server.CreateDatabaseAsync();
        var dir = Directory.CreateTempSubdirectory("crmpulse-copy-").FullName;
        try
        {
            // The target in use: a pass of its own (3 samples) and a delivery.
            using (var used = await PostgresStore.OpenAsync(target, TimeProvider.System, CancellationToken.None))
            {
                await used.AppendAsync([Sample("a", 1), Sample("b", 2), Sample("c", 3)], [], CancellationToken.None);
                await used.AddDeliveryAsync("x|y|", AlertEventKind.Firing, "ops", Now, CancellationToken.None);
            }
            long versionBefore;
            await using (var c = new NpgsqlConnection(target))
            {
                await c.OpenAsync();
                versionBefore = (long)(await new NpgsqlCommand("SELECT version FROM ledger_version", c).ExecuteScalarAsync())!;
            }
            // The source: 2 samples, one webhook delivery.
            var db = Path.Combine(dir, "small.db");
            using (var store = await SqliteStore.OpenAsync(db, CancellationToken.None))
            {
                await store.AppendAsync([Sample("weekly_active_ratio", 0.5), Sample("weekly_active_ratio", 0.75, 1)], [], CancellationToken.None);
                await store.AddDeliveryAsync("r|demo|", AlertEventKind.Resolved, "team-chat", Now, CancellationToken.None);
            }

            var (code, stdout, stderr) = await RunAsync("store", "copy", "--to-postgres", "--force", $"--from={db}",
                $"--CrmPulse:Store:ConnectionString={target}");

            Assert.True(code == 0, stdout + stderr);
            Assert.Contains("--force: emptying samples 3 row(s), series_latest 3 row(s), alert_deliveries 1 row(s)", stdout);
            foreach (var (name, columns) in SqliteTables(db).Where(t => t.Name != "ledger_version"))
                AssertSameRows(name, SqliteRows(db, name, columns), await PostgresRows(target, name, columns));
            using var copy = await PostgresStore.OpenAsync(target, TimeProvider.System, CancellationToken.None);
            // A reader that knew the old target sees the version move, whatever the source's number was.
            Assert.True(await copy.LedgerVersionAsync(CancellationToken.None) > versionBefore);
            // PostgreSQL numbers new rows after the copied ones (seq 1 and 2; delivery 1).
            await copy.AppendAsync([Sample("weekly_active_ratio", 0.8, 2)], [], CancellationToken.None);
            Assert.Equal(2, await copy.AddDeliveryAsync("r|demo|", AlertEventKind.Firing, "team-chat", Now, CancellationToken.None));
            await using var check = new NpgsqlConnection(target);
            await check.OpenAsync();
            Assert.Equal(3L, await new NpgsqlCommand("SELECT MAX(seq) FROM samples", check).ExecuteScalarAsync());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_table_the_copy_does_not_know_stops_it_before_anything_is_written()
    {
        var server = await PostgresServer.Shared;
        var target = await server.CreateDatabaseAsync();
        var dir = Directory.CreateTempSubdirectory("crmpulse-copy-").FullName;
        try
        {
            var db = Path.Combine(dir, "extra.db");
            using (var store = await SqliteStore.OpenAsync(db, CancellationToken.None))
                await store.AppendAsync([Sample("weekly_active_ratio", 0.5)], [], CancellationToken.None);
            await using (var c = new SqliteConnection($"Data Source={db};Pooling=False"))
            {
                await c.OpenAsync();
                await using var create = c.CreateCommand();
                create.CommandText = "CREATE TABLE runs (id INTEGER PRIMARY KEY, node TEXT NOT NULL); INSERT INTO runs (node) VALUES ('node1');";
                await create.ExecuteNonQueryAsync();
            }

            var (code, _, stderr) = await RunAsync("store", "copy", "--to-postgres", $"--from={db}", $"--CrmPulse:Store:ConnectionString={target}");

            Assert.Equal(1, code);
            Assert.Contains("has table(s) this copy does not know: runs. Nothing was copied", stderr);
            await using var check = new NpgsqlConnection(target);
            await check.OpenAsync();
            Assert.Equal(0L, await new NpgsqlCommand("SELECT COUNT(*) FROM samples", check).ExecuteScalarAsync());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("store copy", "store copy needs --to-postgres")]
    [InlineData("store copy --to-postgres --bogus", "--bogus")]
    [InlineData("store copy --to-postgres --from", "Required argument missing for option: '--from'")]
    [InlineData("store", "store")]
    public async Task A_wrong_command_line_exits_2_with_the_problem_and_the_usage(string line, string expected)
    {
        var (code, _, stderr) = await RunAsync(line.Split(' '));

        Assert.Equal(2, code);
        Assert.Contains(expected, stderr);
        Assert.Contains("Usage:", stderr);
    }

    [Fact]
    public async Task A_missing_source_file_or_connection_string_exits_2_naming_the_setting()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.db");

        var (noTarget, _, noTargetErr) = await RunAsync("store", "copy", "--to-postgres", $"--from={missing}");
        var (noFile, _, noFileErr) = await RunAsync("store", "copy", "--to-postgres", $"--from={missing}",
            "--CrmPulse:Store:ConnectionString=Host=127.0.0.1;Database=x;Username=u;Password=not-shown-q9");
        var (badFile, _, badFileErr) = await RunAsync("store", "copy", "--to-postgres", $"--CrmPulse:Store:Path={missing}",
            $"--CrmPulse:Store:ConnectionStringFile={missing}.secret");

        Assert.Equal(2, noTarget);
        Assert.Contains("the target is not set: give CrmPulse:Store:ConnectionString (CRMPULSE__STORE__CONNECTIONSTRING)", noTargetErr);
        Assert.Equal(2, noFile);
        Assert.Contains($"--from: the SQLite store '{missing}' does not exist.", noFileErr);
        Assert.DoesNotContain("not-shown-q9", noFileErr);
        Assert.Equal(2, badFile);
        Assert.Contains($"CrmPulse:Store:ConnectionStringFile: cannot read '{missing}.secret'", badFileErr);
        Assert.Contains($"CrmPulse:Store:Path: the SQLite store '{missing}' does not exist.", badFileErr);
        Assert.False(File.Exists(missing)); // never created by the attempt
        var (empty, _, emptyErr) = await RunAsync("store", "copy", "--to-postgres", "--from", " ", "--CrmPulse:Store:ConnectionString=Host=127.0.0.1");
        Assert.Equal(2, empty);
        Assert.Contains("--from is empty: give the path of the SQLite store to copy.", emptyErr);
    }

    private static KpiSample Sample(string kpi, double value, int hours = 0) =>
        new(kpi, "demo", Dimensions.None, value, Now.AddHours(hours), null);

    /// <summary>What a demo run does not write, through the store's own operations.</summary>
    private static async Task FillTheRestAsync(ICrmStore store)
    {
        var ct = CancellationToken.None;
        var id = await store.AddDeliveryAsync("adoption_drop|demo|team=Sales", AlertEventKind.Firing, "team-chat", Now, ct);
        await store.UpdateDeliveryAsync(id, "failed", 3, 503, "Service Unavailable", Now.AddMinutes(1), ct);
        var report = await store.AddReportDeliveryAsync("monthly", "email", "2 recipients", "month", Now, ct);
        await store.UpdateReportDeliveryAsync(report, "delivered", 1, null, Now.AddMinutes(2), ct);
        await store.AddAuditAsync("demo", new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28), Now, """{"period":"2026-02"}""", ct);
        // A run of the runs table (/api/cluster), as the scheduler's job listener writes them.
        var runs = Assert.IsAssignableFrom<IJobRuns>(store);
        var run = await runs.StartRunAsync("sync", "demo", "node-a", recovering: true, Now, ct);
        await runs.FinishRunAsync(run, "ok", Now.AddSeconds(3), ct);
        await store.GetOrCreateBackfillPlanAsync("demo", new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero), 3, ct);
        // The outbox: the first batch acknowledged, the next parked, per stream.
        var first = await store.ReadOutboxAsync(100, ct);
        await store.AcknowledgeOutboxAsync(first!, ct);
        var second = await store.ReadOutboxAsync(100, ct);
        await store.ParkOutboxAsync(second!, 400, "partial write: field type conflict", Now, ct);
        if ((await store.LoadAlertsAsync(ct)).Count == 0)
        {
            await store.SaveAlertsAsync([new AlertInstance
            {
                Rule = "adoption_drop", Source = "demo", Dimensions = Dimensions.Of(("team", "Sales")), Severity = "warning",
                Status = AlertStatus.Firing, ActiveSince = Now.AddHours(-2), FiringSince = Now.AddHours(-1), Value = 0.4, Baseline = 0.8,
                ValueAt = Now, Summary = "Sales dropped", UpdatedAt = Now,
            }], [], Now.AddDays(-30), ct);
        }
    }

    private sealed class Host(WebApplication app, HttpClient client) : IAsyncDisposable
    {
        public WebApplication App => app;

        public async Task<string> GetAsync(string path)
        {
            client.BaseAddress ??= new Uri(app.Urls.First());
            using var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"GET {path} -> {(int)response.StatusCode}: {body}");
            return body;
        }

        public async ValueTask DisposeAsync()
        {
            client.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }
    }

    /// <summary>The real host on these settings at <see cref="Now"/>, without a scheduler (only the daemon schedules).</summary>
    private static async Task<Host> HostAsync(Dictionary<string, string?> settings, CliCommand command)
    {
        var stderr = new StringWriter();
        var (app, code) = await CrmPulseApp.BuildAsync(new CliArgs(command, [], null, null), TextWriter.Null, stderr,
            c => c.AddInMemoryCollection(settings), TestTimes.Clock(Now));
        if (app is null) throw new InvalidOperationException($"Host did not build (exit {code}): {stderr}");
        return new Host(app, new HttpClient());
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CrmPulseApp.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Every table of the SQLite store but schema_version, with its columns.</summary>
    private static List<(string Name, List<string> Columns)> SqliteTables(string db)
    {
        using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        c.Open();
        var names = new List<string>();
        using (var command = c.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name <> 'schema_version' ORDER BY name";
            using var reader = command.ExecuteReader();
            while (reader.Read()) names.Add(reader.GetString(0));
        }
        return names.Select(n =>
        {
            using var command = c.CreateCommand();
            command.CommandText = $"SELECT name FROM pragma_table_info('{n}')";
            using var reader = command.ExecuteReader();
            var columns = new List<string>();
            while (reader.Read()) columns.Add(reader.GetString(0));
            return (n, columns);
        }).ToList();
    }

    private static List<string> SqliteRows(string db, string table, List<string> columns)
    {
        using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var command = c.CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", columns)} FROM {table}";
        using var reader = command.ExecuteReader();
        return Rows(reader);
    }

    private static async Task<List<string>> PostgresRows(string connectionString, string table, List<string> columns)
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT {string.Join(", ", columns)} FROM {table}", c);
        await using var reader = await command.ExecuteReaderAsync();
        return Rows(reader);
    }

    /// <summary>Each row as one text of typed values (integers of any width alike), sorted byte-wise.</summary>
    private static List<string> Rows(System.Data.Common.DbDataReader reader)
    {
        var rows = new List<string>();
        while (reader.Read())
        {
            var values = new string[reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.GetValue(i) switch
                {
                    DBNull => "null",
                    long or int or short => $"i:{Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture)}",
                    double d => $"r:{d.ToString("R", CultureInfo.InvariantCulture)}",
                    string s => $"s:{JsonSerializer.Serialize(s)}",
                    byte[] b => $"b:{Convert.ToHexString(b)}",
                    bool v => $"i:{(v ? 1 : 0)}", // SQLite keeps a boolean as an integer
                    var other => throw new InvalidOperationException($"unexpected {other.GetType()}"),
                };
            }
            rows.Add(string.Join("|", values));
        }
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private static void AssertSameRows(string table, List<string> expected, List<string> actual)
    {
        Assert.True(expected.Count == actual.Count, $"{table}: {expected.Count} rows in SQLite, {actual.Count} in PostgreSQL");
        for (var i = 0; i < expected.Count; i++)
            Assert.True(expected[i] == actual[i], $"{table}, row {i}: SQLite {expected[i]}\nPostgreSQL {actual[i]}");
    }
}
