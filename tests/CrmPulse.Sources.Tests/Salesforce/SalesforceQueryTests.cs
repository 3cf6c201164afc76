using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.Tests.Salesforce;

/// <summary>The REST client against the fake: paging, error arrays, re-authentication, custom fields.</summary>
public sealed class SalesforceQueryTests
{
    [Fact]
    public async Task Query_pages_are_followed_on_nextRecordsUrl_until_done()
    {
        using var h = new SalesforceHarness();
        h.Server.MaxBatch = 200; // Salesforce may send fewer rows than the batchSize asked for
        FakeOrg.AddContacts(h.Server, 450, i => FakeOrg.Start.AddMinutes(i));

        await h.SyncAsync();

        Assert.Equal(450, h.Mirror.All<Contact>().Count());
        // 450 rows at 200 a page: the first page, then 2 more through /query/<locator>-200 and -400.
        Assert.Equal(2, h.Server.Count(r => r.Path.Contains("/query/01gFAKE", StringComparison.Ordinal)));
        Assert.Equal(FakeSalesforce.Sf(FakeOrg.Start.AddMinutes(449)).Replace("+0000", "Z"), h.Mirror.Watermarks["salesforce:Contact"]);
    }

    [Fact]
    public async Task A_field_salesforce_does_not_know_fails_the_sync_naming_the_field_the_object_and_the_setting()
    {
        using var h = new SalesforceHarness();
        h.Options.CustomFields["contact"] = ["Tier__c"];
        h.Server.ExtraFields["Lead"] = ["Tier__c"]; // on Lead only: Contact has no such field

        var e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);

        Assert.Contains("the Contact query names a field Salesforce does not know (400 INVALID_FIELD: Tier__c ^ ERROR at Row:1:Column:1 No such column 'Tier__c' on entity 'Contact'", e.Message);
        Assert.Contains("CustomFields", e.Message);
        Assert.Empty(h.Mirror.Records);
    }

    [Fact]
    public async Task A_malformed_query_answer_gives_the_error_code_and_message()
    {
        using var h = new SalesforceHarness();
        h.Server.Fault = r => r.Query["q"]?.Contains("FROM Account", StringComparison.Ordinal) == true
            ? new FakeResponse(400, """[{"message":"unexpected token: 'FROM'","errorCode":"MALFORMED_QUERY"}]""")
            : null;

        var e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);

        Assert.Equal("Salesforce source 'salesforce': the Account query was refused (400 MALFORMED_QUERY: unexpected token: 'FROM').", e.Message);
    }

    [Fact]
    public async Task An_expired_session_is_renewed_once_and_the_request_repeated()
    {
        using var h = new SalesforceHarness().WithRecordedOrg();
        await h.SyncAsync();
        h.Server.ExpireSessions();

        await h.SyncAsync();

        Assert.Equal(2, h.Server.TokensIssued); // one at the first sync, one after the 401
        Assert.Equal(3, h.Mirror.All<CrmUser>().Count());
    }

    [Fact]
    public async Task A_token_rejected_again_after_renewal_fails_the_sync()
    {
        using var h = new SalesforceHarness().WithRecordedOrg();
        h.Server.Fault = r => r.Path.StartsWith("/services/data/", StringComparison.Ordinal)
            ? FakeResponse.Recorded(401, "salesforce_error_invalid_session_401_observed.json")
            : null;

        var e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);

        Assert.Contains("refused a freshly issued token (401 INVALID_SESSION_ID: Session expired or invalid)", e.Message);
        Assert.Equal(2, h.Server.TokensIssued); // the first token, one renewal, no loop
        Assert.Equal(2, h.Server.RestCalls);
    }

    [Fact]
    public async Task A_refused_token_request_gives_the_oauth_error()
    {
        using var h = new SalesforceHarness();
        h.Options.Auth.ClientSecretEnv = "CRMPULSE_TEST_SALESFORCE_WRONG_SECRET";
        Environment.SetEnvironmentVariable("CRMPULSE_TEST_SALESFORCE_WRONG_SECRET", "not-the-secret");

        var e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);

        Assert.Contains("refused the ClientCredentials flow: invalid_grant (authentication failure)", e.Message);
        Assert.Equal(0, h.Server.RestCalls);
    }

    [Fact]
    public async Task Configured_custom_fields_are_pulled_into_custom_with_lead_names_mapped()
    {
        using var h = new SalesforceHarness();
        h.Options.CustomFields["contact"] = ["Tier__c"];
        h.Options.LeadCustomFields = ["Lead_Tier__c"];
        h.Options.CustomFields["deal"] = ["Loss_Reason__c"];
        h.Server.ExtraFields["Contact"] = ["Tier__c"];
        h.Server.ExtraFields["Lead"] = ["Lead_Tier__c"];
        h.Server.ExtraFields["Opportunity"] = ["Loss_Reason__c"];
        h.Server.Add("Contact", FakeOrg.Row(FakeOrg.Id("003", 1), FakeOrg.Start, ("Tier__c", "Gold")));
        h.Server.Add("Lead", FakeOrg.Row(FakeOrg.Id("00Q", 1), FakeOrg.Start, ("Lead_Tier__c", "Silver"), ("IsConverted", false)));
        h.Server.Add("Opportunity", FakeOrg.Row(FakeOrg.Id("006", 1), FakeOrg.Start, ("Loss_Reason__c", null)));

        await h.SyncAsync();

        Assert.Equal("Gold", h.Mirror.Get<Contact>(ObjectKind.Contact, FakeOrg.Id("003", 1)).GetField("Tier__c"));
        Assert.Equal("Silver", h.Mirror.Get<Contact>(ObjectKind.Contact, FakeOrg.Id("00Q", 1)).GetField("Tier__c"));
        var deal = h.Mirror.Get<Deal>(ObjectKind.Deal, FakeOrg.Id("006", 1));
        Assert.True(deal.Custom.ContainsKey("Loss_Reason__c"));
        Assert.Null(deal.Custom["Loss_Reason__c"]);
    }
}
