using CrmPulse.Hosting;
using CrmPulse.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CrmPulse.Tests.EndToEnd;

/// <summary>
/// Without an API key CrmPulse listens on loopback only, whatever way Kestrel is told where to listen: the real daemon
/// refuses every address beyond loopback before it binds (exit 2, the key named), check-config says the same, and the
/// addresses Kestrel actually bound are checked again once it has started.
/// </summary>
public sealed class ListeningTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crmpulse-listen-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Dictionary<string, string> Env(params (string Key, string Value)[] more)
    {
        var env = new Dictionary<string, string> { ["CRMPULSE__STORE__PATH"] = Path.Combine(_dir, "crmpulse.db") };
        foreach (var (k, v) in more) env[k] = v;
        return env;
    }

    /// <summary>Each way of binding Kestrel beyond loopback: how it is given, and the key and URL the refusal names.</summary>
    public static TheoryData<string, string[], string, string> BeyondLoopback => new()
    {
        { "--urls 0.0.0.0", ["--urls", "http://0.0.0.0:{port}"], "urls", "http://0.0.0.0:{port}" },
        { "--urls *", ["--urls", "http://*:{port}"], "urls", "http://*:{port}" },
        { "--urls +", ["--urls", "http://+:{port}"], "urls", "http://+:{port}" },
        { "--urls [::]", ["--urls", "http://[::]:{port}"], "urls", "http://[::]:{port}" },
        { "--urls host name", ["--urls", "http://crm.example.test:{port}"], "urls", "http://crm.example.test:{port}" },
        { "--urls second of two", ["--urls", "http://127.0.0.1:{port};http://0.0.0.0:{port2}"], "urls", "http://0.0.0.0:{port2}" },
        { "ASPNETCORE_URLS", ["env:ASPNETCORE_URLS=http://+:{port}"], "urls", "http://+:{port}" },
        { "ASPNETCORE_HTTP_PORTS", ["env:ASPNETCORE_HTTP_PORTS={port}"], "http_ports", "http://*:{port}" },
        { "--Kestrel:Endpoints", ["--Kestrel:Endpoints:Http:Url=http://0.0.0.0:{port}"], "Kestrel:Endpoints:Http:Url", "http://0.0.0.0:{port}" },
        { "Kestrel endpoints win over a loopback --urls", ["--urls", "http://127.0.0.1:{port2}", "--Kestrel:Endpoints:Api:Url", "http://[::]:{port}"], "Kestrel:Endpoints:Api:Url", "http://[::]:{port}" },
        { "Kestrel__Endpoints__ environment", ["env:Kestrel__Endpoints__Web__Url=http://0.0.0.0:{port}"], "Kestrel:Endpoints:Web:Url", "http://0.0.0.0:{port}" },
    };

    private (Dictionary<string, string> Env, string[] Args, int Port) Setup(string[] way, int port, int port2)
    {
        string Fill(string s) => s.Replace("{port}", port.ToString(), StringComparison.Ordinal).Replace("{port2}", port2.ToString(), StringComparison.Ordinal);
        var env = Env();
        var args = new List<string>();
        foreach (var w in way.Select(Fill))
        {
            if (w.StartsWith("env:", StringComparison.Ordinal)) env[w[4..w.IndexOf('=')]] = w[(w.IndexOf('=') + 1)..];
            else args.Add(w);
        }
        return (env, [.. args], port);
    }

    [Theory]
    [MemberData(nameof(BeyondLoopback))]
    public async Task Without_an_api_key_the_daemon_and_check_config_refuse_every_way_beyond_loopback(string way, string[] given, string key, string url)
    {
        var (port, port2) = (Tools.FreePort(), Tools.FreePort());
        var (env, args, _) = Setup(given, port, port2);
        var expected = $"{key}: '{url.Replace("{port}", port.ToString(), StringComparison.Ordinal).Replace("{port2}", port2.ToString(), StringComparison.Ordinal)}' listens beyond loopback but no API key is configured";

        await using var daemon = DaemonProcess.StartOn(port, env, args);
        var code = await daemon.WaitForExitAsync(TimeSpan.FromSeconds(60));
        await using var check = DaemonProcess.StartOn(port, env, ["check-config", .. args]);
        var checkCode = await check.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(code == 2, $"{way}: exit {code}\n{daemon.Output}");
        Assert.Contains(expected, daemon.Output);
        Assert.Contains("openssl rand -hex 32", daemon.Output);
        Assert.DoesNotContain("Now listening", daemon.Output);
        Assert.True(checkCode == 2, $"{way}: check-config exit {checkCode}\n{check.Output}");
        Assert.Contains(expected, check.Output);
    }

    [Fact]
    public async Task A_loopback_kestrel_endpoint_runs_without_a_key_and_check_config_says_where_it_listens()
    {
        var port = Tools.FreePort();
        var env = Env();
        string[] args = [$"--Kestrel:Endpoints:Http:Url=http://127.0.0.1:{port}"];

        await using (var check = DaemonProcess.StartOn(port, env, ["check-config", .. args]))
        {
            Assert.Equal(0, await check.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains($"API: http://127.0.0.1:{port} (from Kestrel:Endpoints:Http:Url); loopback only, no API key", check.Output);
        }
        await using var daemon = DaemonProcess.StartOn(port, env, args);
        await daemon.WaitForAsync("/healthz", _ => true, TimeSpan.FromSeconds(60));
        Assert.Contains($"Listening on http://127.0.0.1:{port}", daemon.Output);
        Assert.Equal(0, await daemon.StopAsync());
    }

    [Fact]
    public async Task With_an_api_key_check_config_reports_listening_beyond_loopback()
    {
        var port = Tools.FreePort();
        var env = Env(("CRMPULSE__API__APIKEYS__0", Options.OptionsLoaderTests.KeyA), ("ASPNETCORE_HTTP_PORTS", port.ToString()));

        await using var check = DaemonProcess.StartOn(port, env, "check-config");

        Assert.Equal(0, await check.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"API: http://*:{port} (from http_ports); beyond loopback, 1 API key(s) required for record-level and mutating endpoints", check.Output);
        Assert.DoesNotContain(Options.OptionsLoaderTests.KeyA, check.Output);
    }

    [Fact]
    public async Task The_addresses_kestrel_bound_are_checked_and_nothing_is_served_before()
    {
        // The configuration says loopback; an address added in code (what no configuration check can see) reaches
        // every interface: the guard refuses it once Kestrel has bound, answers 503 meanwhile, and stops the host.
        var settings = new Dictionary<string, string?> { ["CrmPulse:Store:Path"] = Path.Combine(_dir, "crmpulse.db"), ["urls"] = "http://127.0.0.1:0" };
        var errors = new StringWriter();
        var (app, code) = await CrmPulseApp.BuildAsync(new CliArgs(CliCommand.Once, [], null, null), TextWriter.Null, errors, c => c.AddInMemoryCollection(settings));
        Assert.NotNull(app);
        await using (app)
        {
            var port = Tools.FreePort();
            app.Urls.Add($"http://0.0.0.0:{port}");
            var stopped = new TaskCompletionSource();
            app.Lifetime.ApplicationStopping.Register(() => stopped.TrySetResult());
            await app.StartAsync();

            await stopped.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var guard = app.Services.GetRequiredService<ListenGuard>();
            Assert.Contains($"CrmPulse listens on http://0.0.0.0:{port}, beyond loopback, but no API key is configured", guard.Refused);
            Assert.Contains(guard.Refused!, errors.ToString());
            await app.StopAsync();
        }
    }

    [Theory]
    [InlineData(new[] { "http://127.0.0.1:5080", "http://[::1]:5080", "http://localhost:5080" }, false, null)]
    [InlineData(new[] { "http://127.0.0.1:5080", "http://[::]:5080" }, false, "http://[::]:5080")]
    [InlineData(new[] { "http://0.0.0.0:5080" }, false, "http://0.0.0.0:5080")]
    [InlineData(new[] { "http://0.0.0.0:5080" }, true, null)]
    public void The_guard_judges_the_addresses_kestrel_reports(string[] bound, bool hasKey, string? named)
    {
        var refused = ListenGuard.Check(bound, hasKey);

        if (named is null) Assert.Null(refused);
        else Assert.StartsWith($"CrmPulse listens on {named}, beyond loopback", refused);
    }
}
