using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using static CrmPulse.Core.Tests.Kpis.Fixture;

namespace CrmPulse.Core.Tests.Kpis;

public sealed class ActivityKpisTests
{
    private static readonly ActivityKpis Family = new();

    // Licensed: a1, a2 (Sales, both logged in this week), b1 (Support, never logged in). bot: integration user in Sales.
    // gone: deactivated, in Ops. Activities inside the week (as-of − 7 d, as-of] by CreatedAt:
    //   a1: 2 calls, 1 email | a2: 1 meeting | b1: 1 note | bot: 4 emails | unowned: 1 task | "ghost" (unknown): 1 call
    //   gone: 1 call                                                                                      = 12
    // Outside: a1 call at exactly as-of − 7 d, a1 call after as-of, a1 call that occurred yesterday but was created 8 d ago.
    private static Fixture Week() => new Fixture()
        .User("a1", "Sales").User("a2", "Sales").User("b1", "Support")
        .User("bot", "Sales", integration: true).User("gone", "Ops", active: false)
        .Login("a1", DaysAgo(1)).Login("a2", DaysAgo(6))
        .Activities(2, "a1", DaysAgo(1), ActivityType.Call).Activity("a1", HoursAgo(5), ActivityType.Email)
        .Activity("a2", AsOf, ActivityType.Meeting)
        .Activity("b1", DaysAgo(3), ActivityType.Note)
        .Activities(4, "bot", DaysAgo(2), ActivityType.Email)
        .Activity(null, DaysAgo(4), ActivityType.Task)
        .Activity("ghost", DaysAgo(4), ActivityType.Call)
        .Activity("gone", DaysAgo(5), ActivityType.Call)
        .Activity("a1", DaysAgo(7), ActivityType.Call)
        .Activity("a1", AsOf.AddSeconds(1), ActivityType.Call)
        .Activity("a1", DaysAgo(8), ActivityType.Call, occurredAt: DaysAgo(1));

    [Fact]
    public void Activities_logged_count_every_owner_overall_and_per_type()
    {
        var r = Week().Run(Family);

        Assert.Equal(12, r.Value("activities_logged_7d"));
        Assert.Equal(4, r.Value("activities_logged_7d", ("type", "call")));    // a1 2, ghost 1, gone 1
        Assert.Equal(5, r.Value("activities_logged_7d", ("type", "email")));   // a1 1, bot 4
        Assert.Equal(1, r.Value("activities_logged_7d", ("type", "meeting"))); // a2, exactly at as-of
        Assert.Equal(1, r.Value("activities_logged_7d", ("type", "task")));    // unowned
        Assert.Equal(1, r.Value("activities_logged_7d", ("type", "note")));    // b1
    }

    [Fact]
    public void Activities_logged_are_split_by_owner_team_with_unowned_and_unknown_owners_unassigned()
    {
        var r = Week().Run(Family);

        Assert.Equal(8, r.Value("activities_logged_7d", ("team", "Sales")));      // a1 3 + a2 1 + bot 4
        Assert.Equal(1, r.Value("activities_logged_7d", ("team", "Support")));    // b1
        Assert.Equal(2, r.Value("activities_logged_7d", ("team", "unassigned"))); // unowned task + ghost call
        Assert.Equal(1, r.Value("activities_logged_7d", ("team", "Ops")));        // deactivated user's call

        Assert.Equal(2, r.Value("activities_logged_7d", ("team", "Sales"), ("type", "call")));
        Assert.Equal(5, r.Value("activities_logged_7d", ("team", "Sales"), ("type", "email")));
        Assert.Equal(1, r.Value("activities_logged_7d", ("team", "Sales"), ("type", "meeting")));
        Assert.Equal(0, r.Value("activities_logged_7d", ("team", "Sales"), ("type", "task")));
        Assert.Equal(1, r.Value("activities_logged_7d", ("team", "unassigned"), ("type", "task")));
        Assert.Equal(0, r.Value("activities_logged_7d", ("team", "Ops"), ("type", "note")));

        // 1 overall + 5 types + 4 teams + 4 × 5 team-type cells.
        Assert.Equal(30, r.Samples.Count(s => s.Kpi == "activities_logged_7d"));
    }

