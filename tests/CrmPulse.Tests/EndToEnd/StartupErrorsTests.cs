using System.Net;
using System.Net.Sockets;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.EndToEnd;

/// <summary>
/// The real daemon with settings that used to end in an unhandled exception and a stack trace (exit 134): each is now
/// a named error and an exit code, 2 for the configuration, 1 for what the machine refused.
/// </summary>
public sealed class StartupErrorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crmpulse-startup-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<(int Code, string Output)> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(), args);

    private async Task<(int Code, string Output)> RunAsync(Dictionary<string, string> env, params string[] args)
    {
        var port = Tools.FreePort();
        env["CRMPULSE__STORE__PATH"] = Path.Combine(_dir, "crmpulse.db");
        await using var daemon = DaemonProcess.StartOn(port, env, args.Select(a => a.Replace("{port}", port.ToString(), StringComparison.Ordinal)).ToArray());
        var code = await daemon.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.DoesNotContain("Unhandled exception", daemon.Output);
        return (code, daemon.Output);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task A_missing_config_file_is_named()
    {
        var missing = Path.Combine(_dir, "nope.json");

        var (code, output) = await RunAsync("check-config", "--config", missing);

        Assert.Equal(2, code);
        Assert.Contains($"CrmPulse cannot start: --config '{missing}' does not exist.", output);
    }

    [Fact]
    public async Task A_config_file_from_the_environment_is_named_by_its_variable()
    {
        var missing = Path.Combine(_dir, "from-env.json");
        var bad = Write("bad-env.json", "[ 1 ]");

        var (code, output) = await RunAsync(new Dictionary<string, string> { ["CRMPULSE_CONFIG"] = missing }, "check-config");
        var (badCode, badOutput) = await RunAsync(new Dictionary<string, string> { ["CRMPULSE_CONFIG"] = bad }, "once");
        // --config wins over the variable, and then it is the option that is named.
        var (optionCode, optionOutput) = await RunAsync(new Dictionary<string, string> { ["CRMPULSE_CONFIG"] = bad }, "check-config", "--config", missing);

        Assert.Equal(2, code);
        Assert.Contains($"CrmPulse cannot start: CRMPULSE_CONFIG '{missing}' does not exist.", output);
        Assert.Equal(2, badCode);
        Assert.Contains($"CrmPulse cannot start: CRMPULSE_CONFIG '{bad}' is not a JSON object", badOutput);
        Assert.Equal(2, optionCode);
        Assert.Contains($"CrmPulse cannot start: --config '{missing}' does not exist.", optionOutput);
    }

    [Theory]
    [InlineData("{ \"CrmPulse\": {\n  \"Store\": { \"Path\": \"x.db\" \n}\n", "is not valid JSON at line 4, position 1")]
    [InlineData("{ \"CrmPulse\": { \"Store\": { \"Path\": \"x.db\" } },\n  \"Api\": [1, 2,, 3] }", "is not valid JSON at line 2, position 16")]
    [InlineData("[ 1, 2 ]", "is not a JSON object ({ \"CrmPulse\": { ... } }), it holds an array.")]
    public async Task A_malformed_config_file_is_named_with_its_line_and_position(string json, string expected)
    {
        var file = Write("bad.json", json);

        foreach (var command in new[] { "check-config", "once" })
        {
            var (code, output) = await RunAsync(command, "--config", file);

            Assert.Equal(2, code);
            Assert.Contains($"CrmPulse cannot start: --config '{file}' {expected}", output);
        }
    }

    [Fact]
    public async Task A_cron_that_never_fires_stops_check_config_and_the_daemon_naming_its_key()
    {
        foreach (var command in new[] { "check-config", "--once" })
        {
            var (code, output) = await RunAsync(command, "--CrmPulse:Sources:0:Name=demo", "--CrmPulse:Sources:0:Kind=Demo", "--CrmPulse:Sources:0:SyncCron", "0 0 0 30 2 ?");

            Assert.Equal(2, code);
            Assert.Contains("CrmPulse:Sources:0:SyncCron '0 0 0 30 2 ?' never fires after", output);
        }
    }

    [Theory]
    [InlineData("--urls", "notaurl", "urls: 'notaurl' is not an address Kestrel can listen on")]
    [InlineData("--Kestrel:Endpoints:Web:Url", "http//127.0.0.1:{port}", "Kestrel:Endpoints:Web:Url: 'http//127.0.0.1:{port}' is not an address Kestrel can listen on")]
    [InlineData("--Logging:LogLevel:Default", "Loud", "Logging:LogLevel:Default: 'Loud' is not a log level")]
    public async Task Host_settings_that_would_crash_the_start_are_named(string key, string value, string expected)
    {
        var (code, output) = await RunAsync(key, value);

        Assert.Equal(2, code);
        Assert.Matches(expected.Replace("{port}", @"\d+", StringComparison.Ordinal).Replace(".", @"\.", StringComparison.Ordinal).Replace("(", @"\(", StringComparison.Ordinal), output);
    }

    [Fact]
    public async Task An_https_endpoint_without_a_certificate_is_named()
    {
        var (code, output) = await RunAsync("--Kestrel:Endpoints:Tls:Url=https://127.0.0.1:{port}");

        Assert.Equal(2, code);
        Assert.Contains("CrmPulse cannot start listening: Unable to configure HTTPS endpoint. No server certificate was specified", output);
    }

    [Fact]
    public async Task A_port_in_use_is_named_with_exit_1()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (code, output) = await RunAsync("--urls", $"http://127.0.0.1:{port}");

        Assert.Equal(1, code);
        Assert.Contains($"CrmPulse cannot start listening: Failed to bind to address http://127.0.0.1:{port}: address already in use.", output);
    }
}
