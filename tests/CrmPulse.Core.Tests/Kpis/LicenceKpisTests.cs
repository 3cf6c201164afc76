using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using static CrmPulse.Core.Tests.Kpis.Fixture;

namespace CrmPulse.Core.Tests.Kpis;

/// <summary>
/// Licence waste and access review. As-of is 2026-03-10 12:00 UTC (<see cref="Fixture.AsOf"/>): the bands start at
/// 2026-02-08 12:00 (30 days), 2026-01-09 12:00 (60 days) and 2025-12-10 12:00 (90 days).
/// </summary>
public sealed class LicenceKpisTests
{
    private static readonly LicenceKpis Family = new();

    private static KpiResult Run(Fixture f, LicenceOptions? licences = null) =>
        f.Run(Family, new KpiOptions { Licences = licences ?? new LicenceOptions() });

    private static CrmUser User(string id, string? team, bool? admin = null, bool active = true, bool integration = false,
        string? email = null, double createdDaysAgo = 400, string? profile = null) =>
        new(id, "Name of " + id, email, team, active, integration, DaysAgo(createdDaysAgo), admin, profile);

    private static Activity Task(string id, string owner, bool completed, double createdDaysAgo = 5) =>
        new(id, ActivityType.Task, owner, DaysAgo(createdDaysAgo), DaysAgo(createdDaysAgo), DaysAgo(createdDaysAgo), Completed: completed);

    /// <summary>
    /// Seven licensed users (a in use, b and f 30d, c and g 60d, d 90d, e never), deactivated h owning open work and
    /// i owning only closed work, an integration admin and a user created after as-of (neither licensed).
    /// </summary>
    private static Fixture Org() => new Fixture()
        // a: logged in 1 day ago: in use; an administrator.
        .User(User("a", "Sales", admin: true, email: "a@x.com", profile: "System Administrator")).Login("a", DaysAgo(1))
        // b: last login 45 days ago (30d); a failed login 2 days ago does not make him active.
        .User(User("b", "Sales", admin: false, email: "b@x.com ")).Login("b", DaysAgo(45)).Login("b", DaysAgo(2), succeeded: false)
        // c: 75 days ago (60d); an administrator, so an idle one.
        .User(User("c", "Support", admin: true, email: "C@X.com")).Login("c", DaysAgo(75))
        // d: 200 days ago (90d); an API login yesterday is no use of the seat.
        .User(User("d", "Support", email: "d@x.com")).Login("d", DaysAgo(200)).Login("d", DaysAgo(1), interactive: false)
        // e: no team, never logged in; an administrator.
        .User(User("e", null, admin: true))
        // f: exactly 30 days ago: not in the trailing 30 days (the window's start is excluded), so 30d.
        .User(User("f", "Sales", email: "f@x.com")).Login("f", DaysAgo(30))
        // g: exactly 60 days ago: 60d.
        .User(User("g", "Sales", email: "g@x.com")).Login("g", DaysAgo(60))
        // h: deactivated administrator owning an open deal, an open task, a closed deal and a completed task.
        .User(User("h", "Sales", admin: true, active: false))
        .Deal(new Deal { Id = "d1", OwnerId = "h", CreatedAt = DaysAgo(20) })
        .Deal(new Deal { Id = "d2", OwnerId = "h", CreatedAt = DaysAgo(20), IsClosed = true, ClosedAt = DaysAgo(3) })
        .Activity(Task("t1", "h", completed: false)).Activity(Task("t2", "h", completed: true))
        // i: deactivated, owns a closed deal and an open deal created after as-of: nothing open at as-of.
        .User(User("i", "Support", active: false))
        .Deal(new Deal { Id = "d3", OwnerId = "i", CreatedAt = DaysAgo(20), IsClosed = true, IsWon = true, ClosedAt = DaysAgo(3) })
        .Deal(new Deal { Id = "d4", OwnerId = "i", CreatedAt = DaysAgo(-1) })
        // j: deactivated integration user owning an open deal: not a person, not counted.
        .User(User("j", "Sales", active: false, integration: true)).Deal(new Deal { Id = "d5", OwnerId = "j", CreatedAt = DaysAgo(9) })
        // bot: active integration administrator, never logged in: no seat, no administrator counted.
        .User(User("bot", null, admin: true, integration: true))
        // k: created tomorrow: holds no seat at as-of.
        .User(User("k", "Sales", createdDaysAgo: -1));

