using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using static CrmPulse.Core.Tests.Kpis.Fixture;

namespace CrmPulse.Core.Tests.Kpis;

public sealed class AdoptionKpisTests
{
    private static readonly AdoptionKpis Family = new();

    // Licensed: u1, u2 (Sales), u3 (Support), u4 (no team → unassigned). Not licensed: u5 (deactivated), bot and
    // oldbot (integration), u6 (excluded by id, given in another case), u7 (excluded by e-mail, another case).
    private static Fixture Org() => new Fixture()
        .User("u1", "Sales").User("u2", "Sales").User("u3", "Support").User("u4")
        .User("u5", "Ops", active: false)
        .User("bot", "Integrations", integration: true)
        .User("oldbot", "Sales", active: false, integration: true)
        .User("u6", "Sales")
        .User("u7", "Sales", email: "Svc@Example.com")
        .Login("u1", HoursAgo(2)).Login("u1", DaysAgo(3))
        .Login("u2", DaysAgo(10))
        .Login("u3", DaysAgo(40)).Login("u3", AsOf.AddHours(1))
        .Login("u4", HoursAgo(1), succeeded: false)
        .Login("u5", HoursAgo(1)).Login("bot", HoursAgo(1)).Login("u6", HoursAgo(1)).Login("u7", HoursAgo(1))
        .Activities(3, "u1", DaysAgo(1)).Activity("u1", DaysAgo(20))
        .Activities(2, "u2", DaysAgo(2))
        .Activities(5, "bot", DaysAgo(1));

    private static readonly KpiOptions Excluding = new() { ExcludeUsers = ["U6", "svc@example.com"] };

    [Fact]
    public void Overall_counts_only_licensed_humans_on_login_basis()
    {
        var r = Org().Run(Family, Excluding);

        Assert.Equal(4, r.Value("licensed_users"));            // u1 u2 u3 u4
        Assert.Equal(1, r.Value("daily_active_users"));        // u1 (2 h ago); u5/bot/u6/u7 logged in but do not count
        Assert.Equal(1, r.Value("weekly_active_users"));       // u1
        Assert.Equal(2, r.Value("monthly_active_users"));      // u1, u2 (10 d ago)
        Assert.Equal(0.25, r.Value("weekly_active_ratio"));    // 1 / 4
        Assert.Equal(0.5, r.Value("monthly_active_ratio"));    // 2 / 4
        Assert.Equal(0.5, r.Value("stickiness_ratio"));        // DAU 1 / MAU 2
        Assert.Equal(1, r.Value("users_never_logged_in"));     // u4: its only login failed
        Assert.Equal(1, r.Value("users_inactive_30d"));        // u3: 40 d ago; its login after as-of is ignored
        Assert.Equal(0.25, r.Value("active_contributor_ratio")); // u1 has 3 ≥ 3 in 7 d, u2 has 2: 1 / 4
        Assert.Equal(4, r.Value("excluded_users"));            // bot, oldbot (deactivated too), u6, u7
        Assert.All(r.Samples, s => Assert.Equal("login", s.Basis));
    }

    [Fact]
    public void Api_logins_are_counted_apart_and_never_make_anyone_active()
    {
        // u1 and u2 are licensed; u1 signs in only through an API tool, u2 at the UI 5 days ago; bot is an integration user.
        var r = new Fixture()
            .User("u1", "Sales").User("u2", "Sales").User("bot", "Integrations", integration: true)
            .Login("u1", HoursAgo(1), interactive: false)
            .Login("u1", DaysAgo(29.9), interactive: false)
            .Login("u1", DaysAgo(30), interactive: false)               // on the window's edge: out (as-of − 30 d < t)
            .Login("u1", HoursAgo(2), succeeded: false, interactive: false) // failed: not counted
            .Login("u1", AsOf.AddHours(1), interactive: false)           // after as-of: ignored
            .Login("bot", HoursAgo(3), interactive: false)
            .Login("u2", DaysAgo(5))
            .Run(Family);

        Assert.Equal(1, r.Value("weekly_active_users"));   // u2 only: u1's API logins do not count
        Assert.Equal(1, r.Value("users_never_logged_in")); // u1: no interactive login at all
        Assert.Equal(3, r.Value("api_logins_30d"));        // u1 at 1 h and 29.9 d, bot at 3 h
        Assert.Equal(2, r.Value("api_login_users_30d"));   // u1, bot
        Assert.Equal([""], r.KeysOf("api_logins_30d"));
        Assert.All(r.Samples, s => Assert.Equal("login", s.Basis));
    }

