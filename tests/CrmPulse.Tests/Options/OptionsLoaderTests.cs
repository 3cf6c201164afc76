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
        Assert.Equal("CrmPulse:Sources:0:Kind 'Pipedrive' is not a known kind (known: Demo, File, HubSpot, Salesforce, ActiveCampaign).", error);
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
    public void A_sources_dedupe_extra_fields_bind_into_the_kpi_options()
    {
        var result = Load(("CrmPulse:Sources:0:Name", "demo"), ("CrmPulse:Sources:0:Kind", "Demo"),
            ("CrmPulse:Sources:0:Dedupe:ExtraFields:occupation", "text"), ("CrmPulse:Sources:0:Dedupe:ExtraFields:gender", "Exact"));

        Assert.Empty(result.Errors);
        var dedupe = Assert.Single(result.Sources).KpiOptions.Dedupe;
        Assert.Equal(new Dictionary<string, string> { ["gender"] = "Exact", ["occupation"] = "text" }, dedupe.ExtraFields);
        Assert.Equal("text", dedupe.ExtraFields["Occupation"]); // keys as configuration compares them: any case
    }

    [Fact]
    public void Bad_dedupe_extra_fields_are_named_with_their_key()
    {
        var result = Load(("CrmPulse:Sources:0:Name", "demo"), ("CrmPulse:Sources:0:Kind", "Demo"),
            ("CrmPulse:Sources:0:Dedupe:ExtraFields:gender", "bool"), ("CrmPulse:Sources:0:Dedupe:ExtraFields:city", "text"));

        Assert.Equal(
        [
            "CrmPulse:Sources:0:Dedupe:ExtraFields:city: 'city' is compared already (a standard field); extra fields are other custom fields.",
            "CrmPulse:Sources:0:Dedupe:ExtraFields:gender must be exact, text or date, was 'bool'.",
        ], result.Errors);
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
    [InlineData("CrmPulse:Sources:0:DataQuality:PhoneRegion", "UK", "CrmPulse:Sources:0:DataQuality:PhoneRegion must be an ISO 3166-1 alpha-2 region code in upper case that libphonenumber knows (e.g. US, GB, DE), was 'UK'.")]
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
    public void Crons_are_in_utc_unless_a_known_CronTimeZone_is_given_and_an_unknown_one_is_named()
    {
        Assert.Equal(TimeZoneInfo.Utc.Id, Load().Options.CronZone.Id);
        var berlin = Load(("CrmPulse:CronTimeZone", "Europe/Berlin"));
        Assert.Empty(berlin.Errors);
        Assert.Equal("Europe/Berlin", berlin.Options.CronZone.Id);

        var unknown = Load(("CrmPulse:CronTimeZone", "Mars/Olympus"), ("CrmPulse:Sources:0:Name", "demo"), ("CrmPulse:Sources:0:Kind", "Demo"),
            ("CrmPulse:Sources:0:SyncCron", "0 0 3 * * ?"));
        Assert.Equal(["CrmPulse:CronTimeZone 'Mars/Olympus' is not a known time zone (use an IANA id such as 'Europe/Berlin' or 'UTC')."], unknown.Errors);
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

    // Made up for the tests: 64 hex digits, as `openssl rand -hex 32` prints.
    internal const string KeyA = "3f9c2a7e5b1d08c4a6e2f7b9d3c1a5e8f0b4d6c2a9e7f1b3d5c8a0e2f4b6d9c1";
    internal const string KeyB = "a1c3e5f7b9d2c4e6a8f0b2d4c6e8a0f1b3d5c7e9a2f4b6d8c0e1a3f5b7d9c2e4";

    [Theory]
    [InlineData("urls", "http://0.0.0.0:5080")]
    [InlineData("urls", "http://*:5080")]
    [InlineData("urls", "http://+:5080")]
    [InlineData("urls", "http://[::]:5080")]
    [InlineData("urls", "http://crm.example.com:5080")]
    [InlineData("Kestrel:Endpoints:Http:Url", "http://0.0.0.0:5099")]
    public void Listening_beyond_loopback_without_an_api_key_is_refused_naming_the_key(string key, string url)
    {
        var result = Load((key, url));

        Assert.Contains($"{key}: '{url}' listens beyond loopback but no API key is configured (set CRMPULSE__API__APIKEYS__0 or CrmPulse:Api:ApiKeysFile; make a key with `openssl rand -hex 32`).", result.Errors);
    }

    [Fact]
    public void Http_ports_listen_on_every_interface()
    {
        var result = Load(("http_ports", "8080"));

        Assert.Contains(result.Errors, e => e.StartsWith("http_ports: 'http://*:8080' listens beyond loopback", StringComparison.Ordinal));
    }

    [Fact]
    public void Kestrel_endpoints_replace_urls_so_a_loopback_urls_does_not_hide_them()
    {
        var result = Load(("urls", "http://127.0.0.1:5080"), ("Kestrel:Endpoints:Public:Url", "http://0.0.0.0:5099"), ("Kestrel:Endpoints:Admin:Url", "http://localhost:5098"));

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("Kestrel:Endpoints:Public:Url: 'http://0.0.0.0:5099' listens beyond loopback", error);
    }

    [Fact]
    public void A_kestrel_endpoint_without_a_url_is_named()
    {
        var result = Load(("Kestrel:Endpoints:Http:Protocols", "Http1"));

        Assert.Contains("Kestrel:Endpoints:Http:Url is required: Kestrel cannot bind endpoint 'Http' without a URL.", result.Errors);
    }

    [Fact]
    public void Listening_beyond_loopback_with_an_api_key_is_allowed()
    {
        var result = Load(("urls", "http://0.0.0.0:5080"), ("CrmPulse:Api:ApiKeys:0", KeyA));

        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Api_keys_are_read_from_a_file_skipping_comments_and_blank_lines()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, $"# ops team\n{KeyA}\n\n  {KeyB}  \n");
            var result = Load(("CrmPulse:Api:ApiKeysFile", file));

            Assert.Empty(result.Errors);
            Assert.Equal([KeyA, KeyB], result.Options.Api.ApiKeys);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("secret", "the API key has 6 characters; at least 32 are needed (make one with `openssl rand -hex 32`).")]
    [InlineData("k-0123456789abcdef", "the API key has 18 characters; at least 32 are needed (make one with `openssl rand -hex 32`).")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "the API key uses only 1 different character(s); at least 8 are needed, a random key has them (make one with `openssl rand -hex 32`).")]
    [InlineData("passwordpasswordpasswordpassword", "the API key uses only 7 different character(s); at least 8 are needed, a random key has them (make one with `openssl rand -hex 32`).")]
    public void Short_or_low_variety_api_keys_are_refused_by_their_place_never_their_value(string key, string problem)
    {
        var result = Load(("CrmPulse:Api:ApiKeys:0", KeyA), ("CrmPulse:Api:ApiKeys:1", key));

        Assert.Equal($"CrmPulse:Api:ApiKeys:1: {problem}", Assert.Single(result.Errors));
    }

    [Fact]
    public void A_weak_key_in_the_keys_file_is_named_by_its_line()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, $"# ops\n{KeyA}\n0000000000000000\n");
            var error = Assert.Single(Load(("CrmPulse:Api:ApiKeysFile", file)).Errors);

            Assert.Equal($"CrmPulse:Api:ApiKeysFile: '{file}' line 3: the API key has 16 characters; at least 32 are needed (make one with `openssl rand -hex 32`).", error);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("0 0 0 30 2 ?", true)]
    [InlineData("0 0 12 1 1 ? 2020", true)]
    [InlineData("0 0 12 29 2 ?", false)]
    [InlineData("0 0/10 * * * ?", false)]
    public void A_cron_that_never_fires_is_named_by_its_key(string cron, bool never)
    {
        var clock = new Support.FakeClock(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero));
        var result = OptionsLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CrmPulse:Sources:0:Name"] = "demo", ["CrmPulse:Sources:0:Kind"] = "Demo", ["CrmPulse:Sources:0:KpiCron"] = cron,
        }).Build(), clock);

        if (never) Assert.Equal($"CrmPulse:Sources:0:KpiCron '{cron}' never fires after 2026-03-10 12:00 UTC (a day that does not exist, such as 30 February, or a year that is past).", Assert.Single(result.Errors));
        else Assert.Empty(result.Errors);
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
    [InlineData("http://localhost.example.com:5080", false)]
    public void Loopback_addresses_are_recognised(string url, bool loopback) =>
        Assert.Equal(loopback, CrmPulse.Hosting.ListenAddresses.IsLoopback(url));

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
