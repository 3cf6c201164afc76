using CrmPulse.Sources.Salesforce;

namespace CrmPulse.Sources.Tests.Salesforce.Auth;

public sealed class RenewalTests
{
    [Fact]
    public async Task Renewing_a_rejected_session_authenticates_again_and_caches_the_new_session()
    {
        using var h = new AuthHarness();
        var auth = h.Create();
        var first = await auth.GetSessionAsync(CancellationToken.None);

        var renewed = await auth.RenewAsync(first, CancellationToken.None);

        // The second token: "-2" appended and issued_at one minute later (1,689,000,060,000 ms).
        Assert.Equal(RecordedOAuth.AccessToken + "-2", renewed.AccessToken);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_689_000_060_000), renewed.IssuedAt);
        Assert.Same(renewed, await auth.GetSessionAsync(CancellationToken.None));
        Assert.Equal(2, h.Server.TokenCount);
    }

    [Fact]
    public async Task Two_callers_holding_the_same_rejected_session_one_after_the_other_renew_once()
    {
        using var h = new AuthHarness();
        var auth = h.Create();
        var rejected = await auth.GetSessionAsync(CancellationToken.None);

        var a = await auth.RenewAsync(rejected, CancellationToken.None);
        var b = await auth.RenewAsync(rejected, CancellationToken.None);

        Assert.Same(a, b);
        Assert.Equal(2, h.Server.TokenCount); // the first session and one renewal
    }

    [Fact]
    public async Task Two_callers_holding_the_same_rejected_session_at_once_renew_once()
    {
        using var h = new AuthHarness();
        var auth = h.Create();
        var rejected = await auth.GetSessionAsync(CancellationToken.None);
        h.Server.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var a = auth.RenewAsync(rejected, CancellationToken.None);
        var b = auth.RenewAsync(rejected, CancellationToken.None);
        await h.Server.TokenRequestSeen.WaitAsync(TimeSpan.FromSeconds(30)); // one renewal is in flight, the other caller waits
        h.Server.Hold.SetResult();
        var sessions = await Task.WhenAll(a, b);

        Assert.Same(sessions[0], sessions[1]);
        Assert.Equal(RecordedOAuth.AccessToken + "-2", sessions[0].AccessToken);
        Assert.Equal(2, h.Server.TokenCount);
    }

    [Fact]
    public async Task A_revoked_session_answered_with_the_recorded_401_works_again_after_one_renewal()
    {
        using var h = new AuthHarness();
        using var rest = new HttpClient();
        var auth = h.Create();
        var session = await auth.GetSessionAsync(CancellationToken.None);
        h.Server.Revoke();

        var rejected = await CallAsync(rest, session);
        var renewed = await auth.RenewAsync(session, CancellationToken.None);
        var retried = await CallAsync(rest, renewed);

        Assert.Equal((401, RecordedOAuth.InvalidSession401), rejected);
        Assert.Equal((200, "{}"), retried);
    }

    [Fact]
    public async Task A_failed_renewal_does_not_leave_the_rejected_session_in_the_cache()
    {
        using var h = new AuthHarness();
        var auth = h.Create();
        var rejected = await auth.GetSessionAsync(CancellationToken.None);
        h.Server.Fault = n => n == 2 ? (503, "Service Unavailable") : null;

        await Assert.ThrowsAsync<HttpRequestException>(() => auth.RenewAsync(rejected, CancellationToken.None));
        var next = await auth.GetSessionAsync(CancellationToken.None);

        Assert.Equal(RecordedOAuth.AccessToken + "-3", next.AccessToken); // requests: first, failed renewal, this one
    }

    [Fact]
    public async Task Renewing_before_any_session_authenticates()
    {
        using var h = new AuthHarness().WithJwt();
        var stale = new SalesforceSession("old-token-not-real", new Uri("https://acme.my.salesforce.com"), DateTimeOffset.UnixEpoch);

        var session = await h.Create().RenewAsync(stale, CancellationToken.None);

        Assert.Equal(RecordedOAuth.AccessToken, session.AccessToken);
        Assert.Equal(1, h.Server.TokenCount);
    }

    private static async Task<(int, string)> CallAsync(HttpClient rest, SalesforceSession session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(session.InstanceUrl, "/services/data/v62.0/limits"));
        request.Headers.Authorization = new("Bearer", session.AccessToken);
        using var response = await rest.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
