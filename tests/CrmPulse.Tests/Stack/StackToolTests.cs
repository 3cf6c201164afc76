using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.Stack;

/// <summary>
/// The stack's files through the real tools: promtool checks and unit-tests the alert rules, docker-compose validates
/// the compose file with the example environment, and the Dockerfile has the shape the README promises.
/// </summary>
public sealed class StackToolTests
{
    private static string Prometheus(params string[] parts) => Path.Combine([RepoRoot.Path, "prometheus", .. parts]);

    [Fact]
    public async Task Promtool_accepts_the_alert_rules_and_the_scrape_configuration()
    {
        var promtool = Tools.Require("promtool", "prometheus");

        var (rules, rulesOut, rulesErr) = await Tools.RunAsync(promtool, $"check rules {Prometheus("rules", "crmpulse.yml")}");
        // The compose scrape config names its rule files by their container path; check it on a copy pointing here.
        var config = Path.Combine(Directory.CreateTempSubdirectory("crmpulse-promcfg-").FullName, "prometheus.yml");
        await File.WriteAllTextAsync(config, RepoRoot.ReadAllText("prometheus", "prometheus.yml")
            .Replace("/etc/prometheus/rules/", Prometheus("rules") + "/"));
        var (cfg, cfgOut, cfgErr) = await Tools.RunAsync(promtool, $"check config {config}");

        Assert.True(rules == 0, rulesOut + rulesErr);
        Assert.Contains("SUCCESS: 7 rules found", rulesOut);
        Assert.True(cfg == 0, cfgOut + cfgErr);
        Directory.Delete(Path.GetDirectoryName(config)!, recursive: true);
    }

    [Theory]
    [InlineData("crmpulse.test.yml")]
    [InlineData("baselines.test.yml")]
    public async Task Promtool_unit_tests_of_the_alert_rules_pass(string file)
    {
        var (code, stdout, stderr) = await Tools.RunAsync(Tools.Require("promtool", "prometheus"), $"test rules {Prometheus("tests", file)}");

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("SUCCESS", stdout);
    }

    [Fact]
    public void Every_alert_rule_has_a_unit_test_that_expects_it_to_fire()
    {
        var tests = RepoRoot.ReadAllText("prometheus", "tests", "crmpulse.test.yml") + RepoRoot.ReadAllText("prometheus", "tests", "baselines.test.yml");
        var alerts = StackFiles.RuleExpressions().Select(r => r.Alert).ToList();

        Assert.Equal(7, alerts.Count);
        Assert.All(alerts, a => Assert.Contains($"alertname: {a}\n        exp_alerts:\n          - exp_labels", tests));
    }

    [Fact]
    public async Task Docker_compose_accepts_the_compose_file_with_the_example_environment()
    {
        var compose = RequireCompose();

        var (code, stdout, stderr) = await Tools.RunAsync(compose,
            $"--project-directory {RepoRoot.Path} -f {Path.Combine(RepoRoot.Path, "docker-compose.yml")} --env-file {Path.Combine(RepoRoot.Path, ".env.example")} config");

        Assert.True(code == 0, stdout + stderr);
        foreach (var service in new[] { "crmpulse:", "influxdb:", "prometheus:", "grafana:" }) Assert.Contains(service, stdout);
        Assert.Contains("CRMPULSE__API__APIKEYS__0: change-me-crmpulse-api-key", stdout);
        Assert.Contains("DOCKER_INFLUXDB_INIT_ADMIN_TOKEN: change-me-influx-token", stdout);
    }

    [Fact]
    public async Task Docker_compose_refuses_to_start_without_the_secrets_of_the_env_file()
    {
        var empty = Path.GetTempFileName();

        var (code, _, stderr) = await Tools.RunAsync(RequireCompose(),
            $"--project-directory {RepoRoot.Path} -f {Path.Combine(RepoRoot.Path, "docker-compose.yml")} --env-file {empty} config -q");

        File.Delete(empty);
        Assert.NotEqual(0, code);
        Assert.Contains("in .env", stderr);
    }

    [Fact]
    public void The_dockerfile_publishes_the_host_runs_as_non_root_and_checks_healthz()
    {
        var dockerfile = RepoRoot.ReadAllText("Dockerfile");

        Assert.Contains($"RUN dotnet {string.Join(' ', StackPublish.Arguments("/app"))}", dockerfile);
        Assert.Matches(@"(?m)^USER app$", dockerfile);
        Assert.Matches(@"(?m)^HEALTHCHECK .*\n.*GET /healthz", dockerfile);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"crmpulse.dll\"]", dockerfile);
        Assert.Contains(".env", RepoRoot.ReadAllText(".gitignore").Split('\n'));
        Assert.Contains(".env", RepoRoot.ReadAllText(".dockerignore").Split('\n'));
    }

    [Fact]
    public void The_dockerfile_restores_from_the_project_files_alone_before_copying_the_sources_on_pinned_images()
    {
        var lines = RepoRoot.ReadAllText("Dockerfile").Split('\n');
        int Index(string prefix) => Array.FindIndex(lines, l => l.StartsWith(prefix, StringComparison.Ordinal));

        // Every project the host builds from is copied, as its project file only, before the restore.
        var projects = Directory.GetFiles(Path.Combine(RepoRoot.Path, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(RepoRoot.Path, p).Replace('\\', '/')).Order().ToList();
        var restore = Index("RUN dotnet restore src/CrmPulse/CrmPulse.csproj");
        var copiedBefore = lines[..restore].Where(l => l.StartsWith("COPY src/", StringComparison.Ordinal)).ToList();
        Assert.Equal(projects.Select(p => $"COPY {p} {p[..(p.LastIndexOf('/') + 1)]}"), copiedBefore.Order());
        Assert.True(restore < Index("COPY src/ src/") && Index("COPY src/ src/") < Index("RUN dotnet publish"));
        Assert.EndsWith("--no-restore", lines[Index("RUN dotnet publish")]);
        // Pinned: a patch version, never a floating 10.0 or latest.
        var images = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, images.Count);
        Assert.All(images, l => Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/(sdk|aspnet):\d+\.\d+\.\d+-[a-z]+( AS build)?$", l));
    }

    /// <summary>docker-compose (Debian's package validates without a Docker engine); ./test.sh installs it.</summary>
    private static string RequireCompose() => Tools.Require("docker-compose", "docker-compose");
}
