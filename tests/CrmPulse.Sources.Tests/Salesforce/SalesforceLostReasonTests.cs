using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using static CrmPulse.Sources.Tests.Salesforce.FakeOrg;

namespace CrmPulse.Sources.Tests.Salesforce;

/// <summary>
/// Pipeline:LostReasonField: Salesforce has no standard loss-reason field, so the org's own (here Loss_Reason__c) is
/// pulled into the deal's lost reason; without it every lost deal counts as lost without reason.
/// </summary>
public sealed class SalesforceLostReasonTests
{
    /// <summary>40 opportunities lost in the last 90 days, 7 of them without a reason; 5 won and 3 open ones with none.</summary>
    private static SalesforceHarness Org(string? lostReasonField)
    {
        var h = new SalesforceHarness { LostReasonField = lostReasonField };
        h.Server.ExtraFields["Opportunity"] = ["Loss_Reason__c"];
        string[] reasons = ["Price", "Competitor", "No budget", "Timing"];
        for (var i = 1; i <= 48; i++)
        {
            var closedOn = h.Clock.Now.AddDays(-(i % 80) - 1);
            var (closed, won, reason) = i switch
            {
                <= 33 => (true, false, reasons[i % reasons.Length]),
                <= 40 => (true, false, (string?)null),
                <= 45 => (true, true, null),
                _ => (false, false, null),
            };
            h.Server.Add("Opportunity", Row(Id("006", i), Start, ("StageName", won ? "Closed Won" : closed ? "Closed Lost" : "Prospecting"),
                ("IsClosed", closed), ("IsWon", won), ("CloseDate", closedOn.ToString("yyyy-MM-dd")), ("Loss_Reason__c", reason)));
        }
        return h;
    }

    private static double LostWithoutReason(SalesforceHarness h)
    {
        var snapshot = new CrmSnapshot("salesforce", [], [], [], [], h.Mirror.All<Deal>().ToList(), []);
        var output = new KpiOutput("salesforce", h.Clock.Now);
        new PipelineKpis().Compute(new KpiContext(snapshot, h.Clock.Now, new KpiOptions()), output);
        return output.Samples.Single(s => s.Kpi == "lost_without_reason" && s.Dimensions.Count == 0).Value;
    }

    [Fact]
    public async Task With_the_orgs_field_named_only_the_7_deals_lost_without_a_reason_count()
    {
        using var h = Org("Loss_Reason__c");

        await h.SyncAsync();

        Assert.Equal(7, LostWithoutReason(h));
        Assert.Equal("Competitor", h.Mirror.Get<Deal>(ObjectKind.Deal, Id("006", 1)).LostReason);
        Assert.Null(h.Mirror.Get<Deal>(ObjectKind.Deal, Id("006", 34)).LostReason);
        Assert.Contains(h.Server.Requests, r => (r.Query["q"] ?? "").Contains("Loss_Reason__c", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_it_every_lost_deal_counts_as_lost_without_reason()
    {
        using var h = Org(null);

        await h.SyncAsync();

        Assert.Equal(40, LostWithoutReason(h));
        Assert.DoesNotContain(h.Server.Requests, r => (r.Query["q"] ?? "").Contains("Loss_Reason__c", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_lost_reason_field_the_run_as_user_cannot_read_fails_the_sync_naming_the_setting()
    {
        using var h = Org("Loss_Reason__c");
        h.Server.HiddenFields.Add("Opportunity.Loss_Reason__c");

        var error = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);

        Assert.Contains("Pipeline:LostReasonField", error.Message);
        Assert.Contains("Loss_Reason__c", error.Message);
    }

    [Fact]
    public void A_name_that_is_not_an_api_name_is_refused()
    {
        Assert.Equal("'Loss Reason' is not a Salesforce field API name (letters, digits, '_', e.g. Loss_Reason__c).",
            Sources.Salesforce.SalesforceSource.CheckLostReasonField("Loss Reason"));
        Assert.Null(Sources.Salesforce.SalesforceSource.CheckLostReasonField("Loss_Reason__c"));
    }
}
