using System.Text.Json;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using CrmPulse.Sources.Salesforce;
using static CrmPulse.Sources.Tests.Salesforce.FakeOrg;

namespace CrmPulse.Sources.Tests.Salesforce;

/// <summary>What the run-as user may not read, timeouts, queryAll, and the fake's own honesty about SOQL.</summary>
public sealed class SalesforceReadAccessTests
{
    [Fact]
    public async Task A_standard_field_hidden_by_field_level_security_is_dropped_reported_once_and_left_empty()
    {
        using var h = new SalesforceHarness();
        h.Server.Add("User", User(1, "Ada Admin"));
        AddContacts(h.Server, 2, _ => Start);
        h.Server.HiddenFields.Add("Contact.Phone");
        h.Server.HiddenFields.Add("User.Profile.UserLicense.Name");

        var first = await h.SyncAsync();

        Assert.Equal([("User", "Profile.UserLicense.Name"), ("Contact", "Phone")], first.Notices.Select(p => (p.Location, p.Column)));
        Assert.StartsWith("cannot be read (INVALID_FIELD: ", first.Notices[0].Reason);
        Assert.Contains("Didn't understand relationship 'UserLicense' in field path", first.Notices[0].Reason);
        Assert.Contains("No such column 'Phone' on entity 'Contact'", first.Notices[1].Reason);
        Assert.EndsWith("left empty from now on. Field-level security hides it from the run-as user, or the org's edition has no such field.", first.Notices[1].Reason);
        Assert.Empty(first.Problems); // a dropped field rejects no row
        Assert.Equal(0, first.RejectedRows);
        Assert.Equal(2, h.Mirror.All<Contact>().Count());
        Assert.All(h.Mirror.All<Contact>(), c => Assert.Null(c.Phone));
        Assert.False(h.Mirror.Get<CrmUser>(ObjectKind.User, Id("005", 1)).IsIntegration);

        h.Clock.Now = h.Clock.Now.AddHours(1);
        var second = await h.SyncAsync();

        Assert.Empty(second.Notices); // the fields stay dropped: no refused query, no repeated problem
        Assert.Equal(0, second.ApiUsage!.Errors);
    }

    [Fact]
    public async Task A_server_that_refuses_child_sub_queries_gets_the_opportunities_without_their_roles()
    {
        using var h = new SalesforceHarness();
        h.Server.Add("Opportunity", Row(Id("006", 1), Start, ("ContactId", Id("003", 7)),
            ("OpportunityContactRoles", new List<object?> { Row(Id("00K", 1), Start, ("ContactId", Id("003", 1)), ("IsPrimary", true)) })));
        h.Server.Fault = r => r.Query["q"]?.Contains("(SELECT ContactId", StringComparison.Ordinal) == true
            ? new FakeResponse(400, """[{"message":"unexpected token: '('","errorCode":"MALFORMED_QUERY"}]""")
            : null;

        var changes = await h.SyncAsync();

        Assert.Equal("Opportunity: column '(SELECT ContactId, IsPrimary FROM OpportunityContactRoles)': the server refused the child sub-query " +
            "(MALFORMED_QUERY: unexpected token: '('); it is left out from now on.", Assert.Single(changes.Notices).ToString());
        Assert.Equal(Id("003", 7), h.Mirror.Get<Deal>(ObjectKind.Deal, Id("006", 1)).ContactId); // Opportunity.ContactId
    }