    [Fact]
    public void A_source_with_api_logins_only_is_on_activity_basis()
    {
        var r = new Fixture()
            .User("u1", "Sales").User("u2", "Sales")
            .Login("u1", HoursAgo(1), interactive: false)
            .Activity("u2", DaysAgo(2))
            .Run(Family);

        Assert.Equal(1, r.Value("weekly_active_users")); // u2 through its activity; u1's API login is not use
        Assert.Equal(1, r.Value("api_logins_30d"));
        Assert.All(r.Samples, s => Assert.Equal("activity", s.Basis));
    }

    [Fact]
    public void Per_team_values_use_the_team_licensed_users_and_only_teams_with_licensed_users_appear()
    {
        var r = Org().Run(Family, Excluding);

        // Sales: u1 (active today, 3 activities), u2 (active 10 d ago, 2 activities).
        Assert.Equal(2, r.Value("licensed_users", ("team", "Sales")));
        Assert.Equal(1, r.Value("daily_active_users", ("team", "Sales")));
        Assert.Equal(1, r.Value("weekly_active_users", ("team", "Sales")));
        Assert.Equal(2, r.Value("monthly_active_users", ("team", "Sales")));
        Assert.Equal(0.5, r.Value("weekly_active_ratio", ("team", "Sales")));       // 1 / 2
        Assert.Equal(1.0, r.Value("monthly_active_ratio", ("team", "Sales")));      // 2 / 2
        Assert.Equal(0.5, r.Value("stickiness_ratio", ("team", "Sales")));          // 1 / 2
        Assert.Equal(0, r.Value("users_never_logged_in", ("team", "Sales")));
        Assert.Equal(0, r.Value("users_inactive_30d", ("team", "Sales")));
        Assert.Equal(0.5, r.Value("active_contributor_ratio", ("team", "Sales")));  // 1 / 2

        // Support: u3 only, last active 40 d ago: all activity 0, MAU 0 so stickiness is 0 (not NaN).
        Assert.Equal(1, r.Value("licensed_users", ("team", "Support")));
        Assert.Equal(0, r.Value("monthly_active_users", ("team", "Support")));
        Assert.Equal(0, r.Value("stickiness_ratio", ("team", "Support")));
        Assert.Equal(1, r.Value("users_inactive_30d", ("team", "Support")));

        // u4 has no team.
        Assert.Equal(1, r.Value("licensed_users", ("team", "unassigned")));
        Assert.Equal(1, r.Value("users_never_logged_in", ("team", "unassigned")));
        Assert.Equal(0, r.Value("weekly_active_ratio", ("team", "unassigned")));

        // Ops (only the deactivated u5) and Integrations (only bot) have no licensed user.
        Assert.Equal(["", "team=Sales", "team=Support", "team=unassigned"], r.KeysOf("weekly_active_users"));
        Assert.Equal([""], r.KeysOf("excluded_users"));
        Assert.Equal(10 * 4 + 3, r.Samples.Count); // 10 KPIs × (overall + 3 teams) + excluded_users and the two API-login counts
    }

    [Fact]
    public void Team_roll_ups_add_up_to_the_overall_counts()
    {
        var r = Org().Run(Family, Excluding);
        foreach (var kpi in new[] { "licensed_users", "daily_active_users", "weekly_active_users", "monthly_active_users",
                     "users_never_logged_in", "users_inactive_30d" })
        {
            var teams = r.Samples.Where(s => s.Kpi == kpi && s.Dimensions.Count == 1).Sum(s => s.Value);
            Assert.Equal(r.Value(kpi), teams);
        }
    }