    [Fact]
    public void Unused_seats_fall_in_one_band_each_and_add_up_to_the_adoption_counts()
    {
        var r = Run(Org());

        Assert.Equal(6, r.Value("licence_unused_seats"));
        Assert.Equal(["b", "f"], r.IssueIds("licence_unused_seats", "user", "30d"));
        Assert.Equal(["c", "g"], r.IssueIds("licence_unused_seats", "user", "60d"));
        Assert.Equal(["d"], r.IssueIds("licence_unused_seats", "user", "90d"));
        Assert.Equal(["e"], r.IssueIds("licence_unused_seats", "user", "never"));
        foreach (var (band, n) in new[] { ("30d", 2), ("60d", 2), ("90d", 1), ("never", 1) })
            Assert.Equal(n, r.Value("licence_unused_seats", ("inactive_for", band)));
        Assert.Equal(3, r.Value("licence_unused_seats", ("team", "Sales")));     // b, f, g (a is in use)
        Assert.Equal(2, r.Value("licence_unused_seats", ("team", "Support")));
        Assert.Equal(1, r.Value("licence_unused_seats", ("team", KpiOptions.NoTeam)));
        Assert.Equal(2, r.Value("licence_unused_seats", ("inactive_for", "30d"), ("team", "Sales")));
        Assert.Equal(1, r.Value("licence_unused_seats", ("inactive_for", "60d"), ("team", "Sales")));
        Assert.Equal(1, r.Value("licence_unused_seats", ("inactive_for", "60d"), ("team", "Support")));
        Assert.DoesNotContain("inactive_for=30d,team=Support", r.KeysOf("licence_unused_seats")); // no zero per band and team
        Assert.All(r.Samples, s => Assert.Equal(UserActivityIndex.LoginBasis, s.Basis));
        Assert.Equal("Name of b: last active 2026-01-24 (45 days ago, by login)", r.Issue("licence_unused_seats", "b").Detail);
        Assert.Equal("Name of e: never active (by login)", r.Issue("licence_unused_seats", "e").Detail);
        Assert.Equal("Sales", r.Issue("licence_unused_seats", "b").Team);

        // The same seats as the adoption family's inactive and never-active users.
        var adoption = Org().Run(new AdoptionKpis());
        Assert.Equal(adoption.Value("users_inactive_30d") + adoption.Value("users_never_logged_in"), r.Value("licence_unused_seats"));
        // No cost without a cost per seat.
        Assert.DoesNotContain(r.Samples, s => s.Kpi == "licence_cost_unused");
    }

    [Fact]
    public void Unused_seats_cost_the_seats_times_the_cost_per_seat()
    {
        var r = Run(Org(), new LicenceOptions { CostPerSeat = 25.5m });

        Assert.Equal(153, r.Value("licence_cost_unused"));                              // 6 × 25.5
        Assert.Equal(51, r.Value("licence_cost_unused", ("inactive_for", "30d")));       // 2 × 25.5
        Assert.Equal(76.5, r.Value("licence_cost_unused", ("team", "Sales")));           // 3 × 25.5
        Assert.Equal(25.5, r.Value("licence_cost_unused", ("inactive_for", "never"), ("team", KpiOptions.NoTeam)));
        Assert.Equal(r.KeysOf("licence_unused_seats"), r.KeysOf("licence_cost_unused"));
    }

    [Fact]
    public void Administrators_are_licensed_users_with_rights_and_the_idle_ones_are_listed()
    {
        var r = Run(Org());

        // a, c and e; h is deactivated, bot an integration user.
        Assert.Equal(3, r.Value("admin_users"));
        Assert.Equal(["a", "c", "e"], r.IssueIds("admin_users"));
        Assert.Equal(1, r.Value("admin_users", ("team", "Sales")));
        Assert.Equal(1, r.Value("admin_users", ("team", "Support")));
        Assert.Equal(1, r.Value("admin_users", ("team", KpiOptions.NoTeam)));
        Assert.Equal(2, r.Value("admin_users_inactive"));
        Assert.Equal(["c", "e"], r.IssueIds("admin_users_inactive"));
        Assert.Equal(0, r.Value("admin_users_inactive", ("team", "Sales")));
        Assert.Equal(1, r.Value("admin_users_inactive", ("team", "Support")));
        Assert.Equal("Name of a (System Administrator): last active 2026-03-09 (1 day ago, by login)", r.Issue("admin_users", "a").Detail);
    }

    [Fact]
    public void When_the_source_cannot_tell_administrators_there_is_no_admin_sample_rather_than_zero()
    {
        var r = Run(new Fixture().User("a", "Sales").User("b", "Sales").Login("a", DaysAgo(100)));

        Assert.DoesNotContain(r.Samples, s => s.Kpi is "admin_users" or "admin_users_inactive");
        Assert.Empty(r.IssueIds("admin_users"));

        // One user saying "not an administrator" is enough to know: then 0 is a fact.
        var told = Run(new Fixture().User(User("a", "Sales", admin: false)));
        Assert.Equal(0, told.Value("admin_users"));
        Assert.Equal(0, told.Value("admin_users_inactive"));
    }

