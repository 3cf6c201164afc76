using CrmPulse.Options;
using Microsoft.Extensions.Configuration;

namespace CrmPulse.Tests.Reconciliation;

/// <summary>CrmPulse:Reconciliation is checked at start-up: every problem named with its key.</summary>
public sealed class ReconciliationOptionsTests
{
    private static OptionsLoader.Result Load(Dictionary<string, string?> pair)
    {
        var settings = new Dictionary<string, string?>
        {
            ["CrmPulse:Sources:0:Name"] = "legacy", ["CrmPulse:Sources:0:Kind"] = "Demo",
            ["CrmPulse:Sources:1:Name"] = "crm", ["CrmPulse:Sources:1:Kind"] = "Demo",
        };
        foreach (var (k, v) in pair) settings[$"CrmPulse:Reconciliation:0:{k}"] = v;
        return OptionsLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
    }

    [Fact]
    public void A_valid_pair_gets_the_default_keys_and_properties()
    {
        var result = Load(new() { ["Name"] = "migration", ["Old"] = "legacy", ["New"] = "crm", ["Deals:Enabled"] = "false" });

        Assert.Empty(result.Errors);
        var pair = Assert.Single(result.Options.Reconciliation).ToPair();
        Assert.Equal(["contact", "company"], pair.Objects.Keys);
        Assert.Equal([Core.Reconciliation.MatchKey.Email, Core.Reconciliation.MatchKey.Duplicate], pair.Objects["contact"].Keys);
        Assert.Equal(["name", "domain", "industry"], pair.Objects["company"].Properties.Select(p => p.New));
        Assert.Null(pair.CutOver);
        Assert.False(pair.Sync);
    }

    [Fact]
    public void A_sync_pair_says_so()
    {
        var result = Load(new() { ["Name"] = "sync", ["Old"] = "legacy", ["New"] = "crm", ["Sync"] = "true" });

        Assert.Empty(result.Errors);
        Assert.True(result.Options.Reconciliation[0].ToPair().Sync);
    }

    [Fact]
    public void Renamed_properties_map_old_to_new()
    {
        var result = Load(new() { ["Name"] = "m", ["Old"] = "legacy", ["New"] = "crm", ["Contacts:Properties:0"] = "mobile = phone" });

        Assert.Equal(new Core.Reconciliation.PropertyMap("mobile", "phone"), Assert.Single(result.Options.Reconciliation[0].ToPair().Objects["contact"].Properties));
    }

    [Theory]
    [InlineData("Name", "", "CrmPulse:Reconciliation:0:Name is required")]
    [InlineData("Name", "Big Pair", "CrmPulse:Reconciliation:0:Name 'Big Pair' may hold only")]
    [InlineData("Name", "crm", "CrmPulse:Reconciliation:0:Name 'crm' is a source's name")]
    [InlineData("Old", "nope", "CrmPulse:Reconciliation:0:Old 'nope' is not a configured source (known: legacy, crm)")]
    [InlineData("New", "legacy", "CrmPulse:Reconciliation:0: Old and New are both 'legacy'")]
    [InlineData("Every", "00:00:01", "CrmPulse:Reconciliation:0:Every must be at least 00:00:10")]
    [InlineData("Contacts:MatchBy:0", "zip", "CrmPulse:Reconciliation:0:Contacts:MatchBy:0 'zip' is not a match key (known: external_id, email, domain, name, duplicate)")]
    [InlineData("Deals:MatchBy:0", "email", "CrmPulse:Reconciliation:0:Deals:MatchBy:0 'email' does not apply to deal records")]
    [InlineData("Companies:MatchBy:0", "external_id", "CrmPulse:Reconciliation:0:Companies:ExternalIdField is required with MatchBy external_id")]
    [InlineData("Companies:Propertys:0", "x", "CrmPulse:Reconciliation:0:Companies:Propertys is not a known setting")]
    [InlineData("Deals:Properties:0", "=amount", "CrmPulse:Reconciliation:0:Deals:Properties:0 '=amount' needs a field name on both sides")]
    [InlineData("Cutover2", "x", "CrmPulse:Reconciliation:0:Cutover2 is not a known setting")]
    public void A_wrong_setting_is_named_with_its_key(string key, string value, string message)
    {
        var pair = new Dictionary<string, string?> { ["Name"] = "migration", ["Old"] = "legacy", ["New"] = "crm" };
        pair[key] = value;

        var result = Load(pair);

        Assert.Contains(result.Errors, e => e.Contains(message, StringComparison.Ordinal));
    }
}
