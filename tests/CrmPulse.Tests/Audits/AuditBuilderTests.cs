using System.Text.Json;
using CrmPulse.Audits;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using CrmPulse.Tests.Support;
using static CrmPulse.Tests.Audits.AuditHistory;

namespace CrmPulse.Tests.Audits;

/// <summary>The audit of 1–15 January 2026 over the hand-made history of <see cref="AuditHistory"/>: every value exact.</summary>
public sealed class AuditBuilderTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 2, 1, 12, 0, 0, TimeSpan.Zero);
    private TempStore _store = null!;
    private readonly FakeClock _clock = new(Now);

    public async Task InitializeAsync()
    {
        _store = await TempStore.OpenAsync();
        await WriteAsync(_store.Store, "acme");
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private AuditBuilder Builder => new(_store.Store, _store.Store, _clock);

    private static AuditModel.Reading Reading(IEnumerable<AuditModel.Reading> readings, string kpi, string dims = "") =>
        readings.Single(r => r.Kpi == kpi && string.Join(",", r.Dimensions.OrderBy(d => d.Key).Select(d => $"{d.Key}={d.Value}")) == dims);

    private static void AssertReading(AuditModel.Reading r, double? start, DateTimeOffset? startAt, double? end, DateTimeOffset? endAt)
    {
        Assert.Null(r.NotMeasured);
        Assert.Equal((start, startAt, end, endAt), (r.Start, r.StartAt, r.End, r.EndAt));
    }

    [Fact]
    public async Task Usage_counts_the_licensed_users_who_logged_in_and_the_periods_records_per_team_and_type()
    {
        var audit = await Builder.BuildAsync(From, To, "acme", ["acme"], CancellationToken.None);

        Assert.Equal(At(1, 1), audit.Start);
        Assert.Equal(At(1, 16), audit.End);
        var u = Assert.Single(audit.Sources).Usage;
        Assert.Equal((At(1, 16), "login", 4, 2, 0.5), (u.UsersAsOf, u.Basis, u.LicensedUsers, u.UsersLoggedIn, u.LoggedInShare));
        AssertReading(Reading(u.Adoption, "licensed_users"), 4, At(1, 9), 4, At(1, 16));
        var r = u.Records!;
        // No source configuration here: u4 is not excluded (the audit hosts exclude it: 4 there).
        Assert.Equal((Synced, (int?)5), (r.MirrorAsOf, r.Logins));
        Assert.Equal(
        [
            ("all", 3, 1250.5, 1, 3, 7, "2 2 1 1 1"),
            ("Integrations", 0, 0.0, 0, 0, 1, "0 0 0 0 1"),
            ("Ops", 1, 250.5, 0, 1, 2, "0 1 1 0 0"),
            ("Sales", 2, 1000.0, 1, 1, 3, "1 1 0 1 0"),
            ("unassigned", 0, 0.0, 0, 1, 1, "1 0 0 0 0"),
        ], r.Teams.Select(t => (t.Team, t.DealsWon, t.WonAmount, t.WonWithoutAmount, t.DealsCreated, t.Activities,
            string.Join(" ", new[] { "call", "email", "meeting", "task", "note" }.Select(k => t.ActivitiesByType[k])))));
    }

    [Fact]
    public async Task Where_the_source_gives_no_login_events_activity_counts_and_logins_are_not_measured()
    {
        // beta's mirror: one user and one activity, no login event.
        var changes = new ChangeSet();
        changes.Users.Add(new CrmUser("b1", "B1", null, "Sales", true, false));
        changes.Activities.Add(new Activity("ba", ActivityType.Meeting, "b1", At(1, 10), At(1, 10), At(1, 10)));
        await _store.Store.ApplyAsync("beta", changes, Synced, CancellationToken.None);
        // beta: one pass at the period's end on activity basis; its user's "last login" is their last activity (10 Jan).
        await _store.Store.AppendAsync([new KpiSample("licensed_users", "beta", Dimensions.None, 2, At(1, 16), "activity")],
        [
            new("beta", "b1", "B1", null, "Sales", At(1, 10), 0, 0, 3, 3, "active", At(1, 16)),
            new("beta", "b2", "B2", null, "Sales", At(12, 1), 0, 0, 0, 0, "inactive", At(1, 16)),
        ], CancellationToken.None);

        var u = Assert.Single((await Builder.BuildAsync(From, To, "beta", ["acme", "beta"], CancellationToken.None)).Sources).Usage;

        Assert.Equal(("activity", 2, 1, 0.5), (u.Basis, u.LicensedUsers, u.UsersLoggedIn, u.LoggedInShare));
        Assert.Null(u.Records!.Logins);
        Assert.Equal([("all", 1, 1), ("Sales", 1, 1)], u.Records.Teams.Select(t => (t.Team, t.Activities, t.ActivitiesByType["meeting"])));
    }

    [Fact]
    public async Task A_source_that_never_synced_has_no_record_totals()
    {
        var u = Assert.Single((await Builder.BuildAsync(From, To, "gamma", ["acme", "gamma"], CancellationToken.None)).Sources).Usage;

        Assert.Null(u.Records);
    }

    [Fact]
    public async Task Integrations_give_uptime_and_incidents_in_the_period_only()
    {
        var audit = await Builder.BuildAsync(From, To, "acme", ["acme"], CancellationToken.None);

        var erp = Assert.Single(audit.Probes);
        Assert.Equal(("erp", "probe_up", 6, 3, 0.5, 2), (erp.Integration, erp.Kpi, erp.Samples, erp.Good, erp.GoodRatio, erp.Incidents));
        var billing = Assert.Single(audit.Sources[0].IntegrationLateness);
        Assert.Equal(("billing", 3, 2, 2.0 / 3, 1), (billing.Integration, billing.Samples, billing.Good, billing.GoodRatio, billing.Incidents));
    }

    [Fact]
    public async Task Roi_open_work_security_data_quality_and_accounts_read_the_start_and_the_end()
    {
        var s = Assert.Single((await Builder.BuildAsync(From, To, "acme", ["acme"], CancellationToken.None)).Sources);

        AssertReading(s.Roi.Roi, 1.5, At(12, 15), 2.0, At(1, 10));
        Assert.Equal(0.5, s.Roi.Roi.Change);
        Assert.Equal("not measured for source acme in the period", s.Roi.WinRate.NotMeasured);
        Assert.Null(s.Roi.WinRate.End);
        Assert.Equal([("2026-01", (double?)1500, (DateTimeOffset?)At(1, 16))], s.Roi.RevenueByMonth.Select(m => (m.Month, m.Revenue, m.At)));
        Assert.Equal(1500, s.Roi.RevenueTotal);

        AssertReading(Reading(s.CarriedOver, "open_deals"), 12, At(12, 31), 8, At(1, 16));
        AssertReading(Reading(s.CarriedOver, "overdue_tasks"), 4, At(1, 5), 4, At(1, 5));
        Assert.Equal("not measured for source acme in the period", Reading(s.CarriedOver, "stalled_deals").NotMeasured);

        Assert.Equal(AuditBuilder.SecurityKpis, s.Security.Select(r => r.Kpi));
        AssertReading(Reading(s.Security, "licence_unused_seats"), 5, At(1, 3), 3, At(1, 15));
        foreach (var r in s.Security.Where(r => r.Kpi != "licence_unused_seats"))
        {
            Assert.Equal(KpiCatalog.TryGet(r.Kpi, out _) ? "not measured for source acme in the period" : "not measured by this version", r.NotMeasured);
            Assert.Null(r.End);
        }

        var dq = s.DataQuality;
        AssertReading(dq.Score, 70, At(12, 20), 80, At(1, 15));
        AssertReading(Reading(dq.Components, "data_quality_component", "component=completeness"), 0.2, At(1, 2), 0.25, At(1, 15));
        Assert.Equal([("duplicate_clusters", 3.0), ("removable_duplicates", 7.0)], dq.Duplicates.Select(r => (r.Kpi, r.End!.Value)));
        Assert.Equal([("field=amount,object=deal", 2.0), ("field=email,object=contact", 4.0)],
            dq.Missing.Select(r => (string.Join(",", r.Dimensions.OrderBy(d => d.Key).Select(d => $"{d.Key}={d.Value}")), r.End!.Value)));
        Assert.Equal(10, Reading(dq.Freshness, "stale_records", "object=company").End);
        Assert.Equal(2, Reading(dq.UnusedFields, "unused_custom_fields", "object=contact").End);

        Assert.Equal(["rfm_accounts", "rfm_accounts", "dead_accounts", "unowned_accounts"], s.Accounts.Select(r => r.Kpi));
        Assert.Equal([20, 5, 6, (double?)null], s.Accounts.Select(r => r.End));
        Assert.Equal("not measured for source acme in the period", s.Accounts[3].NotMeasured);
    }

    [Fact]
    public async Task An_empty_store_measures_nothing_and_invents_no_zero()
    {
        // 2024: before anything the store holds.
        var audit = await Builder.BuildAsync(new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31), "acme", ["acme"], CancellationToken.None);

        var s = Assert.Single(audit.Sources);
        Assert.Equal((null, null, null, null), (s.Usage.UsersAsOf, s.Usage.LicensedUsers, s.Usage.UsersLoggedIn, s.Usage.LoggedInShare));
        // The mirror is synced: its records in 2024 are truly none.
        Assert.Equal((int?)0, s.Usage.Records!.Logins);
        var all = Assert.Single(s.Usage.Records.Teams);
        Assert.Equal(("all", 0, 0.0, 0, 0, 0), (all.Team, all.DealsWon, all.WonAmount, all.DealsCreated, all.Activities, all.ActivitiesByType.Values.Sum()));
        Assert.Empty(audit.Probes);
        Assert.Null(s.Roi.RevenueTotal);
        Assert.Equal(12, s.Roi.RevenueByMonth.Count);
        Assert.All(s.CarriedOver.Concat(s.Security).Concat(s.Accounts).Append(s.DataQuality.Score).Append(s.Roi.Roi), r =>
        {
            Assert.NotNull(r.NotMeasured);
            Assert.Null(r.End);
        });
        Assert.Empty(s.DataQuality.Duplicates);
    }

    [Fact]
    public async Task A_stored_audit_is_compared_with_the_previous_one_of_the_same_source()
    {
        var (first, firstAudit) = await Builder.RunAsync(From, To, "acme", ["acme"], CancellationToken.None);
        Assert.Null(firstAudit.SinceLastAudit);
        // An audit of every source is not the previous audit of acme.
        await Builder.RunAsync(From, To, null, ["acme"], CancellationToken.None);

        // Later on 15 January: the score rose to 82 and 2 dead accounts were cleaned up.
        await _store.Store.AppendAsync(
        [
            new KpiSample("data_quality_score", "acme", Dimensions.None, 82, At(1, 15, 23)),
            new KpiSample("dead_accounts", "acme", Dimensions.None, 4, At(1, 15, 23)),
        ], [], CancellationToken.None);
        _clock.Now = Now.AddDays(1);
        var (second, audit) = await Builder.RunAsync(From, To, "acme", ["acme"], CancellationToken.None);

        Assert.Equal(first + 2, second);
        var since = audit.SinceLastAudit!;
        Assert.Equal((first, From, To, Now), (since.PreviousId, since.PreviousFrom, since.PreviousTo, since.PreviousCreatedAt));
        var changes = since.Changes.ToDictionary(c => c.Key);
        Assert.Equal((80, 82, 2), (changes["data_quality_score"].Previous, changes["data_quality_score"].Current, changes["data_quality_score"].Change));
        Assert.Equal((6, 4, -2), (changes["dead_accounts"].Previous, changes["dead_accounts"].Current, changes["dead_accounts"].Change));
        Assert.Equal((0.5, 0.5), (changes["logged_in_share"].Previous, changes["logged_in_share"].Current));
        Assert.Equal((6, 6), (changes["missing_required_field"].Previous, changes["missing_required_field"].Current));
        Assert.Equal((3, 3), (changes["deals_won"].Previous, changes["deals_won"].Current));
        Assert.Equal((1250.5, 1250.5), (changes["deals_won_amount"].Previous, changes["deals_won_amount"].Current));
        Assert.Equal((7, 7), (changes["activities_logged"].Previous, changes["activities_logged"].Current));
        Assert.Equal((5, 5), (changes["logins"].Previous, changes["logins"].Current));
        Assert.Equal((1500, 1500), (changes["revenue_won"].Previous, changes["revenue_won"].Current));
        Assert.Equal((null, null), (changes["unowned_accounts"].Previous, changes["unowned_accounts"].Current));

        // Stored as made: the JSON read back is the audit, since-last included.
        var stored = await _store.Store.AuditAsync(second, CancellationToken.None);
        Assert.Equal("acme", stored!.Source);
        var back = JsonSerializer.Deserialize<AuditModel>(stored.Json!, AuditBuilder.Json)!;
        Assert.Equal(first, back.SinceLastAudit!.PreviousId);
        Assert.Equal(82, back.Sources[0].DataQuality.Score.End);
        Assert.Equal([second, second - 1, first], (await _store.Store.AuditsAsync(10, CancellationToken.None)).Select(a => a.Id));
    }
}
