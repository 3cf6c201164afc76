using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using static CrmPulse.Sources.Tests.Salesforce.FakeOrg;

namespace CrmPulse.Sources.Tests.Salesforce;

/// <summary>Mid-sync faults leave the mirror as it was before the sync or fully updated, never in between.</summary>
public sealed class SalesforceFaultTests
{
    private static bool SecondContactPage(FakeRequest r) => r.Path.Contains("/query/01gFAKE", StringComparison.Ordinal) && r.Path.EndsWith("-200", StringComparison.Ordinal);

    /// <summary>An org of 450 contacts (pages of 200) synced once, then changed; returns the mirror a clean second sync gives.</summary>
    private static async Task<(SalesforceHarness Harness, string Before, string CleanAfter)> ChangedOrgAsync()
    {
        var clean = new SalesforceHarness();
        var h = new SalesforceHarness();
        foreach (var x in new[] { clean, h })
        {
            x.Server.MaxBatch = 200;
            x.Server.Add("User", User(1, "Ada Admin"));
            AddContacts(x.Server, 450, i => Start.AddMinutes(i));
            await x.SyncAsync();
            x.Clock.Now = x.Clock.Now.AddHours(1);
            // 250 contacts change: the incremental query has two pages.
            for (var n = 1; n <= 250; n++) x.Server.Touch("Contact", Id("003", n), x.Clock.Now.AddMinutes(-30).AddSeconds(n), "LastName", "Changed");
            x.Server.Delete("Contact", Id("003", 400), x.Clock.Now.AddMinutes(-1));
        }
        await clean.SyncAsync();
        var cleanAfter = clean.Mirror.Fingerprint();
        clean.Dispose();
        return (h, h.Mirror.Fingerprint(), cleanAfter);
    }

    [Fact]
    public async Task Malformed_json_on_a_later_page_fails_the_sync_and_commits_nothing_then_the_next_sync_catches_up()
    {
        var (h, before, cleanAfter) = await ChangedOrgAsync();
        using var owned = h;
        h.Server.Fault = r => SecondContactPage(r) ? new FakeResponse(200, """{"totalSize":250,"done":true,"records":[{"attributes":""") : null;

        var e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);

        Assert.Contains("returned malformed JSON", e.Message);
        Assert.Contains("(Contact query)", e.Message);
        Assert.Equal(before, h.Mirror.Fingerprint());
        h.Server.Fault = null;
        await h.SyncAsync();
        Assert.Equal(cleanAfter, h.Mirror.Fingerprint());
    }

    [Fact]
    public async Task A_page_without_records_fails_the_sync()
    {
        var (h, before, _) = await ChangedOrgAsync();
        using var owned = h;
        h.Server.Fault = r => SecondContactPage(r) ? new FakeResponse(200, """{"totalSize":250,"done":true}""") : null;

        var e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);

        Assert.Equal("Salesforce source 'salesforce': a page of the Contact query came without a \"records\" array; nothing of this sync is committed.", e.Message);
        Assert.Equal(before, h.Mirror.Fingerprint());
    }

    [Fact]
    public async Task Server_errors_and_a_reset_connection_are_retried_with_doubling_back_off()
    {
        var (h, _, cleanAfter) = await ChangedOrgAsync();
        using var owned = h;
        var faults = 0;
        h.Server.Fault = r =>
        {
            if (!SecondContactPage(r) || faults >= 3) return null;
            faults++;
            return faults == 2 ? FakeResponse.ConnectionReset : new FakeResponse(503, """[{"message":"Service Unavailable","errorCode":"SERVER_UNAVAILABLE"}]""");
        };

        var changes = await h.SyncAsync();

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], h.Delays); // RetryDelay 1 s, doubled
        Assert.Equal(3, changes.ApiUsage!.Errors);
        Assert.Equal(cleanAfter, h.Mirror.Fingerprint());
    }

    [Fact]
    public async Task Retries_run_out_with_a_message_naming_the_call()
    {
        var (h, before, _) = await ChangedOrgAsync();
        using var owned = h;
        h.Options.MaxRetries = 2;
        h.Server.Fault = r => SecondContactPage(r) ? new FakeResponse(500, """[{"message":"An unexpected error occurred.","errorCode":"UNKNOWN_EXCEPTION"}]""") : null;

        var e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);

        Assert.Matches(@"^Salesforce source 'salesforce': GET /services/data/v62\.0/query/01gFAKE\d+-200 \(Contact query\) failed 3 times \(500 UNKNOWN_EXCEPTION: An unexpected error occurred\.\)\.$", e.Message);
        Assert.Equal(before, h.Mirror.Fingerprint());
    }

    [Fact]
    public async Task A_getDeleted_answer_without_deletedRecords_fails_the_sync()
    {
        var (h, before, _) = await ChangedOrgAsync();
        using var owned = h;
        h.Server.Fault = r => r.Path.EndsWith("/sobjects/Contact/deleted/", StringComparison.Ordinal) ? new FakeResponse(200, """{"latestDateCovered":"2024-11-01T13:00:00.000+0000"}""") : null;

        var e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);

        Assert.Contains("the Contact getDeleted answer has no \"deletedRecords\" array", e.Message);
        Assert.Equal(before, h.Mirror.Fingerprint());
        Assert.Equal(450, h.Mirror.All<Contact>().Count());
    }
}
