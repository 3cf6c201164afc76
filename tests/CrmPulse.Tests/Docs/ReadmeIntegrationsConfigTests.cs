using System.Text;
using System.Text.RegularExpressions;
using CrmPulse.Options;
using CrmPulse.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace CrmPulse.Tests.Docs;

/// <summary>The README's Integrations and Targets example binds and validates.</summary>
public sealed partial class ReadmeIntegrationsConfigTests
{
    [Fact]
    public void The_readme_integrations_and_targets_example_is_valid()
    {
        var readme = RepoRoot.ReadAllText("README.md");
        var json = JsonBlock().Match(readme[readme.IndexOf("### Integrations and targets", StringComparison.Ordinal)..]).Groups[1].Value;
        var config = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

        var result = OptionsLoader.Load(config);

        Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors));
        Assert.Equal(["billing", "webshop"], result.Options.Integrations.Select(i => i.Name));
        Assert.Equal(2, result.Options.Targets.Count);
        Assert.Equal("webshop", Assert.Single(result.Sources[0].KpiOptions.Integrations).Integration);
    }

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