    [Fact]
    public void User_rows_list_licensed_and_excluded_users_but_not_deactivated_humans()
    {
        var r = Org().Run(Family, Excluding);

        Assert.Equal(["u1", "u2", "u3", "u4", "bot", "oldbot", "u6", "u7"], r.Users.Select(u => u.UserId));
        Assert.Equal(new UserAdoptionRow("test", "u1", "Name of u1", null, "Sales", HoursAgo(2), 2, 2, 3, 4, "active", AsOf),
            r.Row("u1")); // logins 2 h and 3 d ago; activities: 3 one day ago + 1 twenty days ago
        Assert.Equal(new UserAdoptionRow("test", "u2", "Name of u2", null, "Sales", DaysAgo(10), 0, 1, 2, 2, "active", AsOf),
            r.Row("u2"));
        Assert.Equal(new UserAdoptionRow("test", "u3", "Name of u3", null, "Support", DaysAgo(40), 0, 0, 0, 0, "inactive", AsOf),
            r.Row("u3")); // the login one hour after as-of is not the last login
        Assert.Equal(new UserAdoptionRow("test", "u4", "Name of u4", null, "unassigned", null, 0, 0, 0, 0, "never", AsOf),
            r.Row("u4")); // a failed login is no login
        Assert.Equal(new UserAdoptionRow("test", "bot", "Name of bot", null, "Integrations", HoursAgo(1), 1, 1, 5, 5, "excluded", AsOf),
            r.Row("bot"));
        Assert.Equal("excluded", r.Row("oldbot").Status);
        Assert.Equal("excluded", r.Row("u6").Status);
        Assert.Equal("excluded", r.Row("u7").Status);
    }

    [Theory]
    [InlineData("U1", "u1")] // ids match case-insensitively
    [InlineData("ALICE@example.COM", "u1")] // so do e-mails
    [InlineData("u2", "u2")]
    public void Users_excluded_by_configuration_do_not_count(string exclude, string excludedId)
    {
        var r = new Fixture().User("u1", email: "alice@Example.com").User("u2")
            .Login("u1", HoursAgo(1)).Login("u2", HoursAgo(1))
            .Run(Family, new KpiOptions { ExcludeUsers = [exclude] });

        Assert.Equal(1, r.Value("licensed_users"));
        Assert.Equal(1, r.Value("daily_active_users"));
        Assert.Equal(1, r.Value("excluded_users"));
        Assert.Equal("excluded", r.Row(excludedId).Status);
    }

    [Fact]
    public void No_users_at_all_gives_zeros_overall_and_no_team_or_user_rows()
    {
        var r = new Fixture().Run(Family);

        Assert.Equal(13, r.Samples.Count); // 10 overall + excluded_users + api_logins_30d + api_login_users_30d
        Assert.All(r.Samples, s => Assert.Equal(0, s.Value));
        Assert.All(r.Samples, s => Assert.Same(Dimensions.None, s.Dimensions));
        Assert.All(r.Samples, s => Assert.Equal("activity", s.Basis)); // no login events at all
        Assert.Empty(r.Users);
    }

    [Fact]
    public void Window_start_is_excluded_and_as_of_is_included()
    {
        // a: exactly as-of (daily); b: exactly as-of − 1 d (weekly, not daily); c: exactly as-of − 7 d (monthly, not
        // weekly); d: exactly as-of − 30 d (not monthly: inactive); e: 1 tick after as-of (ignored: never).
        var r = new Fixture().User("a").User("b").User("c").User("d").User("e")
            .Login("a", AsOf).Login("b", DaysAgo(1)).Login("c", DaysAgo(7)).Login("d", DaysAgo(30))
            .Login("e", AsOf.AddTicks(1))
            .Run(Family);

        Assert.Equal(1, r.Value("daily_active_users"));     // a
        Assert.Equal(2, r.Value("weekly_active_users"));    // a, b
        Assert.Equal(3, r.Value("monthly_active_users"));   // a, b, c
        Assert.Equal(1, r.Value("users_inactive_30d"));     // d
        Assert.Equal(1, r.Value("users_never_logged_in"));  // e
        Assert.Equal(0.4, r.Value("weekly_active_ratio"));  // 2 / 5
        Assert.Equal(0.6, r.Value("monthly_active_ratio")); // 3 / 5
        Assert.Equal(1.0 / 3, r.Value("stickiness_ratio")); // 1 / 3
        Assert.Equal((0, 1), (r.Row("c").Logins7d, r.Row("c").Logins30d)); // c: 0 in 7 d, 1 in 30 d
        Assert.Equal(["active", "active", "active", "inactive", "never"], r.Users.Select(u => u.Status));
        Assert.Null(r.Row("e").LastLogin);
    }