    [Fact]
    public async Task Without_manage_users_the_sync_goes_on_without_logins_and_says_so_once()
    {
        using var h = new SalesforceHarness();
        h.Server.Add("User", User(1, "Ada Admin"));
        h.Server.Fault = r => r.Query["q"]?.Contains("FROM LoginHistory", StringComparison.Ordinal) == true
            ? new FakeResponse(400, """[{"message":"sObject type 'LoginHistory' is not supported.","errorCode":"INVALID_TYPE"}]""")
            : null;

        var first = await h.SyncAsync();
        h.Clock.Now = h.Clock.Now.AddHours(1);
        var second = await h.SyncAsync();

        Assert.Equal("LoginHistory: LoginHistory cannot be read (the run-as user needs Manage Users); adoption KPIs use logged activity as their basis.",
            Assert.Single(first.Notices).ToString());
        Assert.Empty(second.Notices);
        Assert.Empty(h.Mirror.All<LoginEvent>());
        Assert.False(h.Mirror.Watermarks.ContainsKey("salesforce:LoginHistory"));
        Assert.Equal(0, first.ApiUsage!.Errors);
    }

    [Fact]
    public async Task A_request_that_gets_no_answer_times_out_and_is_retried()
    {
        using var h = new SalesforceHarness().WithRecordedOrg();
        // Long enough that an answered request never times out on a loaded machine (the stalled one never answers).
        h.Options.RequestTimeout = TimeSpan.FromSeconds(3);
        var stalled = false;
        h.Server.Fault = r =>
        {
            if (stalled || !r.Path.EndsWith("/limits", StringComparison.Ordinal)) return null;
            stalled = true;
            return FakeResponse.NoAnswer;
        };

        var changes = await h.SyncAsync();

        Assert.Equal([TimeSpan.FromSeconds(1)], h.Delays);
        Assert.Equal(1, changes.ApiUsage!.Errors);
        Assert.Equal(3, h.Mirror.All<CrmUser>().Count());
    }

    [Fact]
    public async Task QueryAll_returns_deleted_rows_that_query_does_not()
    {
        using var h = new SalesforceHarness();
        AddContacts(h.Server, 3, _ => Start);
        h.Server.Delete("Contact", Id("003", 2), h.Clock.Now.AddMinutes(-5));
        using var http = new HttpClient();
        var limits = new SalesforceLimits(h.Clock);
        var client = new SalesforceClient(http, h.Options, "sf", new SalesforceAuthenticator("sf", h.Options.Auth, http, h.Clock), h.Clock,
            limits);
        const string Soql = "SELECT Id, IsDeleted FROM Contact ORDER BY Id";

        var live = new List<JsonElement>();
        var all = new List<JsonElement>();
        await client.QueryAsync(Soql, false, "Contact", live.Add, CancellationToken.None);
        await client.QueryAsync(Soql, true, "Contact", all.Add, CancellationToken.None);

        Assert.Equal([Id("003", 1), Id("003", 3)], live.Select(r => r.GetProperty("Id").GetString()));
        Assert.Equal([(Id("003", 1), false), (Id("003", 2), true), (Id("003", 3), false)],
            all.Select(r => (r.GetProperty("Id").GetString(), r.GetProperty("IsDeleted").GetBoolean())));
    }

    [Theory]
    [InlineData("SELECT Id FROM Contact WHERE Email = 'a' OR Email = 'b'")]
    [InlineData("SELECT Id FROM Contact WHERE SystemModstamp >= 2024-01-01T00:00:00.000Z")] // no fractions in SOQL literals
    [InlineData("SELECT Id Contact")]
    [InlineData("SELECT Id FROM Contact GROUP BY Id")]
    public async Task The_fake_refuses_soql_outside_its_subset_as_salesforce_would_a_malformed_query(string soql)
    {
        using var h = new SalesforceHarness();
        using var http = new HttpClient();
        var client = new SalesforceClient(http, h.Options, "sf", new SalesforceAuthenticator("sf", h.Options.Auth, http, h.Clock), h.Clock,
            new SalesforceLimits(h.Clock));

        // The client hands a refused query to the reader (which may drop a sub-query and ask again), not yet as a SourceException.
        var e = await Assert.ThrowsAsync<SalesforceFieldRefusedException>(() => client.QueryAsync(soql, false, "Contact", _ => { }, CancellationToken.None));

        Assert.StartsWith("Salesforce source 'sf': the Contact query was refused (400 MALFORMED_QUERY:", e.Message);
    }
}