    [Fact]
    public void Activities_per_active_user_counts_licensed_users_activities_over_weekly_active_users()
    {
        var r = Week().Run(Family);

        Assert.Equal(2.5, r.Value("activities_per_active_user"));                 // (a1 3 + a2 1 + b1 1) / WAU 2 (a1, a2)
        Assert.Equal(2.0, r.Value("activities_per_active_user", ("team", "Sales"))); // (3 + 1) / 2; bot's 4 left out
        Assert.Equal(0, r.Value("activities_per_active_user", ("team", "Support")));  // 1 / 0 → 0
        Assert.Equal(["", "team=Sales", "team=Support"], r.KeysOf("activities_per_active_user"));
        Assert.All(r.Samples.Where(s => s.Kpi == "activities_per_active_user"), s => Assert.Equal("login", s.Basis));
    }

    [Fact]
    public void Activities_per_active_user_on_activity_basis_uses_activity_for_activeness()
    {
        // No logins: a active by its 3 activities, b by its 1 (created 6 d ago), c not (created 9 d ago).
        var r = new Fixture().User("a").User("b").User("c")
            .Activities(3, "a", DaysAgo(1)).Activity("b", DaysAgo(6)).Activity("c", DaysAgo(9))
            .Run(Family);

        Assert.Equal(2.0, r.Value("activities_per_active_user")); // 4 / 2
        Assert.Equal("activity", r.Sample("activities_per_active_user").Basis);
    }

    [Fact]
    public void Every_type_and_every_team_with_licensed_users_gets_a_zero_rather_than_vanishing()
    {
        var r = new Fixture().User("a", "Sales").User("b", "Support").User("x", "Ops", active: false).Run(Family);

        Assert.Equal(
            ["", "team=Sales", "team=Sales,type=call", "team=Sales,type=email", "team=Sales,type=meeting",
             "team=Sales,type=note", "team=Sales,type=task", "team=Support", "team=Support,type=call",
             "team=Support,type=email", "team=Support,type=meeting", "team=Support,type=note", "team=Support,type=task",
             "type=call", "type=email", "type=meeting", "type=note", "type=task"],
            r.KeysOf("activities_logged_7d"));
        Assert.All(r.Samples, s => Assert.Equal(0, s.Value));
        foreach (var kpi in new[] { "deals_created_7d", "deals_won_7d", "contacts_created_7d", "activities_per_active_user" })
        {
            Assert.Equal(["", "team=Sales", "team=Support"], r.KeysOf(kpi));
        }
    }

    [Fact]
    public void No_users_at_all_still_gives_overall_and_per_type_zeros()
    {
        var r = new Fixture().Run(Family);

        Assert.Equal(["", "type=call", "type=email", "type=meeting", "type=note", "type=task"], r.KeysOf("activities_logged_7d"));
        Assert.Equal([""], r.KeysOf("deals_created_7d"));
        Assert.Equal(0, r.Value("activities_per_active_user"));
        Assert.Equal(1 + 5 + 1 + 1 + 1 + 1, r.Samples.Count);
        Assert.All(r.Samples, s => Assert.Equal(0, s.Value));
    }

    // AsOf is 2026-03-10T12:00Z, so the week is (2026-03-03T12:00Z, 2026-03-10T12:00Z].
    private static Fixture Deals() => new Fixture()
        .User("a1", "Sales").User("a2", "Sales").User("b1", "Support")
        .Deal(new Deal { Id = "d1", OwnerId = "a1", CreatedAt = DaysAgo(1), IsClosed = true, IsWon = true, ClosedAt = HoursAgo(2) })
        .Deal(new Deal { Id = "d2", OwnerId = "b1", CreatedAt = DaysAgo(30), IsClosed = true, IsWon = true, CloseDate = new DateOnly(2026, 3, 5) })
        .Deal(new Deal { Id = "d3", CreatedAt = DaysAgo(3) })
        .Deal(new Deal { Id = "d4", OwnerId = "a2", CreatedAt = DaysAgo(60), IsClosed = true, IsWon = true, CloseDate = new DateOnly(2026, 3, 3) })
        .Deal(new Deal { Id = "d5", OwnerId = "a2", CreatedAt = DaysAgo(60), IsClosed = true, IsWon = true, ClosedAt = AsOf.AddHours(1), CloseDate = new DateOnly(2026, 3, 9) })
        .Deal(new Deal { Id = "d6", OwnerId = "a1", CreatedAt = DaysAgo(8), IsClosed = true, IsWon = false, ClosedAt = HoursAgo(1) })
        .Deal(new Deal { Id = "d7", OwnerId = "a1", CreatedAt = DaysAgo(8), IsClosed = true, IsWon = true })
        .Deal(new Deal { Id = "d8", OwnerId = "ghost", CreatedAt = AsOf.AddDays(1) });

