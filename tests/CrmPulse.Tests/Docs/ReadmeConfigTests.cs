using CrmPulse.Tests.Support;
using System.Text;
using System.Text.RegularExpressions;
using CrmPulse.Options;
using Microsoft.Extensions.Configuration;

namespace CrmPulse.Tests.Docs;

/// <summary>The README's configuration example binds and validates, so the documented keys cannot rot.</summary>
public sealed partial class ReadmeConfigTests
{
    [Fact]
    public void The_readme_configuration_example_is_valid()
    {
        var readme = RepoRoot.ReadAllText("README.md");
        var json = JsonBlock().Match(readme[readme.IndexOf("## Configuration", StringComparison.Ordinal)..]).Groups[1].Value;
        var exports = Directory.CreateTempSubdirectory("crmpulse-readme-").FullName;
        try
        {
            json = json.Replace("/srv/crm-exports", exports.Replace("\\", "\\\\"));
            var config = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

            var result = OptionsLoader.Load(config);

            Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors));
            Assert.Equal(["demo", "exports"], result.Sources.Select(s => s.Name));
            Assert.Equal("cron 0 0 * * * ?", result.Sources[1].SyncSchedule);
            Assert.Equal(["email", "phone", "customer_tier"], result.Sources[1].KpiOptions.FieldsFor("contact"));
        }
        finally
        {
            Directory.Delete(exports);
        }
    }

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
