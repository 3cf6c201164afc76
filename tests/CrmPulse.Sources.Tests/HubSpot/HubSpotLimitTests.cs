using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.Tests.HubSpot;

/// <summary>Search pacing, the burst window and the daily share.</summary>
public sealed class HubSpotLimitTests
{
    [Fact]
    public async Task Search_calls_are_spaced_to_the_configured_rate()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();
        await h.SyncAsync();
        h.Delays.Clear();
        h.Options.SearchRequestsPerSecond = 0.1; // 10 s apart: far more than any real gap between two calls

        await h.SyncAsync();

        // 8 object types, one search each: the 7 after the first wait up to 10 s (less the time already gone).
        var searches = h.Server.Count(r => r.IsSearch);
        Assert.Equal(8, searches);
        Assert.Equal(7, h.Delays.Count);
        Assert.All(h.Delays, d => Assert.InRange(d, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task An_exhausted_burst_window_is_waited_out_before_the_next_call()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();
        var first = true;
        h.Server.Fault = r =>
        {
            if (!first || r.Path != "/crm/v3/owners") return null;
            first = false;
            return new FakeResponse(200, """{"results":[]}""", new Dictionary<string, string> { ["X-HubSpot-RateLimit-Remaining"] = "0" });
        };

        await h.SyncAsync();

        Assert.Equal([TimeSpan.FromSeconds(10)], h.Delays); // one interval (X-HubSpot-RateLimit-Interval-Milliseconds)
    }

    [Fact]
    public async Task The_daily_share_stops_the_sync_before_it_is_passed()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();
        h.Server.DailyLimit = 40;
        h.Options.DailyShare = 0.5; // 20 requests a day for this source
        await Assert.ThrowsAsync<SourceException>(h.SyncAsync); // a first sync needs more than 20

        var e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);

        Assert.Contains("this source used 20 requests today, its share (DailyShare 0.5 of the daily limit 40) is 20", e.Message);
        Assert.Equal(20, h.Server.Requests.Count); // the second attempt made no request at all
        Assert.Empty(h.Mirror.Records);

        h.Clock.Now = h.Clock.Now.AddDays(1); // a new UTC day
        h.Server.DailyLimit = 500_000;
        await h.SyncAsync();
        Assert.NotEmpty(h.Mirror.Records);
    }
}
