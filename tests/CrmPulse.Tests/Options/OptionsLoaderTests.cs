using Microsoft.Extensions.Configuration;
using CrmPulse.Options;

namespace CrmPulse.Tests.Options;

public sealed class OptionsLoaderTests
{
    private static OptionsLoader.Result Load(params (string Key, string? Value)[] settings) =>
        OptionsLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void No_configuration_runs_one_demo_source_with_the_default_store()
    {
        var result = Load();

        Assert.Empty(result.Errors);
        var source = Assert.Single(result.Sources);
        Assert.Equal("demo", source.Name);
        Assert.Equal("Demo", source.Kind.Name);
        Assert.Equal(TimeSpan.FromMinutes(1), source.SyncEvery);
        Assert.Equal(TimeSpan.FromMinutes(15), source.KpiEvery);
        Assert.Equal("data/crmpulse.db", result.Options.Store.Path);
    }

    [Fact]
    public void Unknown_kind_names_the_key_and_the_known_kinds()
    {
        var result = Load(("CrmPulse:Sources:0:Name", "crm"), ("CrmPulse:Sources:0:Kind", "Pipedrive"));

        var error = Assert.Single(result.Errors);
        Assert.Equal("CrmPulse:Sources:0:Kind 'Pipedrive' is not a known kind (known: Demo, File, HubSpot, Salesforce).", error);
    }

    [Fact]
    public void A_salesforce_source_binds_its_nested_auth_settings()
    {
        var result = Load(("CrmPulse:Sources:0:Name", "sf"), ("CrmPulse:Sources:0:Kind", "Salesforce"),
            ("CrmPulse:Sources:0:Auth:LoginUrl", "https://acme.my.salesforce.com"), ("CrmPulse:Sources:0:ApiVersion", "v61.0"),
            ("CrmPulse:Sources:0:CustomFields:contact:0", "Tier__c"));

        Assert.Empty(result.Errors);
        var options = Assert.IsType<CrmPulse.Sources.Salesforce.SalesforceSourceOptions>(Assert.Single(result.Sources).KindOptions);
        Assert.Equal(("https://acme.my.salesforce.com", "v61.0", "Tier__c"), (options.Auth.LoginUrl, options.ApiVersion, options.CustomFields["contact"][0]));
    }

    [Fact]
    public void An_unknown_or_invalid_nested_auth_setting_is_reported_with_its_key()
    {
        var result = Load(("CrmPulse:Sources:0:Name", "sf"), ("CrmPulse:Sources:0:Kind", "Salesforce"),
            ("CrmPulse:Sources:0:Auth:ClientSecret", "do-not-put-secrets-here"), ("CrmPulse:Sources:0:Auth:Flow", "Password"));

        Assert.Contains(result.Errors, e => e.StartsWith("CrmPulse:Sources:0:Auth:ClientSecret is not a known setting (known: AssertionLifetime, Audience, ClientIdEnv,", StringComparison.Ordinal));
        Assert.Contains("CrmPulse:Sources:0:Auth:Flow: 'Password' is not a known flow; use ClientCredentials or JwtBearer.", result.Errors);
        Assert.DoesNotContain(result.Errors, e => e.Contains("do-not-put-secrets-here", StringComparison.Ordinal)); // the value is never echoed
    }

    [Fact]
    public void A_malformed_interval_names_the_key()
    {
        var result = Load(("CrmPulse:Sources:0:Name", "demo"), ("CrmPulse:Sources:0:Kind", "Demo"), ("CrmPulse:Sources:0:SyncEvery", "five minutes"));

        Assert.Contains(result.Errors, e => e.Contains("CrmPulse:Sources:0:SyncEvery"));
    }

    [Theory]
    [InlineData("CrmPulse:Sources:0:SyncEvery", "00:00:01", "CrmPulse:Sources:0:SyncEvery must be at least 00:00:10, was 00:00:01.")]
    [InlineData("CrmPulse:Sources:0:KpiCron", "every day", "CrmPulse:Sources:0:KpiCron 'every day' is not a valid Quartz cron expression")]
    [InlineData("CrmPulse:Sources:0:Name", "Demo Org", "CrmPulse:Sources:0:Name 'Demo Org' may hold only lower-case letters")]
    [InlineData("CrmPulse:Sources:0:ContributorMinActivities", "0", "CrmPulse:Sources:0:ContributorMinActivities must be at least 1, was 0.")]
    [InlineData("CrmPulse:Sources:0:RequiredFields:lead:0", "email", "CrmPulse:Sources:0:RequiredFields:lead: unknown object (known: contact, company, deal).")]
    [InlineData("CrmPulse:Sources:0:Sync", "00:05:00", "CrmPulse:Sources:0:Sync is not a setting of a Demo source")]
    public void A_wrong_source_setting_is_reported_with_its_key(string key, string value, string expectedStart)
    {
        var settings = new List<(string, string?)> { ("CrmPulse:Sources:0:Name", "demo"), ("CrmPulse:Sources:0:Kind", "Demo") };
        settings.RemoveAll(s => s.Item1 == key);
        settings.Add((key, value));

        var result = Load([.. settings]);

        Assert.Contains(result.Errors, e => e.StartsWith(expectedStart, StringComparison.Ordinal));
    }

