using CrmPulse.Core.Model;
using CrmPulse.Sources.Demo;

namespace CrmPulse.Sources.Tests.Demo;

[Collection(DefaultDemoOrgCollection.Name)]
public sealed class DemoSizeTests(DefaultDemoOrg org)
{
    [Fact]
    public void Default_org_has_152_licensed_users_in_5_teams_plus_2_integration_and_3_deactivated_users()
    {
        Assert.Equal(157, org.Users.Count); // 152 + 2 + 3
        Assert.Equal(152, org.Licensed.Count());
        Assert.Equal(["HubSpot Sync", "Zapier"], org.Users.Where(u => u.IsIntegration).Select(u => u.Name));
        Assert.All(org.Users.Where(u => u.IsIntegration), u => Assert.True(u.IsActive));
        Assert.Equal(3, org.Users.Count(u => !u.IsActive));
        Assert.Equal(
            ["Customer Success", "Marketing", "Partnerships", "Sales EMEA", "Sales NA"],
            org.Licensed.Select(u => u.Team!).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(org.Users.Count, org.Users.Select(u => u.Id).Distinct().Count());
    }

    [Fact]
    public void Default_org_has_the_configured_record_counts_at_the_anchor()
    {
        Assert.Equal(20000, org.Contacts.Count);
        Assert.Equal(4000, org.Companies.Count);
        Assert.Equal(3000, org.Deals.Count);
        Assert.Equal(50000, org.Activities.Count(a => a.OccurredAt < DefaultDemoOrg.Anchor));
        Assert.Equal(50000, org.Facts.HistoryActivities);
    }

    [Fact]
    public void History_spans_the_180_days_before_the_anchor()
    {
        var first = org.Logins.Min(l => l.At);
        var firstActivity = org.Activities.Min(a => a.OccurredAt);
        Assert.Equal(-180, DefaultDemoOrg.DayOf(first));
        Assert.Equal(-180, DefaultDemoOrg.DayOf(firstActivity));
        // Static records are older: some were last touched more than a year before the anchor.
        Assert.Contains(org.Contacts, c => c.ModifiedAt < DefaultDemoOrg.Anchor.AddDays(-365));
    }

    [Fact]
    public void Activities_cover_all_five_types_with_directions_and_task_fields()
    {
        Assert.Equal(ActivityTypes.All.ToHashSet(), org.Activities.Select(a => a.Type).ToHashSet());
        Assert.All(org.Activities.Where(a => a.Type is ActivityType.Call or ActivityType.Email),
            a => Assert.Contains(a.Direction, new[] { "inbound", "outbound" }));
        Assert.All(org.Activities.Where(a => a.Type is ActivityType.Meeting or ActivityType.Task or ActivityType.Note),
            a => Assert.Null(a.Direction));
        var tasks = org.Activities.Where(a => a.Type == ActivityType.Task).ToList();
        Assert.Contains(tasks, t => t.Completed);
        Assert.Contains(tasks, t => !t.Completed && t.DueAt > DefaultDemoOrg.Anchor);
        Assert.All(org.Activities.Where(a => a.Type != ActivityType.Task), a => Assert.False(a.Completed));
    }

    [Fact]
    public void Deals_span_two_pipelines_with_open_won_and_lost_deals()
    {
        Assert.Equal(["renewals", "sales"], org.Deals.Select(d => d.Pipeline!).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(org.Deals, d => !d.IsClosed);
        Assert.Contains(org.Deals, d => d.IsClosed && d.IsWon && d.Stage == "closed_won");
        Assert.Contains(org.Deals, d => d.IsClosed && !d.IsWon && d.Stage == "closed_lost");
        Assert.All(org.Deals.Where(d => d.IsClosed), d => Assert.True(d.ClosedAt < DefaultDemoOrg.Anchor));
    }

    [Fact]
    public void Every_reference_points_at_a_record_of_the_org()
    {
        var users = org.Users.Select(u => u.Id).ToHashSet();
        var contacts = org.Pull.Contacts.Select(c => c.Id).ToHashSet();
        var companies = org.Companies.Select(c => c.Id).ToHashSet();
        var deals = org.Pull.Deals.Select(d => d.Id).ToHashSet();
        var missingParents = org.Facts.CompaniesWithMissingParent.ToHashSet();
        Assert.All(org.Pull.Contacts, c => Assert.True(c.OwnerId is null || users.Contains(c.OwnerId), c.Id));
        Assert.All(org.Pull.Contacts, c => Assert.True(c.CompanyId is null || companies.Contains(c.CompanyId), c.Id));
        Assert.All(org.Companies, c => Assert.True(c.ParentId is null || companies.Contains(c.ParentId) || missingParents.Contains(c.Id), c.Id));
        Assert.All(org.Pull.Deals, d => Assert.True(
            (d.ContactId is null || contacts.Contains(d.ContactId)) && (d.CompanyId is null || companies.Contains(d.CompanyId)), d.Id));
        Assert.All(org.Pull.Activities, a => Assert.True(
            (a.OwnerId is null || users.Contains(a.OwnerId)) && (a.ContactId is null || contacts.Contains(a.ContactId))
            && (a.CompanyId is null || companies.Contains(a.CompanyId)) && (a.DealId is null || deals.Contains(a.DealId)), a.Id));
        Assert.All(org.Pull.Logins, l => Assert.Contains(l.UserId, users));
        Assert.Equal(org.Pull.Activities.Count, org.Pull.Activities.Select(a => a.Id).Distinct().Count());
        Assert.Equal(org.Pull.Logins.Count, org.Pull.Logins.Select(l => l.Id).Distinct().Count());
    }

    [Fact]
    public void Workdays_are_much_busier_than_weekends()
    {
        // Successful human logins per day, averaged over the history's workdays and weekend days.
        var humans = org.Users.Where(u => !u.IsIntegration).Select(u => u.Id).ToHashSet();
        var perDay = org.Logins.Where(l => l.Succeeded && humans.Contains(l.UserId) && l.At < DefaultDemoOrg.Anchor)
            .GroupBy(l => DefaultDemoOrg.DayOf(l.At)).ToDictionary(g => g.Key, g => g.Count());
        var days = Enumerable.Range(-180, 180).ToList();
        bool Weekend(int d) => DefaultDemoOrg.Anchor.AddDays(d).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        var workday = days.Where(d => !Weekend(d)).Average(d => perDay.GetValueOrDefault(d));
        var weekend = days.Where(Weekend).Average(d => perDay.GetValueOrDefault(d));
        Assert.True(workday > 8 * weekend, $"logins per workday {workday:F1}, per weekend day {weekend:F1}");
    }

    [Fact]
    public void Every_activity_is_logged_on_a_day_its_owner_logged_in_before_it()
    {
        // Consistency: nobody logs a call without having opened the CRM that day.
        var firstLogin = org.Pull.Logins.Where(l => l.Succeeded)
            .GroupBy(l => (l.UserId, DefaultDemoOrg.DayOf(l.At))).ToDictionary(g => g.Key, g => g.Min(l => l.At));
        Assert.All(org.Pull.Activities.Where(a => a.OwnerId is not null), a =>
        {
            Assert.True(firstLogin.TryGetValue((a.OwnerId!, DefaultDemoOrg.DayOf(a.OccurredAt)), out var login), a.Id);
            Assert.True(login < a.OccurredAt, a.Id);
        });
    }
}
