using CrmPulse.Storage.Tests.Postgres;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.EndToEnd;

/// <summary>
/// The real daemon process on the PostgreSQL store (a real PostgreSQL on 127.0.0.1): the same hand-computed values as on
/// SQLite (<see cref="DaemonEndToEndTests"/>), resumed from the database after a restart; the connection string comes
/// from the environment or a file and its password is never printed.
/// </summary>
public sealed class PostgresDaemonTests
{
    [Fact]
    public async Task The_daemon_on_postgresql_syncs_serves_exact_values_and_resumes_from_the_database()
    {
        var server = await PostgresServer.Shared;
        var connectionString = await server.CreateDatabaseAsync();
        using var folder = new FixtureFolder("org1", DateTimeOffset.UtcNow);
        var secretFile = Path.Combine(folder.Path, "..", $"pg-{Guid.NewGuid():N}.secret");
        await File.WriteAllTextAsync(secretFile, connectionString + "\n");
        try
        {
            var env = Org1Daemon.Source(folder.Path);
            env["CRMPULSE__STORE__PROVIDER"] = "PostgreSql";
            env["CRMPULSE__STORE__CONNECTIONSTRING"] = connectionString;

            await using (var daemon = DaemonProcess.Start(env))
            {
                await Org1Daemon.AssertFirstPassAsync(daemon);
                Assert.Contains($"store: PostgreSQL 127.0.0.1:{server.Port}/", daemon.Output);
                Assert.Equal(0, await daemon.StopAsync());
                Assert.DoesNotContain(server.Password, daemon.Output);
            }

            // Another start, the connection string now from a file: it answers from the database before any new pass.
            env.Remove("CRMPULSE__STORE__CONNECTIONSTRING");
            env["CRMPULSE__STORE__CONNECTIONSTRINGFILE"] = secretFile;
            await using (var again = DaemonProcess.Start(env))
            {
                var sources = await again.WaitForAsync("/api/sources", _ => true, TimeSpan.FromSeconds(60));
                var latest = await again.WaitForAsync("/api/kpis/latest?kpi=licensed_users", j => j.GetArrayLength() > 0, TimeSpan.FromSeconds(5));
                Assert.Equal(4, LatestValues.Value(latest, "licensed_users", ""));
                Assert.NotEqual(System.Text.Json.JsonValueKind.Null, sources[0].GetProperty("lastSuccessAt").ValueKind);
                Assert.Equal(0, await again.StopAsync());
                Assert.DoesNotContain(server.Password, again.Output);
            }
        }
        finally
        {
            File.Delete(secretFile);
        }
    }

    [Fact]
    public async Task A_wrong_password_stops_the_start_naming_the_server_but_never_the_password()
    {
        var server = await PostgresServer.Shared;
        var wrong = new Npgsql.NpgsqlConnectionStringBuilder(server.ConnectionString()) { Password = "not-the-password-x7" }.ToString();
        var env = new Dictionary<string, string>
        {
            ["CRMPULSE__STORE__PROVIDER"] = "PostgreSql",
            ["CRMPULSE__STORE__CONNECTIONSTRING"] = wrong,
        };
        await using var daemon = DaemonProcess.Start(env);

        var exitCode = await daemon.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Contains($"CrmPulse cannot open its store on PostgreSQL 127.0.0.1:{server.Port}/postgres (CrmPulse:Store:ConnectionString)", daemon.Output);
        Assert.Contains("password authentication failed", daemon.Output);
        Assert.DoesNotContain("not-the-password-x7", daemon.Output);
    }

    [Fact]
    public async Task PostgreSql_without_a_connection_string_is_a_configuration_error_naming_the_key()
    {
        var env = new Dictionary<string, string> { ["CRMPULSE__STORE__PROVIDER"] = "PostgreSql" };
        await using var daemon = DaemonProcess.Start(env);

        Assert.Equal(2, await daemon.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("CrmPulse:Store:ConnectionString is required when Provider is PostgreSql", daemon.Output);
    }
}
