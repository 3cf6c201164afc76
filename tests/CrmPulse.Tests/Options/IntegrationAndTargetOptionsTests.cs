using CrmPulse.Core.Kpis;
using CrmPulse.Options;
using Microsoft.Extensions.Configuration;

namespace CrmPulse.Tests.Options;

public sealed class IntegrationAndTargetOptionsTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["CrmPulse:Integrations:0:Name"] = "shop",
        ["CrmPulse:Integrations:0:ProbeUrl"] = "http://127.0.0.1:9/health",
        ["CrmPulse:Integrations:0:SourceField"] = "source",
        ["CrmPulse:Integrations:0:SourceValue"] = "Shopify",
        ["CrmPulse:Integrations:0:ExpectedEvery"] = "01:00:00",
        ["CrmPulse:Integrations:1:Name"] = "billing",
        ["CrmPulse:Integrations:1:ProbeUrl"] = "https://billing.example.com/health",
        ["CrmPulse:Integrations:1:ExpectedStatus"] = "2xx",
        ["CrmPulse:Targets:0:Kpi"] = "weekly_active_ratio",
        ["CrmPulse:Targets:0:Dimensions:team"] = "Sales",
        ["CrmPulse:Targets:0:Value"] = "0.85",
        ["CrmPulse:Targets:0:By"] = "2026-06-30",
        ["CrmPulse:Targets:0:Source"] = "demo",
    };

    private static OptionsLoader.Result Load(IEnumerable<KeyValuePair<string, string?>> settings) =>
        OptionsLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    private static OptionsLoader.Result LoadWith(string key, string? value)
    {
        var settings = new Dictionary<string, string?>(Valid);
        if (value is null) settings.Remove(key);
        else settings[key] = value;
        return Load(settings);
    }

    [Fact]
    public void A_valid_configuration_binds_with_defaults_and_gives_every_source_the_record_rules()
    {
        var result = Load(Valid);

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        var shop = result.Options.Integrations[0];
        Assert.Equal(("GET", "200", TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromHours(1)),
            (shop.Method, shop.ExpectedStatus, shop.Timeout, shop.Every, shop.Window));
        // Only shop names a source field; billing is probed only.
        Assert.Equal([new IntegrationFieldRule("shop", "source", "Shopify", TimeSpan.FromHours(1))], Assert.Single(result.Sources).KpiOptions.Integrations);
        var target = Assert.Single(result.Options.Targets);
        Assert.Equal(("weekly_active_ratio", 0.85, new DateOnly(2026, 6, 30), "demo", "Sales"), (target.Kpi, target.Value, target.By, target.Source, target.Dimensions["team"]));
    }

    [Theory]
    [InlineData("CrmPulse:Integrations:0:Name", "Web Shop", "CrmPulse:Integrations:0:Name 'Web Shop' may hold only lower-case letters, digits, '-' and '_'.")]
    [InlineData("CrmPulse:Integrations:0:Name", "crm_api", "CrmPulse:Integrations:0:Name 'crm_api' is reserved for the CRM's own API.")]
    [InlineData("CrmPulse:Integrations:0:Name", null, "CrmPulse:Integrations:0:Name is required (it becomes the integration dimension).")]
    [InlineData("CrmPulse:Integrations:1:Name", "shop", "CrmPulse:Integrations: the name 'shop' is used by more than one integration; names must be unique.")]
    [InlineData("CrmPulse:Integrations:0:ProbeUrl", "ftp://x/health", "CrmPulse:Integrations:0:ProbeUrl 'ftp://x/health' is not an absolute http or https URL.")]
    [InlineData("CrmPulse:Integrations:0:Method", "get", "CrmPulse:Integrations:0:Method 'get' is not an HTTP method (e.g. GET, HEAD, POST).")]
    [InlineData("CrmPulse:Integrations:0:ExpectedStatus", "20x", "CrmPulse:Integrations:0:ExpectedStatus '20x' is not a status code (100-599) or class (2xx).")]
    [InlineData("CrmPulse:Integrations:0:Timeout", "00:00:00", "CrmPulse:Integrations:0:Timeout must be positive, was 00:00:00.")]
    [InlineData("CrmPulse:Integrations:0:Every", "00:00:00.5000000", "CrmPulse:Integrations:0:Every must be at least 00:00:01, was 00:00:00.5000000.")]
    [InlineData("CrmPulse:Integrations:0:Window", "00:00:30", "CrmPulse:Integrations:0:Window (00:00:30) must be at least Every (00:01:00).")]
    [InlineData("CrmPulse:Integrations:0:SourceValue", null, "CrmPulse:Integrations:0: SourceField and SourceValue go together; give both or neither.")]
    [InlineData("CrmPulse:Integrations:1:ExpectedEvery", "01:00:00", "CrmPulse:Integrations:1:ExpectedEvery needs SourceField and SourceValue (freshness is read from the records).")]
    [InlineData("CrmPulse:Integrations:1:ProbeUrl", null, "CrmPulse:Integrations:1: give a ProbeUrl, or SourceField and SourceValue, or both (an integration with neither measures nothing).")]
    [InlineData("CrmPulse:Integrations:0:Url", "http://x", "CrmPulse:Integrations:0:Url is not a known setting (known: Every, ExpectedEvery, ExpectedStatus, Method, Name, ProbeUrl, SourceField, SourceValue, Timeout, Window).")]
    [InlineData("CrmPulse:Targets:0:Kpi", "weekly_active", "CrmPulse:Targets:0:Kpi 'weekly_active' is not in the KPI catalog (see GET /api/kpis).")]
    [InlineData("CrmPulse:Targets:0:Kpi", null, "CrmPulse:Targets:0:Kpi is required (a catalog id, see GET /api/kpis).")]
    [InlineData("CrmPulse:Targets:0:Kpi", "completeness_score", "CrmPulse:Targets:0:Dimensions:team is not a dimension of completeness_score (dimensions: object).")]
    [InlineData("CrmPulse:Targets:0:Dimensions:region", "EMEA", "CrmPulse:Targets:0:Dimensions:region is not a dimension of weekly_active_ratio (dimensions: team).")]
    [InlineData("CrmPulse:Targets:0:Value", null, "CrmPulse:Targets:0:Value is required (the target, in the KPI's unit).")]
    [InlineData("CrmPulse:Targets:0:By", null, "CrmPulse:Targets:0:By is required (a date, yyyy-MM-dd).")]
    [InlineData("CrmPulse:Targets:0:Source", "crm", "CrmPulse:Targets:0:Source 'crm' is not a configured source (known: demo, probes).")]
    [InlineData("CrmPulse:Targets:0:Goal", "1", "CrmPulse:Targets:0:Goal is not a known setting (known: By, Dimensions, Kpi, Source, Value).")]
    public void A_wrong_integration_or_target_setting_is_reported_with_its_key(string key, string? value, string expectedStart)
    {
        var result = LoadWith(key, value);

        Assert.Contains(result.Errors, e => e.StartsWith(expectedStart, StringComparison.Ordinal));
    }

    [Fact]
    public void A_target_on_a_neutral_kpi_is_refused_because_it_has_no_direction()
    {
        var result = LoadWith("CrmPulse:Targets:0:Dimensions:team", null);
        var neutral = LoadWith("CrmPulse:Targets:0:Kpi", "integration_records_today");

        Assert.Empty(result.Errors);
        Assert.Contains("CrmPulse:Targets:0:Kpi 'integration_records_today' is neutral (neither higher nor lower is better), so a target has no direction.", neutral.Errors);
    }

    [Theory]
    [InlineData("CrmPulse:Integrations:0:Timeout", "soon")]
    [InlineData("CrmPulse:Targets:0:By", "next summer")]
    [InlineData("CrmPulse:Targets:0:Value", "high")]
    public void A_value_of_the_wrong_type_names_its_key(string key, string value)
    {
        var result = LoadWith(key, value);

        Assert.Contains(result.Errors, e => e.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public void Two_targets_for_one_series_are_refused()
    {
        var settings = new Dictionary<string, string?>(Valid)
        {
            ["CrmPulse:Targets:1:Kpi"] = "weekly_active_ratio",
            ["CrmPulse:Targets:1:Dimensions:team"] = "Sales",
            ["CrmPulse:Targets:1:Value"] = "0.9",
            ["CrmPulse:Targets:1:By"] = "2026-09-30",
            ["CrmPulse:Targets:1:Source"] = "demo",
        };

        var result = Load(settings);

        Assert.Equal(["CrmPulse:Targets: more than one target for weekly_active_ratio{team=Sales} on demo; keep one."], result.Errors);
    }
}