    [Fact]
    public void Deactivated_people_owning_open_deals_or_tasks_are_listed_with_the_counts()
    {
        var r = Run(Org());

        Assert.Equal(1, r.Value("deactivated_users_owning_open_records"));
        Assert.Equal(1, r.Value("deactivated_users_owning_open_records", ("team", "Sales")));
        Assert.Equal(["h"], r.IssueIds("deactivated_users_owning_open_records", "user"));
        Assert.Equal("Name of h is deactivated and owns 1 open deal and 1 open task", r.Issue("deactivated_users_owning_open_records", "h").Detail);
    }

    [Fact]
    public void Users_not_on_the_roster_are_compared_by_trimmed_email_without_case()
    {
        var r = Run(Org(), new LicenceOptions { Roster = ["A@x.com", " b@x.com", "c@x.com", "zz@x.com"] });

        // a, b, c on it (case and spaces aside); d, f, g are not, e has no e-mail.
        Assert.Equal(4, r.Value("users_not_on_roster"));
        Assert.Equal(["d", "e", "f", "g"], r.IssueIds("users_not_on_roster"));
        Assert.Equal(2, r.Value("users_not_on_roster", ("team", "Sales")));
        Assert.Equal(1, r.Value("users_not_on_roster", ("team", "Support")));
        Assert.Equal(1, r.Value("users_not_on_roster", ("team", KpiOptions.NoTeam)));
        Assert.Equal("Name of e has no e-mail to find on the roster", r.Issue("users_not_on_roster", "e").Detail);
        Assert.Equal("Name of d (d@x.com) is not on the roster of active employees", r.Issue("users_not_on_roster", "d").Detail);

        // Without a roster: no sample.
        Assert.DoesNotContain(Run(Org()).Samples, s => s.Kpi == "users_not_on_roster");
    }

    [Fact]
    public void The_roster_file_is_read_at_each_pass()
    {
        var path = Path.Combine(Path.GetTempPath(), $"roster-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllText(path, "\uFEFFName;E-Mail;Dept\n\"Doe; Jane\";a@x.com;Sales\n\nNo Mail;;IT\nB;\"B@X.COM\";Ops\n");
            var r = Run(Org(), new LicenceOptions { RosterFile = path });
            Assert.Equal(["c", "d", "e", "f", "g"], r.IssueIds("users_not_on_roster"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("", "the file is empty (a header row with an 'email' column is expected).")]
    [InlineData("name,mail\nx,a@x.com\n", "line 1 has no 'email' column (columns: name, mail).")]
    [InlineData("name,email\nx,a@x.com\ny,not-an-address\n", "line 3: 'not-an-address' is not an e-mail address.")]
    public void A_bad_roster_file_is_named_with_the_line(string content, string message)
    {
        var path = Path.Combine(Path.GetTempPath(), $"roster-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllText(path, content);
            var e = Assert.Throws<InvalidDataException>(() => LicenceRoster.Load(path));
            Assert.Equal($"Licences:RosterFile '{path}': {message}", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void On_activity_basis_a_logged_activity_uses_the_seat()
    {
        var r = Run(new Fixture()
            .User("a", "Sales").User("b", "Sales").User("c", "Sales")
            .Activity("a", DaysAgo(10)).Activity("b", DaysAgo(65)));

        Assert.Equal(2, r.Value("licence_unused_seats"));
        Assert.Equal(["b"], r.IssueIds("licence_unused_seats", field: "60d"));
        Assert.Equal(["c"], r.IssueIds("licence_unused_seats", field: "never"));
        Assert.Equal("Name of b: last active 2026-01-04 (65 days ago, by logged activity)", r.Issue("licence_unused_seats", "b").Detail);
        Assert.All(r.Samples, s => Assert.Equal(UserActivityIndex.ActivityBasis, s.Basis));
    }

    [Fact]
    public void An_empty_org_has_no_unused_seats_and_nothing_to_review()
    {
        var r = Run(new Fixture(), new LicenceOptions { CostPerSeat = 30, Roster = [] });

        Assert.Equal(0, r.Value("licence_unused_seats"));
        foreach (var band in LicenceKpis.Bands) Assert.Equal(0, r.Value("licence_unused_seats", ("inactive_for", band)));
        Assert.Equal(0, r.Value("licence_cost_unused"));
        Assert.Equal(0, r.Value("deactivated_users_owning_open_records"));
        Assert.Equal(0, r.Value("users_not_on_roster"));
        Assert.DoesNotContain(r.Samples, s => s.Kpi == "admin_users");
        Assert.Empty(r.Issues);
    }

    [Fact]
    public void Options_are_checked()
    {
        Assert.Empty(new LicenceOptions().Validate());
        Assert.Equal(["CostPerSeat must be 0 or more, was -1.", "Currency must not be empty when given.", "RosterFile '/nowhere/roster.csv' does not exist."],
            new LicenceOptions { CostPerSeat = -1, Currency = " ", RosterFile = "/nowhere/roster.csv" }.Validate());
    }
}
