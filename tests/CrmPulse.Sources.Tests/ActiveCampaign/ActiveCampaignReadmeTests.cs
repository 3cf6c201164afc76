using System.Text.Json;
using System.Text.RegularExpressions;
using CrmPulse.Sources.ActiveCampaign;

namespace CrmPulse.Sources.Tests.ActiveCampaign;

/// <summary>The README's settings table and example cannot drift from the options class.</summary>
public sealed partial class ActiveCampaignReadmeTests
{
    private static string Readme()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "CrmPulse.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        return System.IO.File.ReadAllText(Path.Combine(dir.FullName, "src", "CrmPulse.Sources", "ActiveCampaign", "README.md"));
    }

    [Fact]
    public void Every_setting_is_in_the_readme_table_with_its_default()
    {
        var readme = Readme();
        foreach (var p in typeof(ActiveCampaignSourceOptions).GetProperties())
            Assert.Contains($"`{p.Name}`", readme);
        var defaults = new ActiveCampaignSourceOptions();
        Assert.Contains($"| `PageSize` | {defaults.PageSize} |", readme);
        Assert.Contains($"| `RequestsPerSecond` | {defaults.RequestsPerSecond} |", readme);
        Assert.Contains($"| `Overlap` | {defaults.Overlap:c} |", readme);
        Assert.Contains($"| `MaxRetries` / `RetryDelay` | {defaults.MaxRetries} / {defaults.RetryDelay:c} |", readme);
        Assert.Contains($"| `RequestTimeout` | {defaults.RequestTimeout:c} |", readme);
        Assert.Contains($"| `TokenEnv` / `TokenFile` | `{defaults.TokenEnv}` / none |", readme);
    }

    [Fact]
    public void The_readme_example_is_valid()
    {
        var json = JsonBlock().Match(Readme()).Groups[1].Value;
        var options = JsonSerializer.Deserialize<ActiveCampaignSourceOptions>(json)!;

        Assert.Equal("https://museum.api-us1.com", options.BaseUrl);
        Assert.Empty(options.Validate());
    }

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
