using System.Text;
using System.Text.RegularExpressions;
using CrmPulse.Options;
using CrmPulse.Reports;
using CrmPulse.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace CrmPulse.Tests.Docs;

/// <summary>The README's Reports example binds and validates, with the secrets the README says come from the environment.</summary>
public sealed partial class ReadmeReportsConfigTests
{
    [Fact]
    public void The_readme_reports_example_is_valid_with_its_secrets_from_the_environment()
    {
        var readme = RepoRoot.ReadAllText("README.md");
        var json = JsonBlock().Match(readme[readme.IndexOf("**Scheduled delivery.**", StringComparison.Ordinal)..]).Groups[1].Value;
        var config = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)))
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                // As CRMPULSE__REPORTS__SMTP__PASSWORD and CRMPULSE__REPORTS__SCHEDULES__1__SLACKWEBHOOKURL would give them.
                ["CrmPulse:Reports:Smtp:Password"] = "made-up-password",
                ["CrmPulse:Reports:Schedules:1:SlackWebhookUrl"] = "https://hooks.example.test/services/made-up",
            }).Build();

        var result = OptionsLoader.Load(config);

        Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors));
        Assert.Equal(["monthly", "weekly-slack"], result.Options.Reports.Schedules.Select(s => s.Name));
        Assert.Equal((SmtpSecurity.StartTls, 587), (result.Options.Reports.Smtp.Security, result.Options.Reports.Smtp.Port));
        Assert.Equal("week", result.Options.Reports.Schedules[1].Period);
    }

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
