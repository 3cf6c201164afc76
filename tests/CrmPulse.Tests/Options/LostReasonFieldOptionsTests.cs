using CrmPulse.Hosting;
using CrmPulse.Options;
using CrmPulse.Sources.HubSpot;
using CrmPulse.Sources.Salesforce;
using Microsoft.Extensions.Configuration;

namespace CrmPulse.Tests.Options;

/// <summary>Pipeline:LostReasonField: handed to the API sources that pull it, refused with a pointer where it means nothing.</summary>
public sealed class LostReasonFieldOptionsTests
{
    private static OptionsLoader.Result Load(string kind, string? field, params (string Key, string? Value)[] more) =>
        OptionsLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(
            new[] { ("CrmPulse:Sources:0:Name", "crm"), ("CrmPulse:Sources:0:Kind", kind), ("CrmPulse:Sources:0:Pipeline:LostReasonField", field) }
                .Concat(more).Select(s => new KeyValuePair<string, string?>(s.Item1, s.Item2))).Build());

    [Fact]
    public void A_salesforce_source_gets_the_field_it_pulls_as_the_lost_reason()
    {
        var result = Load("Salesforce", "Loss_Reason__c", ("CrmPulse:Sources:0:Auth:LoginUrl", "https://acme.my.salesforce.com"));

        Assert.Empty(result.Errors);
        var source = Assert.IsType<SalesforceSource>(new SourceRegistry(result.Sources, TimeProvider.System).Source("crm"));
        Assert.Equal("Loss_Reason__c", source.LostReasonField);
    }

    [Fact]
    public void A_hubspot_source_gets_its_custom_property_and_defaults_to_closed_lost_reason()
    {
        var custom = Load("HubSpot", "loss_reason_detail", ("CrmPulse:Sources:0:TokenEnv", "HUBSPOT_TOKEN"));
        var standard = Load("HubSpot", null, ("CrmPulse:Sources:0:TokenEnv", "HUBSPOT_TOKEN"));

        Assert.Empty(custom.Errors);
        Assert.Equal("loss_reason_detail", Assert.IsType<HubSpotSource>(new SourceRegistry(custom.Sources, TimeProvider.System).Source("crm")).LostReasonField);
        Assert.Null(Assert.IsType<HubSpotSource>(new SourceRegistry(standard.Sources, TimeProvider.System).Source("crm")).LostReasonField);
    }

    [Theory]
    [InlineData("Salesforce", "Loss Reason", "CrmPulse:Sources:0:Pipeline:LostReasonField: 'Loss Reason' is not a Salesforce field API name (letters, digits, '_', e.g. Loss_Reason__c).")]
    [InlineData("HubSpot", "Loss_Reason", "CrmPulse:Sources:0:Pipeline:LostReasonField: 'Loss_Reason' is not a HubSpot property's internal name (lower-case letters, digits, '_', e.g. closed_lost_reason).")]
    [InlineData("File", "Loss Reason", "CrmPulse:Sources:0:Pipeline:LostReasonField: a File source reads the lost reason from the lost_reason column of deals.csv; map the file's header to it with Files:deals:Columns:lost_reason instead.")]
    [InlineData("Demo", "reason", "CrmPulse:Sources:0:Pipeline:LostReasonField: the Demo source's deals carry their lost reasons already; leave it out.")]
    [InlineData("Demo", " ", "CrmPulse:Sources:0:Pipeline:LostReasonField must not be empty (leave it out for the source's default).")]
    public void A_field_that_cannot_work_is_an_error_naming_the_key(string kind, string field, string error)
    {
        var result = Load(kind, field, ("CrmPulse:Sources:0:Path", Path.GetTempPath()), ("CrmPulse:Sources:0:Auth:LoginUrl", "https://acme.my.salesforce.com"),
            ("CrmPulse:Sources:0:TokenEnv", "HUBSPOT_TOKEN"));

        Assert.Contains(error, result.Errors);
    }
}