    [Fact]
    public void Deals_created_count_by_created_at_and_owner_team()
    {
        var r = Deals().Run(Family);

        Assert.Equal(2, r.Value("deals_created_7d"));                       // d1 (1 d ago), d3 (3 d ago); d8 is after as-of
        Assert.Equal(1, r.Value("deals_created_7d", ("team", "Sales")));     // d1
        Assert.Equal(0, r.Value("deals_created_7d", ("team", "Support")));
        Assert.Equal(1, r.Value("deals_created_7d", ("team", "unassigned"))); // d3 has no owner
    }

    [Fact]
    public void Deals_won_use_closed_at_else_the_close_date_at_midnight_utc()
    {
        var r = Deals().Run(Family);

        // d1: ClosedAt 2 h ago. d2: close date 2026-03-05 → 2026-03-05T00:00Z, inside.
        // Not: d4 (2026-03-03T00:00Z, before the week), d5 (ClosedAt after as-of wins over an inside close date),
        // d6 (lost), d7 (won with no date at all).
        Assert.Equal(2, r.Value("deals_won_7d"));
        Assert.Equal(1, r.Value("deals_won_7d", ("team", "Sales")));
        Assert.Equal(1, r.Value("deals_won_7d", ("team", "Support")));
        Assert.Equal(["", "team=Sales", "team=Support"], r.KeysOf("deals_won_7d"));
    }

    [Fact]
    public void A_close_date_is_inside_on_as_of_day_and_outside_seven_days_before()
    {
        // As-of 2026-03-10T00:00Z: 2026-03-10 → exactly as-of (inside); 2026-03-03 → exactly as-of − 7 d (outside).
        var asOf = new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);
        var r = new Fixture()
            .Deal(new Deal { Id = "in", IsWon = true, IsClosed = true, CloseDate = new DateOnly(2026, 3, 10) })
            .Deal(new Deal { Id = "out", IsWon = true, IsClosed = true, CloseDate = new DateOnly(2026, 3, 3) })
            .Run(Family, asOf: asOf);

        Assert.Equal(1, r.Value("deals_won_7d"));
        Assert.Equal(1, r.Value("deals_won_7d", ("team", "unassigned")));
    }

    [Fact]
    public void Contacts_created_count_by_instant_and_owner_team()
    {
        var r = new Fixture().User("a1", "Sales").User("b1", "Support").User("bot", "Sales", integration: true)
            .Contact(new Contact { Id = "c1", OwnerId = "b1", CreatedAt = HoursAgo(1) })
            .Contact(new Contact { Id = "c2", OwnerId = "bot", CreatedAt = DaysAgo(2) })
            .Contact(new Contact { Id = "c3", CreatedAt = DaysAgo(10) })
            // 2026-03-04T01:00+13:00 is 2026-03-03T12:00Z: exactly as-of − 7 d, so outside.
            .Contact(new Contact { Id = "c4", OwnerId = "a1", CreatedAt = new DateTimeOffset(2026, 3, 4, 1, 0, 0, TimeSpan.FromHours(13)) })
            .Contact(new Contact { Id = "c5", OwnerId = "a1", CreatedAt = AsOf.AddDays(1) })
            .Run(Family);

        Assert.Equal(2, r.Value("contacts_created_7d"));                    // c1, c2
        Assert.Equal(1, r.Value("contacts_created_7d", ("team", "Sales")));   // c2: the integration user's work counts
        Assert.Equal(1, r.Value("contacts_created_7d", ("team", "Support"))); // c1
        Assert.Equal(["", "team=Sales", "team=Support"], r.KeysOf("contacts_created_7d"));
    }

    [Fact]
    public void Team_type_and_cell_counts_each_add_up_to_the_overall_count()
    {
        var r = Week().Run(Family);
        var perTeam = r.Samples.Where(s => s.Kpi == "activities_logged_7d" && s.Dimensions.Count == 1 && s.Dimensions["team"] is not null);
        var perType = r.Samples.Where(s => s.Kpi == "activities_logged_7d" && s.Dimensions.Count == 1 && s.Dimensions["type"] is not null);
        var cells = r.Samples.Where(s => s.Kpi == "activities_logged_7d" && s.Dimensions.Count == 2);

        Assert.Equal(12, perTeam.Sum(s => s.Value));
        Assert.Equal(12, perType.Sum(s => s.Value));
        Assert.Equal(12, cells.Sum(s => s.Value));
    }

    [Fact]
    public void An_activity_of_undefined_type_is_refused_with_its_id()
    {
        var fixture = new Fixture().Activity("a", DaysAgo(1), (ActivityType)42);
        var ex = Assert.Throws<InvalidOperationException>(() => fixture.Run(Family));
        Assert.Equal("Activity 'act-0' of source 'test' has undefined type 42.", ex.Message);
    }
}
