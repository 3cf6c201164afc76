using System.Net;
using System.Net.Sockets;
using CrmPulse.Hosting;
using CrmPulse.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace CrmPulse.Tests.EndToEnd;

/// <summary>
/// A stop (SIGTERM) exits 0 whenever it reaches the daemon: while its store is being opened, before the host has a
/// handler of its own (the runtime's default was 143), and while the host starts (a cancelled hosted service's start used
/// to read as a failed start, 2). In the middle of a job: PassInterruptionTests and ClusterOpsTests.
/// </summary>
public sealed class StopSignalTests
{
    [Fact]
    public async Task A_sigterm_while_the_store_is_being_opened_exits_0()
    {
        // A "PostgreSQL" that accepts the connection and never answers: the daemon waits in its store's opening.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var daemon = DaemonProcess.Start(new Dictionary<string, string>
        {
            ["CRMPULSE__STORE__PROVIDER"] = "PostgreSql",
            ["CRMPULSE__STORE__CONNECTIONSTRING"] = $"Host=127.0.0.1;Port={port};Database=none;Username=none;Timeout=120",
        });
        using var accepted = await silent.AcceptSocketAsync().WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(0, await daemon.StopAsync());
        Assert.Contains("CrmPulse was stopped before it started (while opening its store: ", daemon.Output);
    }

    [Fact]
    public async Task A_stop_while_the_host_starts_is_a_stop_not_a_failed_start()
    {
        var dir = Directory.CreateTempSubdirectory("crmpulse-stop-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["CrmPulse:Store:Path"] = Path.Combine(dir, "crmpulse.db"),
            ["urls"] = "http://127.0.0.1:0",
            ["CrmPulse:Sources:0:Name"] = "demo",
            ["CrmPulse:Sources:0:Kind"] = "Demo",
            ["CrmPulse:Sources:0:Contacts"] = "100",
        };
        var errors = new StringWriter();
        var (app, _) = await CrmPulseApp.BuildAsync(new CliArgs(CliCommand.Run, [], null, null), TextWriter.Null, errors,
            c => c.AddInMemoryCollection(settings));
        Assert.True(app is not null, errors.ToString());
        try
        {
            // The stop arrives as the host starts: every hosted service's start is cancelled.
            using var signals = new StopSignals();
            app.Lifetime.StopApplication();
            var output = new StringWriter();
            var code = await CrmPulseApp.RunDaemonAsync(app, signals, output, errors);
            Assert.True(code == 0, $"exit {code}: {errors}");
            Assert.DoesNotContain("cannot start", errors.ToString());
        }
        finally
        {
            await app!.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
