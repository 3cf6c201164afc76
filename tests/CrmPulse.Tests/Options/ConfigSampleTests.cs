using CrmPulse.Commands;
using CrmPulse.Hosting;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.Options;

/// <summary>
/// `crmpulse config sample [--kind K]` prints samples/config/&lt;kind&gt;.json, and each sample works as it is: the
/// real daemon passes check-config on it (with placeholder secrets in the environment variables it names), and the
/// Demo and File samples run --once. The File sample's folder is relative to the repository root, where its comment
/// says to run it; the test runs the daemon elsewhere, so it gives that folder's full path.
/// </summary>
public sealed class ConfigSampleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crmpulse-samples-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Kinds => [.. SourceKinds.All.Select(k => k.Name)];

    private static string SamplePath(string kind) => Path.Combine(RepoRoot.Path, "samples", "config", kind.ToLowerInvariant() + ".json");

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = await CrmPulseApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private async Task<(int Code, string Output)> RunDaemonAsync(string kind, params string[] args)
    {
        var env = new Dictionary<string, string>
        {
            ["CRMPULSE__STORE__PATH"] = Path.Combine(_dir, "crmpulse.db"),
            // Placeholders for the secrets the samples name (never real-looking tokens); check-config does not call the CRM.
            ["HUBSPOT_TOKEN"] = "placeholder-not-a-token",
            ["SALESFORCE_CLIENT_ID"] = "placeholder-client-id",
            ["SALESFORCE_CLIENT_SECRET"] = "placeholder-client-secret",
            ["ACTIVECAMPAIGN_TOKEN"] = "placeholder-not-a-key",
        };
        if (kind == "File") env["CRMPULSE__SOURCES__0__PATH"] = Path.Combine(RepoRoot.Path, "samples", "file-source");
        await using var daemon = DaemonProcess.StartOn(Tools.FreePort(), env, args);
        var code = await daemon.WaitForExitAsync(TimeSpan.FromSeconds(120));
        return (code, daemon.Output);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Config_sample_prints_the_kinds_sample_file(string kind)
    {
        var (code, output, error) = await Run("config", "sample", "--kind", kind);

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal(await File.ReadAllTextAsync(SamplePath(kind)), output);
        Assert.Contains($"\"Kind\": \"{kind}\"", output);
    }

    [Fact]
    public async Task Without_a_kind_it_prints_the_demo_sample_and_an_unknown_kind_is_an_error()
    {
        Assert.Equal(await File.ReadAllTextAsync(SamplePath("Demo")), (await Run("config", "sample")).Out);

        var (code, output, error) = await Run("config", "sample", "--kind", "Pipedrive");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("Argument 'Pipedrive' not recognized. Must be one of:", error);
        Assert.Contains("crmpulse config sample [options]", error);

        (code, _, error) = await Run("config");
        Assert.Equal(2, code);
        Assert.Contains("crmpulse config [command] [options]", error);
    }

    [Fact]
    public void Every_source_kind_has_a_sample_and_every_sample_a_kind()
    {
        Assert.Equal(SourceKinds.All.Select(k => k.Name), ConfigSampleCommand.Kinds);
        Assert.Equal(SourceKinds.All.Select(k => k.Name.ToLowerInvariant() + ".json").Order(),
            Directory.GetFiles(Path.Combine(RepoRoot.Path, "samples", "config")).Select(Path.GetFileName).Order());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Each_sample_passes_check_config(string kind)
    {
        var (code, output) = await RunDaemonAsync(kind, "check-config", "--config", SamplePath(kind));

        Assert.True(code == 0, output);
        var name = System.Text.RegularExpressions.Regex.Match(await File.ReadAllTextAsync(SamplePath(kind)), "\"Name\": \"([a-z0-9_-]+)\"").Groups[1].Value;
        Assert.Contains($"Source {name} ({kind}): sync every ", output);
        Assert.DoesNotContain("warning", output);
    }

    [Theory]
    [InlineData("Demo")]
    [InlineData("File")]
    public async Task The_demo_and_file_samples_run_once(string kind)
    {
        var (code, output) = await RunDaemonAsync(kind, "once", "--config", SamplePath(kind));

        Assert.True(code == 0, output);
        Assert.Contains(": sync ok, KPIs ok", output);
    }
}