    [Fact]
    public void Windows_compare_instants_whatever_the_offset()
    {
        // 2026-03-02T01:00+02:00 is 2026-03-01T23:00Z. As-of 2026-03-08T23:30Z (written as 2026-03-09T00:30+01:00):
        // the week starts 2026-03-01T23:30Z, so the login is 30 min too early; read as local time it would be inside.
        var asOf = new DateTimeOffset(2026, 3, 9, 0, 30, 0, TimeSpan.FromHours(1));
        var login = new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.FromHours(2));
        var r = new Fixture().User("a").Login("a", login).Run(Family, asOf: asOf);

        Assert.Equal(0, r.Value("weekly_active_users"));
        Assert.Equal(1, r.Value("monthly_active_users"));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 23, 0, 0, TimeSpan.Zero), r.Row("a").LastLogin);

        // With as-of one hour earlier, 2026-03-08T22:30Z, the week starts 2026-03-01T22:30Z and the login is inside.
        var earlier = new DateTimeOffset(2026, 3, 8, 22, 30, 0, TimeSpan.Zero);
        Assert.Equal(1, new Fixture().User("a").Login("a", login).Run(Family, asOf: earlier).Value("weekly_active_users"));
    }

    [Fact]
    public void Failed_logins_never_make_a_user_active_but_do_not_hide_older_successes()
    {
        var r = new Fixture().User("a").User("b")
            .Login("a", HoursAgo(1), succeeded: false).Login("a", DaysAgo(45))
            .Login("b", HoursAgo(1), succeeded: false)
            .Run(Family);

        Assert.Equal(0, r.Value("monthly_active_users"));
        Assert.Equal(1, r.Value("users_inactive_30d"));    // a: success 45 d ago
        Assert.Equal(1, r.Value("users_never_logged_in")); // b: failures only
        Assert.Equal(DaysAgo(45), r.Row("a").LastLogin);
        Assert.Equal((0, 0), (r.Row("a").Logins7d, r.Row("a").Logins30d));
    }

    [Fact]
    public void Tied_logins_count_as_events_but_a_user_is_counted_once()
    {
        // a logs in twice at the same instant and b at that instant too.
        var at = HoursAgo(3);
        var r = new Fixture().User("a", "T").User("b", "T").Login("a", at).Login("a", at).Login("b", at).Run(Family);

        Assert.Equal(2, r.Value("daily_active_users"));            // distinct users: a, b
        Assert.Equal(1.0, r.Value("stickiness_ratio", ("team", "T"))); // 2 / 2
        Assert.Equal((at, 2, 2), (r.Row("a").LastLogin, r.Row("a").Logins7d, r.Row("a").Logins30d));
    }

    [Fact]
    public void Without_login_events_activity_created_in_the_window_is_the_basis()
    {
        // a: created 2 d ago (weekly); b: occurred yesterday but created 10 d ago (monthly only: CreatedAt counts);
        // c: activity created after as-of only (never); d: nothing (never).
        var r = new Fixture().User("a").User("b").User("c").User("d")
            .Activities(3, "a", DaysAgo(2))
            .Activity("b", DaysAgo(10), occurredAt: DaysAgo(1))
            .Activity("c", AsOf.AddMinutes(1))
            .Activity(null, HoursAgo(1))
            .Run(Family);

        Assert.All(r.Samples, s => Assert.Equal("activity", s.Basis));
        Assert.Equal(0, r.Value("daily_active_users"));
        Assert.Equal(1, r.Value("weekly_active_users"));
        Assert.Equal(2, r.Value("monthly_active_users"));
        Assert.Equal(2, r.Value("users_never_logged_in"));
        Assert.Equal(0.25, r.Value("active_contributor_ratio")); // a: 3 in 7 d; 1 / 4
        Assert.Equal(DaysAgo(2), r.Row("a").LastLogin);          // the latest activity stands in for the login
        Assert.Equal(DaysAgo(10), r.Row("b").LastLogin);
        Assert.Equal((0, 0, 3, 3), (r.Row("a").Logins7d, r.Row("a").Logins30d, r.Row("a").Activities7d, r.Row("a").Activities30d));
        Assert.Equal(["active", "active", "never", "never"], r.Users.Select(u => u.Status));
    }

    [Fact]
    public void One_login_event_at_any_time_puts_the_source_on_login_basis()
    {
        // The only login is after as-of (a backfill day before logins were recorded): still login basis, so a's
        // activities do not make it active and the series keeps one basis through history.
        var r = new Fixture().User("a").User("b")
            .Activities(3, "a", DaysAgo(1))
            .Login("b", AsOf.AddDays(2), succeeded: false)
            .Run(Family);

        Assert.All(r.Samples, s => Assert.Equal("login", s.Basis));
        Assert.Equal(0, r.Value("weekly_active_users"));
        Assert.Equal(2, r.Value("users_never_logged_in"));
        Assert.Equal(0.5, r.Value("active_contributor_ratio")); // contributions count on either basis: 1 / 2
        Assert.Null(r.Row("a").LastLogin);
    }

    [Fact]
    public void Contributor_threshold_comes_from_the_options()
    {
        // a: 2 activities in 7 d (+1 at exactly as-of − 7 d, outside), b: 1, c: 0.
        var fixture = new Fixture().User("a").User("b").User("c")
            .Activities(2, "a", DaysAgo(6)).Activity("a", DaysAgo(7)).Activity("b", AsOf);

        Assert.Equal(0, fixture.Run(Family).Value("active_contributor_ratio")); // default 3: nobody
        Assert.Equal(1.0 / 3, fixture.Run(Family, new KpiOptions { ContributorMinActivities = 2 }).Value("active_contributor_ratio"));
        Assert.Equal(2.0 / 3, fixture.Run(Family, new KpiOptions { ContributorMinActivities = 1 }).Value("active_contributor_ratio"));
    }

    [Fact]
    public void A_contributor_threshold_below_one_is_refused_with_a_clear_message()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(
            () => new Fixture().User("a").Run(Family, new KpiOptions { ContributorMinActivities = 0 }));
        Assert.Contains("ContributorMinActivities must be at least 1, was 0", ex.Message);
    }

    [Fact]
    public void A_blank_team_is_unassigned()
    {
        var r = new Fixture().User("a", "  ").User("b", "").User("c").Run(Family);

        Assert.Equal(3, r.Value("licensed_users", ("team", "unassigned")));
        Assert.All(r.Users, u => Assert.Equal("unassigned", u.Team));
    }

    [Fact]
    public void Computing_at_a_past_as_of_gives_the_history()
    {
        // Logins on days −20 and −1. At as-of − 15 d, only the first has happened and it is 5 d old.
        var fixture = new Fixture().User("a").Login("a", DaysAgo(20)).Login("a", DaysAgo(1));
        var r = fixture.Run(Family, asOf: DaysAgo(15));

        Assert.Equal(1, r.Value("weekly_active_users"));
        Assert.Equal(0, r.Value("daily_active_users"));
        Assert.Equal(DaysAgo(20), r.Row("a").LastLogin);
        Assert.Equal(DaysAgo(15), r.Row("a").AsOf);
        Assert.All(r.Samples, s => Assert.Equal(DaysAgo(15), s.Time));
    }
}
