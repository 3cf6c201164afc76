using System.Globalization;
using CrmPulse.Sources.Demo;
using Xunit.Abstractions;

namespace CrmPulse.Sources.Tests.Demo;

/// <summary>The adoption story of the default org: Customer Success drops over the last 21 days, the others hold.</summary>
[Collection(DefaultDemoOrgCollection.Name)]
public sealed class DemoAdoptionDipTests(DefaultDemoOrg org, ITestOutputHelper output)
{
    private const string Dip = "Customer Success";

    /// <summary>Login-days (a user with a successful login that day) per licensed member per workday, over [from, to).</summary>
    private double LoginRate(string team, int from, int to)
    {
        var members = org.Licensed.Where(u => u.Team == team).Select(u => u.Id).ToHashSet();
        var workdays = Enumerable.Range(from, to - from)
            .Count(d => DefaultDemoOrg.Anchor.AddDays(d).DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
        var loginDays = org.Pull.Logins
            .Where(l => l.Succeeded && members.Contains(l.UserId))
            .Select(l => (l.UserId, Day: DefaultDemoOrg.DayOf(l.At)))
            .Distinct()
            .Count(x => x.Day >= from && x.Day < to && DefaultDemoOrg.Anchor.AddDays(x.Day).DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
        return (double)loginDays / (members.Count * workdays);
    }

    /// <summary>Licensed members with a successful login in (end − 7 days, end], ÷ members.</summary>
    private double WeeklyActiveRatio(string team, DateTimeOffset end)
    {
        var members = org.Licensed.Where(u => u.Team == team).Select(u => u.Id).ToHashSet();
        var active = org.Pull.Logins.Where(l => l.Succeeded && members.Contains(l.UserId) && l.At > end.AddDays(-7) && l.At <= end)
            .Select(l => l.UserId).Distinct().Count();
        return (double)active / members.Count;
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var s = values.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    [Fact]
    public void Customer_success_logs_in_far_less_over_the_last_21_days_while_other_teams_hold_steady()
    {
        foreach (var team in org.Facts.AdoptionByTeam.Keys)
        {
            var before = LoginRate(team, -180, -21);
            var last = LoginRate(team, -21, 0);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{team,-17} login-days per member per workday: before {before:F3}, last 21 days {last:F3} ({last / before:P0})"));
            if (team == Dip) Assert.True(last < 0.4 * before, $"{team}: {last:F3} vs {before:F3}");
            else Assert.True(last > 0.85 * before && last < 1.15 * before, $"{team}: {last:F3} vs {before:F3}");
        }
    }

    [Fact]
    public void Customer_success_weekly_active_ratio_in_the_last_week_is_far_below_its_median_of_the_previous_weeks()
    {
        Assert.Equal(Dip, org.Facts.DipTeam);
        Assert.Equal(DefaultDemoOrg.Anchor.AddDays(-21), org.Facts.DipStart);
        foreach (var team in org.Facts.AdoptionByTeam.Keys)
        {
            // Weeks ending at the anchor, a week earlier, …: 25 whole weeks in 180 days.
            var ratios = Enumerable.Range(0, 25).Select(k => WeeklyActiveRatio(team, DefaultDemoOrg.Anchor.AddDays(-7 * k))).ToList();
            Assert.Equal(ratios, org.Facts.WeeklyActiveRatioByWeek[team]);
            var median = Median(ratios.Skip(1).Take(8).ToList());
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{team,-17} weekly_active_ratio last week {ratios[0]:F3}, median of the 8 weeks before {median:F3}"));
            if (team == Dip) Assert.True(ratios[0] < 0.5 * median, $"{team}: {ratios[0]:F3} vs median {median:F3}");
            else Assert.True(ratios[0] >= 0.85 * median, $"{team}: {ratios[0]:F3} vs median {median:F3}");
        }
        Assert.Equal(org.Facts.AdoptionByTeam[Dip].WeeklyActiveRatio, org.Facts.WeeklyActiveRatioByWeek[Dip][0]);
    }

    [Fact]
    public void Customer_success_logs_fewer_activities_during_the_dip_too()
    {
        var members = org.Licensed.Where(u => u.Team == Dip).Select(u => u.Id).ToHashSet();
        var perDay = org.Activities.Where(a => a.OwnerId is not null && members.Contains(a.OwnerId))
            .GroupBy(a => DefaultDemoOrg.DayOf(a.OccurredAt) >= -21).ToDictionary(g => g.Key, g => g.Count());
        var before = perDay[false] / 159.0; // days -180 … -22
        var during = perDay[true] / 21.0; // days -21 … -1
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Dip} activities per day: before {before:F1}, during the dip {during:F1}"));
        Assert.True(during < 0.4 * before, $"{during:F1} vs {before:F1}");
    }

    [Fact]
    public async Task The_dip_continues_after_the_anchor()
    {
        var members = org.Licensed.Where(u => u.Team == Dip).Select(u => u.Id).ToHashSet();
        var source = new DemoSource("demo",
            new DemoSourceOptions { Anchor = DefaultDemoOrg.Anchor, Contacts = 1000, Companies = 200, Deals = 200, Activities = 50000 },
            new FakeClock(DefaultDemoOrg.Anchor.AddDays(14)));
        var set = await source.PullAsync(new Dictionary<string, string>(), CancellationToken.None);
        var after = set.Logins.Where(l => l.Succeeded && l.At > DefaultDemoOrg.Anchor && set.Users.Single(u => u.Id == l.UserId).Team == Dip)
            .Select(l => l.UserId).Distinct().Count();
        // 30 members, 20 of them (65 %) stopped: at most the other 10 come back in the two weeks after the anchor.
        Assert.InRange(after, 1, 10);
        Assert.Equal(30, members.Count);
    }

    [Fact]
    public void Integration_users_log_in_every_day_of_the_history_and_after_the_anchor()
    {
        foreach (var user in org.Users.Where(u => u.IsIntegration))
        {
            var days = org.Pull.Logins.Where(l => l.UserId == user.Id && l.Succeeded).Select(l => DefaultDemoOrg.DayOf(l.At)).ToHashSet();
            Assert.Equal(Enumerable.Range(-180, 181).ToHashSet(), days); // days -180 … 0 (the anchor's day, up to 14:00)
        }
    }
}
