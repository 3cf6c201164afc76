using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using CrmPulse.Commands;
using CrmPulse.Hosting;
using CrmPulse.Storage;
using CrmPulse.Storage.Tests.Postgres;
using CrmPulse.Tests.Support;
using static CrmPulse.Tests.Audits.AuditHistory;

namespace CrmPulse.Tests.Audits;

/// <summary>
/// `crmpulse audit --format json` on the PostgreSQL store (a real PostgreSQL on 127.0.0.1) gives byte for byte the JSON
/// it gives on SQLite for the same hand-made history (<see cref="AuditHistory"/>), the first audit and the second one,
/// which compares with the first as stored; the API and the /audits pages then serve the stored audits from PostgreSQL.
/// </summary>
public sealed class AuditOnPostgresTests
{
    [Fact]
    public async Task The_json_audits_on_postgresql_are_the_ones_on_sqlite()
    {
        var server = await PostgresServer.Shared;
        var dir = Directory.CreateTempSubdirectory("crmpulse-audit-pg-").FullName;
        try
        {
            var onSqlite = await RunTwiceAsync(new() { ["CrmPulse:Store:Path"] = Path.Combine(dir, "crmpulse.db") }, dir, "sqlite");
            var onPostgres = await RunTwiceAsync(new()
            {
                ["CrmPulse:Store:Provider"] = "PostgreSql",
                ["CrmPulse:Store:ConnectionString"] = await server.CreateDatabaseAsync(),
            }, dir, "pg");

            // The history's own numbers (asserted in AuditCommandTests), so that two equally wrong audits cannot pass.
            var usage = JsonDocument.Parse(onPostgres.First).RootElement.GetProperty("audit").GetProperty("sources")[0].GetProperty("usage");
            Assert.Equal((4, 2, 4, 1250.5), (usage.GetProperty("licensedUsers").GetInt32(), usage.GetProperty("usersLoggedIn").GetInt32(),
                usage.GetProperty("records").GetProperty("logins").GetInt32(),
                usage.GetProperty("records").GetProperty("teams")[0].GetProperty("wonAmount").GetDouble()));
            Assert.Equal(onSqlite.First, onPostgres.First);
            Assert.Equal(onSqlite.Second, onPostgres.Second);
            Assert.Equal(onSqlite.Listing, onPostgres.Listing);
            Assert.Contains("\"id\":2", onPostgres.Listing);
            Assert.Equal(onSqlite.Html, onPostgres.Html);
            Assert.Contains("data-audit=\"2\"", onPostgres.Page);
            Assert.Contains("data-audit=\"1\"", onPostgres.Page);
            Assert.StartsWith($"PostgreSQL 127.0.0.1:{server.Port}/", onPostgres.Store);
            Assert.EndsWith("crmpulse.db", onSqlite.Store);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>On a fresh store: writes the history, runs the audit twice, and reads /api/audits, the second audit (from the
    /// API and as the HTML document) and the /audits page back.</summary>
    private static async Task<(string First, string Second, string Listing, string Html, string Page, string Store)> RunTwiceAsync(
        Dictionary<string, string?> store, string dir, string name)
    {
        var settings = new Dictionary<string, string?>(store)
        {
            ["CrmPulse:Sources:0:Name"] = "acme",
            ["CrmPulse:Sources:0:Kind"] = "Demo",
            [ExcludedUser.Key] = ExcludedUser.Value,
            ["urls"] = "http://127.0.0.1:0",
        };
        var errors = new StringWriter();
        var (built, code) = await CrmPulseApp.BuildAsync(new CliArgs(CliCommand.Audit, [], null, null), TextWriter.Null, errors,
            c => c.AddInMemoryCollection(settings), new FakeClock(AuditHostFixture.Now));
        await using var app = built ?? throw new InvalidOperationException($"Host did not build (exit {code}): {errors}");
        await WriteAsync(app.Services.GetRequiredService<ICrmStore>(), "acme");
        await app.StartAsync();
        try
        {
            var first = await AuditAsync(app, Path.Combine(dir, $"{name}-1.json"));
            var second = await AuditAsync(app, Path.Combine(dir, $"{name}-2.json"));
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            Assert.Equal(second, JsonDocument.Parse(await client.GetStringAsync("/api/audits/2")).RootElement.GetRawText());
            return (first, second, await client.GetStringAsync("/api/audits"), await client.GetStringAsync("/audits/2.html"),
                await client.GetStringAsync("/audits"), app.Services.GetRequiredService<ICrmStore>().Location);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    private static async Task<string> AuditAsync(Microsoft.AspNetCore.Builder.WebApplication app, string file)
    {
        var output = new StringWriter();
        var code = await AuditCommand.RunAsync(app, new AuditCommand.Args(From, To, "acme", "json", file), output, output);
        Assert.True(code == 0, output.ToString());
        return await File.ReadAllTextAsync(file);
    }
}
