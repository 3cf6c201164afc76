using System.Text;
using System.Text.RegularExpressions;
using CrmPulse.Options;
using CrmPulse.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace CrmPulse.Tests.Docs;

/// <summary>The README's reconciliation example binds and validates.</summary>
public sealed partial class ReadmeReconciliationConfigTests
{
    [Fact]
    public void The_readme_reconciliation_example_is_valid()
    {
        var readme = RepoRoot.ReadAllText("README.md");
        var json = JsonBlock().Matches(readme[readme.IndexOf("## Reconciliation between two sources", StringComparison.Ordinal)..])
            .Select(m => m.Groups[1].Value).First(b => b.Contains("\"Reconciliation\"", StringComparison.Ordinal));
        // The export folder of the example, made real for the File source's start-up check.
        var folder = Directory.CreateTempSubdirectory("crmpulse-readme-").FullName;
        json = json.Replace("/data/legacy-export", folder, StringComparison.Ordinal);
        var config = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

        var result = OptionsLoader.Load(config);
        Directory.Delete(folder);

        Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors));
        var pair = Assert.Single(result.Options.Reconciliation).ToPair();
        Assert.Equal(("migration", "legacy", "hubspot"), (pair.Name, pair.OldSource, pair.NewSource));
        Assert.Equal("legacy_id", pair.Objects["deal"].ExternalIdField);
    }

    [Fact]
    public void The_readme_sync_lag_rule_is_a_valid_rule_on_a_catalog_kpi()
    {
        var readme = RepoRoot.ReadAllText("README.md");
        var json = JsonBlock().Match(readme[readme.IndexOf("An alert rule for a growing lag", StringComparison.Ordinal)..]).Groups[1].Value;

        var result = CrmPulse.Alerts.AlertRulesFile.Parse(json, "README.md");

        Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors));
        var rule = Assert.Single(result.Rules!.Rules);
        Assert.Equal(("sync-lag-growing", "sync_pending_age_max"), (rule.Name, rule.Kpi));
    }

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
