using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Tests.ActiveCampaign;

/// <summary>KPIs over the hand-made <see cref="SmallOrg"/>, synced through the fake API, against values worked out by hand.</summary>
public sealed class ActiveCampaignKpiTests
{
    [Fact]
    public async Task Kpis_of_the_small_org_equal_the_hand_computed_values()
    {
        using var h = new ActiveCampaignHarness();
        SmallOrg.Load(h.Server);
        await h.SyncAsync();
        var snapshot = new CrmSnapshot("ac", h.Mirror.All<CrmUser>().ToList(), h.Mirror.All<LoginEvent>().ToList(), h.Mirror.All<Contact>().ToList(),
            h.Mirror.All<Company>().ToList(), h.Mirror.All<Deal>().ToList(), h.Mirror.All<Activity>().ToList());

        var result = KpiEngine.Compute(snapshot, SmallOrg.AsOf, new KpiOptions());
        KpiSample Overall(string kpi) => result.Samples.Single(s => s.Kpi == kpi && s.Dimensions.Count == 0);

        // Users 1, 2, 3: all current, none an integration user.
        Assert.Equal(3, Overall("licensed_users").Value);
        // No login events: activity basis. Activities created in (as-of − 7 d, as-of]: task 1 (assignee 2, −2 d),
        // task 2 (no assignee, so its creator 1, −3 d), note 1 (user 2, −1 d) → users {1, 2}.
        Assert.Equal(2, Overall("weekly_active_users").Value);
        Assert.Equal("activity", Overall("weekly_active_users").Basis);
        Assert.Equal(2.0 / 3, Overall("weekly_active_ratio").Value, 12);
        // In 30 days also task 3 (user 2, −20 d) and note 2 (user 1, −10 d): still {1, 2}; user 3 never.
        Assert.Equal(2, Overall("monthly_active_users").Value);
        Assert.Equal(1, Overall("users_never_logged_in").Value);
        // Task 1, task 2, note 1.
        Assert.Equal(3, Overall("activities_logged_7d").Value);
        // Task 2 is open and was due a day ago; task 1 is due tomorrow, task 3 is done.
        Assert.Equal(1, Overall("overdue_tasks").Value);
        // Open deals 1 ($12,500.00 = 1,250,000 cents) and 4 ($500.00); 2 is won, 3 lost.
        Assert.Equal(2, Overall("open_deals").Value);
        Assert.Equal(13_000, Overall("open_pipeline_value").Value);
        // Deal 4 created 3 days ago; contact 4 created 2 days ago (contact 5 ten days ago).
        Assert.Equal(1, Overall("deals_created_7d").Value);
        Assert.Equal(1, Overall("contacts_created_7d").Value);
        // Contact 3 has neither e-mail nor phone; contact 4's "dana(at)example" is no e-mail and it has no phone.
        Assert.Equal(2, result.Samples.Single(s => s.Kpi == "unreachable_contacts").Value);
        Assert.Equal(1, result.Samples.Single(s => s.Kpi == "invalid_emails").Value);
    }
}
