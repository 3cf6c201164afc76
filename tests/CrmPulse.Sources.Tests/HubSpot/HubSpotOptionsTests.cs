using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CrmPulse.Sources.HubSpot;

namespace CrmPulse.Sources.Tests.HubSpot;

/// <summary>Options validation, and the README's settings that cannot rot.</summary>
public sealed class HubSpotOptionsTests
{
    private static string Readme()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "CrmPulse.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        return System.IO.File.ReadAllText(Path.Combine(dir.FullName, "src", "CrmPulse.Sources", "HubSpot", "README.md"));
    }

    [Fact]
    public void Defaults_are_valid()
    {
        Assert.Empty(new HubSpotSourceOptions().Validate());
    }

    [Fact]
    public void Every_problem_is_reported_with_its_key()
    {
        var options = new HubSpotSourceOptions
        {
            BaseUrl = "api.hubapi.com",
            TokenEnv = null,
            PageSize = 101,
            SearchPageSize = 0,
            SearchRequestsPerSecond = 6,
            DailyShare = 1.5,
            MaxRetries = -1,
        };

        var problems = options.Validate();

        Assert.Equal([
            "BaseUrl: 'api.hubapi.com' is not an absolute http(s) URL.",
            "TokenEnv or TokenFile: one is required (the private-app token is never written in the configuration).",
            "PageSize must be 1 to 100, was 101.",
            "SearchPageSize must be 1 to 200, was 0.",
            "SearchRequestsPerSecond must be above 0 and at most 5 (HubSpot's search limit), was 6.",
            "DailyShare must be above 0 and at most 1, was 1.5.",
            "MaxRetries must be 0 to 20, was -1.",
        ], problems);
    }

    [Fact]
    public void Readme_fragment_binds_and_validates_and_the_table_lists_every_setting()
    {
        var text = Readme();
        var start = text.IndexOf("```json", StringComparison.Ordinal) + "```json".Length;
        var entry = JsonNode.Parse(text[start..text.IndexOf("```", start, StringComparison.Ordinal)])!.AsObject();
        Assert.Equal("HubSpot", (string?)entry["Kind"]);
        foreach (var common in new[] { "Name", "Kind", "SyncEvery" }) entry.Remove(common);

        var options = entry.Deserialize<HubSpotSourceOptions>(new JsonSerializerOptions { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow })!;

        Assert.Empty(options.Validate());
        Assert.Equal(["customer_tier"], options.CustomFields["contact"]);
        foreach (var property in typeof(HubSpotSourceOptions).GetProperties())
            Assert.Contains($"| `{property.Name}", text);
    }

    [Fact]
    public async Task A_token_file_wins_over_the_environment_and_its_first_line_is_the_token()
    {
        using var h = new HubSpotHarness();
        var file = Path.GetTempFileName();
        try
        {
            System.IO.File.WriteAllText(file, FakeHubSpot.Token + "\n# rotated 2024-11-01\n");
            h.Options.TokenEnv = "CRMPULSE_TEST_HUBSPOT_TOKEN_NOT_SET";
            h.Options.TokenFile = file;

            var changes = await h.Source.PullAsync(new Dictionary<string, string>(), CancellationToken.None);

            Assert.Equal(0, changes.ApiUsage!.Errors); // every request was authorised
        }
        finally
        {
            System.IO.File.Delete(file);
        }
    }
}