    [Fact]
    public void Both_interval_and_cron_is_an_error()
    {
        var result = Load(("CrmPulse:Sources:0:Name", "demo"), ("CrmPulse:Sources:0:Kind", "Demo"),
            ("CrmPulse:Sources:0:SyncEvery", "00:05:00"), ("CrmPulse:Sources:0:SyncCron", "0 0/5 * * * ?"));

        Assert.Contains("CrmPulse:Sources:0:SyncEvery and CrmPulse:Sources:0:SyncCron: give one of them, not both.", result.Errors);
    }

    [Fact]
    public void Duplicate_source_names_are_refused()
    {
        var result = Load(("CrmPulse:Sources:0:Name", "demo"), ("CrmPulse:Sources:0:Kind", "Demo"),
            ("CrmPulse:Sources:1:Name", "demo"), ("CrmPulse:Sources:1:Kind", "Demo"));

        Assert.Contains(result.Errors, e => e.StartsWith("CrmPulse:Sources: the name 'demo' is used by more than one source", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_is_listed_not_only_the_first()
    {
        var result = Load(("CrmPulse:Sources:0:Kind", "Nope"), ("CrmPulse:Sources:1:Name", "x"), ("CrmPulse:Store:Path", ""), ("CrmPulse:Bogus", "1"));

        Assert.Contains("CrmPulse:Sources:0:Name is required (it becomes the source tag).", result.Errors);
        Assert.Contains(result.Errors, e => e.StartsWith("CrmPulse:Sources:1:Kind is required", StringComparison.Ordinal));
        Assert.Contains("CrmPulse:Store:Path must not be empty.", result.Errors);
        Assert.Contains(result.Errors, e => e.StartsWith("CrmPulse:Bogus is not a known setting", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_alert_rules_file_stops_the_start_naming_the_key_and_the_file()
    {
        var result = Load(("CrmPulse:Alerts:RulesPath", "no-such-rules.json"));

        var error = Assert.Single(result.Errors);
        Assert.StartsWith($"CrmPulse:Alerts:RulesPath: cannot read the alert rules file '{Path.GetFullPath("no-such-rules.json")}'", error);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Listening_beyond_loopback_without_an_api_key_is_refused()
    {
        var result = Load(("urls", "http://0.0.0.0:5080"));

        Assert.Contains("urls: 'http://0.0.0.0:5080' listens beyond loopback but no API key is configured (set CRMPULSE__API__APIKEYS__0 or CrmPulse:Api:ApiKeysFile).", result.Errors);
    }

    [Fact]
    public void Listening_beyond_loopback_with_an_api_key_is_allowed()
    {
        var result = Load(("urls", "http://0.0.0.0:5080"), ("CrmPulse:Api:ApiKeys:0", "k-0123456789abcdef"));

        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Api_keys_are_read_from_a_file_skipping_comments_and_blank_lines()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "# ops team\nk-0123456789abcdef\n\n  k-fedcba9876543210  \n");
            var result = Load(("CrmPulse:Api:ApiKeysFile", file));

            Assert.Empty(result.Errors);
            Assert.Equal(["k-0123456789abcdef", "k-fedcba9876543210"], result.Options.Api.ApiKeys);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Short_api_keys_are_refused()
    {
        var result = Load(("CrmPulse:Api:ApiKeys:0", "secret"));

        Assert.Contains("CrmPulse:Api:ApiKeys: every API key must be at least 16 characters long.", result.Errors);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://127.0.0.2:1", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("https://127.0.0.1", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://+:5080", false)]
    [InlineData("http://[::]:5080", false)]
    [InlineData("http://10.0.0.5:5080", false)]
    [InlineData("http://crm.example.com", false)]
    public void Loopback_addresses_are_recognised(string url, bool loopback) =>
        Assert.Equal(loopback, OptionsLoader.IsLoopback(url));

    [Fact]
    public void Required_fields_replace_the_defaults_of_that_object_only()
    {
        var result = Load(("CrmPulse:Sources:0:Name", "demo"), ("CrmPulse:Sources:0:Kind", "Demo"),
            ("CrmPulse:Sources:0:RequiredFields:contact:0", "email"), ("CrmPulse:Sources:0:RequiredFields:contact:1", "customer_tier"));

        var options = Assert.Single(result.Sources).KpiOptions;
        Assert.Equal(["email", "customer_tier"], options.FieldsFor("contact"));
        Assert.Equal(["domain", "industry", "owner"], options.FieldsFor("company"));
    }
}
