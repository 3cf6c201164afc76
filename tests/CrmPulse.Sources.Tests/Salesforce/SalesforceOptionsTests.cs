using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CrmPulse.Sources.Salesforce;

namespace CrmPulse.Sources.Tests.Salesforce;

/// <summary>Options validation, and the README's settings that cannot rot.</summary>
public sealed class SalesforceOptionsTests
{
    private static string Readme()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "CrmPulse.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        return System.IO.File.ReadAllText(Path.Combine(dir.FullName, "src", "CrmPulse.Sources", "Salesforce", "README.md"));
    }

    [Fact]
    public void Defaults_need_only_the_orgs_my_domain()
    {
        // The default flow (client credentials) is not served by login.salesforce.com: the one setting to give.
        Assert.Equal(["Auth:LoginUrl: the ClientCredentials flow needs the org's My Domain URL (such as https://acme.my.salesforce.com), not 'https://login.salesforce.com'."],
            new SalesforceSourceOptions().Validate());
        Assert.Empty(new SalesforceSourceOptions { Auth = { LoginUrl = "https://acme.my.salesforce.com" } }.Validate());
    }

    [Fact]
    public void Every_problem_is_reported_with_its_key()
    {
        var options = new SalesforceSourceOptions
        {
            Auth = new SalesforceAuthOptions { LoginUrl = "login.salesforce.com", ClientSecretEnv = null },
            ApiVersion = "62",
            CustomFields = { ["contact"] = ["Tier__c", "Bad Field"] },
            LeadCustomFields = ["Lead_Tier__c"],
            DailyShare = 0,
            BatchSize = 5000,
            DeletionWindow = TimeSpan.FromDays(45),
            LoginHistoryDays = 0,
            MaxRetries = 21,
        };

        var problems = options.Validate();

        Assert.Equal([
            "Auth:LoginUrl: 'login.salesforce.com' is not an absolute http(s) URL such as https://login.salesforce.com.",
            "Auth:ClientSecretEnv or ClientSecretFile: one is required by the ClientCredentials flow (the secret is never written in the configuration).",
            "ApiVersion: '62' must look like v62.0.",
            "CustomFields:contact: 'Bad Field' is not a Salesforce field API name (letters, digits, '_', e.g. Tier__c).",
            "LeadCustomFields must name one Lead field per CustomFields:contact field (2) or be empty, had 1.",
            "DailyShare must be above 0 and at most 1, was 0.",
            "BatchSize must be 200 to 2000, was 5000.",
            "DeletionWindow must be 1 to 30 days (getDeleted's limit), was 45.00:00:00.",
            "LoginHistoryDays must be 1 to 180, was 0.",
            "MaxRetries must be 0 to 20, was 21.",
        ], problems);
    }

    [Fact]
    public void Invalid_options_are_refused_when_the_source_is_created()
    {
        var e = Assert.Throws<ArgumentException>(() => new SalesforceSource("sf", new SalesforceSourceOptions { ApiVersion = "latest", Auth = { LoginUrl = "https://acme.my.salesforce.com" } }, TimeProvider.System));

        Assert.StartsWith("Salesforce source 'sf': invalid options: ApiVersion: 'latest' must look like v62.0.", e.Message);
    }

    [Fact]
    public void Readme_fragment_binds_and_validates_and_the_table_lists_every_setting()
    {
        var text = Readme();
        var start = text.IndexOf("```json", StringComparison.Ordinal) + "```json".Length;
        var entry = JsonNode.Parse(text[start..text.IndexOf("```", start, StringComparison.Ordinal)])!.AsObject();
        Assert.Equal("Salesforce", (string?)entry["Kind"]);
        Assert.Equal("Loss_Reason__c", (string?)entry["Pipeline"]!["LostReasonField"]);
        Assert.Null(SalesforceSource.CheckLostReasonField("Loss_Reason__c"));
        foreach (var common in new[] { "Name", "Kind", "SyncEvery", "Pipeline" }) entry.Remove(common);

        var options = entry.Deserialize<SalesforceSourceOptions>(new JsonSerializerOptions { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow })!;

        Assert.Empty(options.Validate());
        Assert.Equal(["Tier__c"], options.CustomFields["contact"]);
        foreach (var property in typeof(SalesforceSourceOptions).GetProperties().Where(p => p.Name != nameof(SalesforceSourceOptions.Auth)))
            Assert.Contains($"| `{property.Name}", text);
        foreach (var property in typeof(SalesforceAuthOptions).GetProperties())
            Assert.Contains($"`Auth:{property.Name}`", text);
    }

    [Fact]
    public async Task A_secret_file_wins_over_the_environment_and_its_first_line_is_the_secret()
    {
        using var h = new SalesforceHarness();
        var file = Path.GetTempFileName();
        try
        {
            System.IO.File.WriteAllText(file, FakeSalesforce.ClientSecret + "\n# rotated 2024-11-01\n");
            h.Options.Auth.ClientSecretEnv = "CRMPULSE_TEST_SALESFORCE_SECRET_NOT_SET";
            h.Options.Auth.ClientSecretFile = file;

            var changes = await h.Source.PullAsync(new Dictionary<string, string>(), CancellationToken.None);

            Assert.Equal((1, 0), (h.Server.TokensIssued, changes.ApiUsage!.Errors));
        }
        finally
        {
            System.IO.File.Delete(file);
        }
    }
}
