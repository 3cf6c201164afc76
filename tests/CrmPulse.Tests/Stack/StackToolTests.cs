using CrmPulse.Tests.Support;
using YamlDotNet.RepresentationModel;

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
        // The cluster profile's three nodes are scraped too (by their service names, so they are targets only while it runs).
        var scrape = new YamlStream();
        scrape.Load(new StringReader(RepoRoot.ReadAllText("prometheus", "prometheus.yml")));
        var jobs = ((YamlSequenceNode)((YamlMappingNode)scrape.Documents[0].RootNode)["scrape_configs"]).Children.Cast<YamlMappingNode>()
            .ToDictionary(j => ((YamlScalarNode)j["job_name"]).Value!);
        var dns = (YamlMappingNode)((YamlSequenceNode)jobs["crmpulse-cluster"]["dns_sd_configs"]).Children.Single();
        Assert.Equal(["crmpulse-node1", "crmpulse-node2", "crmpulse-node3"], ((YamlSequenceNode)dns["names"]).Children.Select(n => ((YamlScalarNode)n).Value));
        Assert.Equal("8080", ((YamlScalarNode)dns["port"]).Value);
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
    public async Task The_cluster_profile_runs_postgresql_and_three_nodes_on_it_with_the_connection_string_from_a_secret_file()
    {
        var (code, stdout, stderr) = await Tools.RunAsync(RequireCompose(),
            $"--project-directory {RepoRoot.Path} -f {Path.Combine(RepoRoot.Path, "docker-compose.yml")} --env-file {Path.Combine(RepoRoot.Path, ".env.example")} --profile cluster config");

        Assert.True(code == 0, stdout + stderr);
        var yaml = new YamlStream();
        yaml.Load(new StringReader(stdout));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var services = (YamlMappingNode)root["services"];
        YamlMappingNode Service(string name) => (YamlMappingNode)services[name];
        static string Text(YamlNode node) => ((YamlScalarNode)node).Value!;
        static List<string> Texts(YamlNode node) => ((YamlSequenceNode)node).Children.Select(Text).ToList();

        // Outside the profile the stack is as before: one CrmPulse on its SQLite volume.
        Assert.False(Service("crmpulse").Children.ContainsKey("profiles"));
        foreach (var name in new[] { "postgres", "crmpulse-node1", "crmpulse-node2", "crmpulse-node3" })
            Assert.Equal(["cluster"], Texts(Service(name)["profiles"]));
        var postgres = Service("postgres");
        Assert.Equal("/run/secrets/postgres-password", Text(((YamlMappingNode)postgres["environment"])["POSTGRES_PASSWORD_FILE"]));
        for (var n = 1; n <= 3; n++)
        {
            var node = Service($"crmpulse-node{n}");
            var env = ((YamlMappingNode)node["environment"]).Children.ToDictionary(p => Text(p.Key), p => Text(p.Value));
            Assert.Equal("PostgreSql", env["CRMPULSE__STORE__PROVIDER"]);
            Assert.Equal("/run/secrets/crmpulse-db", env["CRMPULSE__STORE__CONNECTIONSTRINGFILE"]);
            Assert.False(env.ContainsKey("CRMPULSE__STORE__CONNECTIONSTRING"));
            Assert.Equal("true", env["CRMPULSE__CLUSTER__ENABLED"]);
            Assert.Equal($"node{n}", env["CRMPULSE__CLUSTER__NODENAME"]);
            Assert.Equal("demo-a", env["CRMPULSE__SOURCES__0__NAME"]);
            Assert.Equal("service_healthy", Text(((YamlMappingNode)((YamlMappingNode)node["depends_on"])["postgres"])["condition"]));
            Assert.Equal("crmpulse-db", Text(((YamlMappingNode)((YamlSequenceNode)node["secrets"]).Children.Single())["source"]));
            Assert.Equal([$"127.0.0.1:508{n}:8080/tcp"], Texts(node["ports"]));
        }
        // The secrets are files the README has the user create, in a folder git and the image never take.
        var secrets = (YamlMappingNode)root["secrets"];
        Assert.Equal(Path.Combine(RepoRoot.Path, "secrets", "crmpulse-db"), Text(((YamlMappingNode)secrets["crmpulse-db"])["file"]));
        Assert.Equal(Path.Combine(RepoRoot.Path, "secrets", "postgres-password"), Text(((YamlMappingNode)secrets["postgres-password"])["file"]));
        Assert.Contains("secrets/", RepoRoot.ReadAllText(".gitignore").Split('\n'));
        Assert.Contains("secrets/", RepoRoot.ReadAllText(".dockerignore").Split('\n'));
        Assert.DoesNotContain("Password=", RepoRoot.ReadAllText("docker-compose.yml"), StringComparison.OrdinalIgnoreCase);
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
