using System.Text.RegularExpressions;
using CrmPulse.Alerts;
using CrmPulse.Core.Alerts;
using CrmPulse.Options;
using CrmPulse.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace CrmPulse.Tests.Alerts;

public sealed partial class AlertOptionsTests
{
    private static OptionsLoader.Result Load(params (string Key, string? Value)[] settings) =>
        OptionsLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void The_default_rules_file_ships_next_to_the_binary_and_is_valid()
    {
        var loaded = AlertRulesFile.Load(null);

        Assert.Empty(loaded.Errors);
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "default-alert-rules.json"), loaded.Path);
        var rules = loaded.Rules!.Rules;
        Assert.Equal(["adoption-drop", "data-quality-drop", "integration-down", "source-sync-stale", "sync-lag-growing"], rules.Select(r => r.Name));
        var drop = rules[0];
        Assert.Equal((AlertKind.Drop, "weekly_active_ratio", TimeSpan.FromDays(7), 8, 4, 0.3), (drop.Kind, drop.Kpi, drop.Period, drop.Periods, drop.MinPeriods!.Value, drop.Threshold!.Value));
        Assert.Equal(new Dictionary<string, string> { ["team"] = "*" }, drop.Dimensions);
        Assert.Equal((AlertKind.Below, TimeSpan.FromMinutes(5), "critical"), (rules[2].Kind, rules[2].For, rules[2].Severity));
        Assert.Equal((AlertKind.Absent, AlertRule.SyncKpi, TimeSpan.FromHours(1)), (rules[3].Kind, rules[3].Kpi, rules[3].StaleAfter!.Value));
        Assert.Equal((AlertKind.Above, "sync_pending_age_max", 60.0, TimeSpan.FromMinutes(15)), (rules[4].Kind, rules[4].Kpi, rules[4].Threshold!.Value, rules[4].For));
        Assert.Equal(new Dictionary<string, string> { ["object"] = "*" }, rules[4].Dimensions);
    }

    [Fact]
    public void The_readme_rules_example_is_valid()
    {
        var readme = RepoRoot.ReadAllText("README.md");
        var section = readme[readme.IndexOf("A rules file (JSON", StringComparison.Ordinal)..];
        var json = CodeBlock().Match(section).Groups[1].Value;

        var loaded = AlertRulesFile.Parse(json, "README");

        Assert.Empty(loaded.Errors);
        Assert.Equal(["adoption-drop", "duplicates-rising", "overdue-tasks", "crm-silent"], loaded.Rules!.Rules.Select(r => r.Name));
        Assert.Equal([new DateOnly(2026, 12, 25), new DateOnly(2026, 12, 26)], loaded.Rules.Holidays);
        Assert.Equal((TimeSpan.FromDays(1), TimeSpan.FromHours(2)), (loaded.Rules.Rules[0].RemindEvery!.Value, loaded.Rules.Rules[2].For));
    }

    [Fact]
    public void A_yaml_rules_file_reads_like_the_json_one()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("crmpulse-rules-").FullName, "rules.yml");
        File.WriteAllText(file, """
            # YAML: the same names as JSON
            holidays: [2026-12-25]
            rules:
              - name: adoption-drop
                kind: drop
                kpi: weekly_active_ratio
                dimensions: { team: "*" }
                period: 7d
                periods: 8
                threshold: 0.3
                skipQuietDays: false
                labels: { owner: revops }
                summary: "Adoption drop in {{team}}: {{value}}"
              - name: crm-silent
                kind: absent
                kpi: "@sync"
                staleAfter: 30m
                severity: critical
            """);
        try
        {
            var loaded = AlertRulesFile.Load(file);

            Assert.Empty(loaded.Errors);
            var (drop, silent) = (loaded.Rules!.Rules[0], loaded.Rules.Rules[1]);
            Assert.Equal([new DateOnly(2026, 12, 25)], loaded.Rules.Holidays);
            Assert.Equal((AlertKind.Drop, TimeSpan.FromDays(7), 8, 0.3, false, "*", "revops", "Adoption drop in {{team}}: {{value}}"),
                (drop.Kind, drop.Period, drop.Periods, drop.Threshold!.Value, drop.SkipQuietDays, drop.Dimensions["team"], drop.Labels["owner"], drop.Summary));
            Assert.Equal((AlertKind.Absent, "@sync", TimeSpan.FromMinutes(30), "critical"), (silent.Kind, silent.Kpi, silent.StaleAfter!.Value, silent.Severity));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    [Theory]
    [InlineData("""{"rules":[{"name":"a","kind":"drop","kpi":"x","threshold":0.2,"period":"soon"}]}""",
        "r.json: 'soon' is not a duration (use \"30s\", \"5m\", \"2h\", \"7d\" or \"d.hh:mm:ss\") Path: $.rules[0].period")]
    [InlineData("""{"rules":[{"name":"a","kind":"dip","kpi":"x"}]}""", "r.json: The JSON value could not be converted to CrmPulse.Core.Alerts.AlertKind. Path: $.rules[0].kind")]
    [InlineData("""{"rules":[{"name":"a","kind":"above","kpi":"x","threshold":1,"treshold":2}]}""", "r.json: The JSON property 'treshold' could not be mapped to any .NET member contained in type 'CrmPulse.Core.Alerts.AlertRule'.")]
    public void A_wrong_rules_file_is_refused_with_a_message_naming_the_place(string json, string expectedStart)
    {
        var loaded = AlertRulesFile.Parse(json, "r.json");

        Assert.Null(loaded.Rules);
        var error = Assert.Single(loaded.Errors);
        Assert.True(error.StartsWith(expectedStart, StringComparison.Ordinal), error);
    }

    [Fact]
    public async Task Check_config_lists_the_rules_file_and_the_webhooks_without_their_urls()
    {
        var output = new StringWriter();
        var (app, code) = await CrmPulse.Hosting.CrmPulseApp.BuildAsync(new CrmPulse.Hosting.CliArgs(CrmPulse.Hosting.CliCommand.CheckConfig, [], null, null),
            output, TextWriter.Null, c => c.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["CrmPulse:Alerts:Webhooks:0:Name"] = "ops", ["CrmPulse:Alerts:Webhooks:0:Url"] = "https://hooks.example.com/T0/secret",
                ["CrmPulse:Alerts:Webhooks:1:Name"] = "cs", ["CrmPulse:Alerts:Webhooks:1:Url"] = "https://hooks.example.com/T1/secret",
                ["CrmPulse:Alerts:Webhooks:1:Format"] = "Slack", ["CrmPulse:Alerts:Webhooks:1:Teams:0"] = "Customer Success",
            }));

        Assert.Null(app);
        Assert.Equal(0, code);
        Assert.Contains($"Alerts: 5 rule(s) from {AlertRulesFile.DefaultPath}; webhooks: ops (Json), cs (Slack, teams Customer Success)", output.ToString());
        Assert.DoesNotContain("secret", output.ToString());
    }

    [Fact]
    public void Webhook_settings_are_validated_with_their_keys()
    {
        var result = Load(("CrmPulse:Alerts:Webhooks:0:Name", "ops"), ("CrmPulse:Alerts:Webhooks:0:Url", "ftp://x"),
            ("CrmPulse:Alerts:Webhooks:0:MaxAttempts", "0"), ("CrmPulse:Alerts:Webhooks:0:Channel", "#ops"),
            ("CrmPulse:Alerts:Webhooks:1:Name", "OPS"), ("CrmPulse:Alerts:Webhooks:1:Url", "https://hooks.example.com/x"),
            ("CrmPulse:Alerts:Rules", "x"));

        Assert.Equal(
        [
            "CrmPulse:Alerts:Rules is not a known setting (known: KeepResolvedFor, RulesPath, Webhooks).",
            "CrmPulse:Alerts:Webhooks:0:Channel is not a known setting (known: Format, MaxAttempts, Name, RetryDelay, Teams, Timeout, Url).",
            "CrmPulse:Alerts:Webhooks:0:Url must be an absolute http or https URL.",
            "CrmPulse:Alerts:Webhooks:0:MaxAttempts must be between 1 and 20, was 0.",
            "CrmPulse:Alerts:Webhooks: the name 'ops' is used more than once; names must be unique.",
        ], result.Errors);
    }

    [Fact]
    public void A_rules_file_with_a_bad_rule_stops_the_start_naming_the_rule()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("crmpulse-rules-").FullName, "rules.json");
        File.WriteAllText(file, """
            // comments and trailing commas are fine
            { "rules": [ { "name": "slow", "kind": "absent", "kpi": "records", "summary": "{{team}} is quiet" }, ] }
            """);
        try
        {
            var result = Load(("CrmPulse:Alerts:RulesPath", file));

            Assert.Equal(
            [
                $"CrmPulse:Alerts:RulesPath: {file}: rules[0] (slow): staleAfter (a positive duration) is required for kind absent.",
                $"CrmPulse:Alerts:RulesPath: {file}: rules[0] (slow): summary: unknown placeholder {{{{team}}}} (known: baseline, change, kpi, rule, severity, since, source, value)",
            ], result.Errors);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    [GeneratedRegex("```\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
