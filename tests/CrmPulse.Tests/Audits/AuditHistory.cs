using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using CrmPulse.Storage;

namespace CrmPulse.Tests.Audits;

/// <summary>
/// A hand-made ledger history for the audit of 1 to 15 January 2026 (Start 01-01 00:00, End 01-16 00:00 UTC): two whole
/// weeks end at End (01-09 00:00 and 01-16 00:00), the first day (01-01) is in neither. The expected values are worked
/// out in the comments and asserted in <see cref="AuditBuilderTests"/>. The mirror (synced on 01-20) holds the source's
/// users, logins, deals and activities, with events exactly at Start (counted) and at End (not counted) and one second
/// before each (the other way round).
/// </summary>
public static class AuditHistory
{
    public static readonly DateOnly From = new(2026, 1, 1);
    public static readonly DateOnly To = new(2026, 1, 15);

    public static DateTimeOffset At(int month, int day, int hour = 0) =>
        new(month == 12 ? 2025 : 2026, month, day, hour, 0, 0, TimeSpan.Zero);

    /// <summary>The setting the audit hosts give source acme: u4 is excluded by e-mail (case-insensitive).</summary>
    public static readonly KeyValuePair<string, string?> ExcludedUser = new("CrmPulse:Sources:0:ExcludeUsers:0", "U4@X.TEST");

    /// <summary>When the mirror was synced.</summary>
    public static readonly DateTimeOffset Synced = At(1, 20);

    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    public static async Task WriteAsync(ICrmStore store, string source)
    {
        await WriteMirrorAsync(store, source);
        KpiSample S(string kpi, double value, DateTimeOffset time, params (string, string?)[] dims) =>
            new(kpi, source, Dimensions.Of(dims), value, time);
        UserAdoptionRow U(string id, string team, DateTimeOffset? lastLogin, int logins7d, DateTimeOffset asOf, string status = "active") =>
            new(source, id, id.ToUpperInvariant(), null, team, lastLogin, logins7d, logins7d, 0, 0, status, asOf);

        // Per-user rows. Pass 01-09: licensed logins 3 + 0 + 2 = 5 (x1 is excluded). Pass 01-16 (the period's last): u1 and u3
        // logged in on or after 01-01, u2 last on 2025-12-20, u4 never: 2 of 4 licensed users, 0.5; logins 4 + 0 + 1 + 0 = 5.
        // Logins over the two weeks: 10. The pass of 01-20 is after the period: u2's login of 01-18 is not in it.
        var w1 = At(1, 9);
        var w2 = At(1, 16);
        var after = At(1, 20);
        await store.AppendAsync([],
        [
            U("u1", "Sales", At(1, 8), 3, w1), U("u2", "Sales", At(12, 20), 0, w1, "inactive"), U("u3", "Ops", At(1, 5), 2, w1),
            U("x1", "Integrations", At(1, 8), 50, w1, "excluded"),
        ], CancellationToken.None);
        await store.AppendAsync([],
        [
            U("u1", "Sales", At(1, 15), 4, w2), U("u2", "Sales", At(12, 20), 0, w2, "inactive"), U("u3", "Ops", At(1, 10), 1, w2),
            U("u4", "Ops", null, 0, w2, "never"), U("x1", "Integrations", At(1, 15), 40, w2, "excluded"),
        ], CancellationToken.None);
        await store.AppendAsync([], [U("u2", "Sales", At(1, 18), 1, after), U("u1", "Sales", At(1, 19), 9, after)], CancellationToken.None);

        await store.AppendAsync(
        [
            // The adoption basis of both passes: logins.
            new KpiSample("licensed_users", source, Dimensions.None, 4, w1, "login"), new KpiSample("licensed_users", source, Dimensions.None, 4, w2, "login"),
            // Deals won: weeks ending 01-16 (all 5, Sales 3, Ops 2) and 01-09 (all 2, Sales 2, Ops 0): all 7, Sales 5, Ops 2.
            // 01-12 is not a week's end and 01-02 is where the weeks start: neither counts.
            S("deals_won_7d", 5, w2), S("deals_won_7d", 3, w2, ("team", "Sales")), S("deals_won_7d", 2, w2, ("team", "Ops")),
            S("deals_won_7d", 2, w1), S("deals_won_7d", 2, w1, ("team", "Sales")), S("deals_won_7d", 0, w1, ("team", "Ops")),
            S("deals_won_7d", 9, At(1, 12)), S("deals_won_7d", 7, At(1, 2)),
            // Activities: only the week ending 01-16 has samples (1 of 2 weeks); the team × type cell is not a team total.
            S("activities_logged_7d", 40, w2), S("activities_logged_7d", 25, w2, ("team", "Sales")), S("activities_logged_7d", 15, w2, ("team", "Ops")),
            S("activities_logged_7d", 10, w2, ("team", "Sales"), ("type", "call")),
            // Lateness of the billing integration: 0, 1, 0 → 2 of 3 on time, one incident.
            S("integration_late", 0, At(1, 2), ("integration", "billing")), S("integration_late", 1, At(1, 3), ("integration", "billing")),
            S("integration_late", 0, At(1, 4), ("integration", "billing")),
            // ROI: 1.5 before the period (its start), 2.0 in it (its end). Win rate: nothing.
            S("crm_roi", 1.5, At(12, 15)), S("crm_roi", 2.0, At(1, 10)),
            // Won revenue of January: its last sample at or before End (1500); the one of 01-20 is after the period.
            S("new_revenue_month", 1000, At(1, 10), ("month", "2026-01")), S("new_revenue_month", 1500, w2, ("month", "2026-01")),
            S("new_revenue_month", 3000, At(1, 20), ("month", "2026-01")), S("new_revenue_month", 800, At(12, 31), ("month", "2025-12")),
            // Carried over: open deals 12 at the start (31 Dec), 9 then 8 in the period. Overdue tasks: 4 on 01-05 only.
            S("open_deals", 12, At(12, 31)), S("open_deals", 9, At(1, 14)), S("open_deals", 8, w2), S("overdue_tasks", 4, At(1, 5)),
            // Security: unused seats 5 then 3 (no sample before the period: the start is its first in it).
            S("licence_unused_seats", 5, At(1, 3)), S("licence_unused_seats", 3, At(1, 15)),
            // Data quality: score 70 (before) → 80; completeness component 0.2 → 0.25.
            S("data_quality_score", 70, At(12, 20)), S("data_quality_score", 75.5, At(1, 8)), S("data_quality_score", 80, At(1, 15)),
            S("data_quality_component", 0.2, At(1, 2), ("component", "completeness")), S("data_quality_component", 0.25, At(1, 15), ("component", "completeness")),
            S("removable_duplicates", 7, At(1, 15), ("object", "contact")), S("duplicate_clusters", 3, At(1, 15), ("object", "contact")),
            S("missing_required_field", 4, At(1, 15), ("object", "contact"), ("field", "email")),
            S("missing_required_field", 2, At(1, 15), ("object", "deal"), ("field", "amount")),
            S("stale_records", 10, At(1, 15), ("object", "company")), S("unused_custom_fields", 2, At(1, 15), ("object", "contact")),
            // Accounts: 20 ranked, 5 champions (the team cell is left out), 6 dead; unowned not measured.
            S("rfm_accounts", 20, At(1, 15)), S("rfm_accounts", 5, At(1, 15), ("segment", "champions")),
            S("rfm_accounts", 3, At(1, 15), ("segment", "champions"), ("team", "Sales")), S("dead_accounts", 6, At(1, 15)),
        ], [], CancellationToken.None);

        // Probes (every source shares them): erp 1 0 0 1 0 1 in the period → 3 of 6 up, 2 incidents; the down probe of 31 Dec is before it.
        await store.AppendAsync(
        [
            .. new[] { 1, 0, 0, 1, 0, 1 }.Select((v, i) => new KpiSample("probe_up", IntegrationKpis.ProbeSource, Dimensions.Of(("integration", "erp")), v, At(1, 1, i + 1))),
            new KpiSample("probe_up", IntegrationKpis.ProbeSource, Dimensions.Of(("integration", "erp")), 0, At(12, 31, 23)),
        ], [], CancellationToken.None);
    }

    /// <summary>
    /// The mirror. Users: u1, u2 (Sales), u3, u4 (Ops), d1 (Sales, deactivated), x1 (integration, team Integrations).
    /// Logins in the period: u1 at Start, u1 on 01-10, u3 one second before End, d1 (deactivated since, a human), u4 (e-mail
    /// u4@x.test) on 01-11: 5, or 4 where the source excludes u4@x.test (<see cref="ExcludedUser"/>). Not counted: u1 at End
    /// and one second before Start, x1 (integration), u3's failed login, u1's API login, a login of an unknown user id.
    /// Deals won (ClosedAt, else close date): Sales d-1 (at Start, 1000) and d-4 (d1's, no amount); Ops d-2 (close date
    /// 01-15, 250.5): all 3, 1250.5, one without amount. Not won in it: d-3 (at End), d-7 (one second before Start), d-6 (lost).
    /// Deals created: Sales d-3 (one second before End), Ops d-2, unassigned d-5 (no owner): all 3.
    /// Activities created: Sales call (Start), email (one second before End), task; Ops meeting, email (created 01-02,
    /// occurred in December); Integrations note (x1's); unassigned call: all 7 = call 2, email 2, meeting 1, task 1, note 1.
    /// Not counted: u3's task at End, u4's call one second before Start.
    /// </summary>
    private static async Task WriteMirrorAsync(ICrmStore store, string source)
    {
        var start = At(1, 1);
        var end = At(1, 16);
        var changes = new ChangeSet();
        changes.Users.AddRange(
        [
            new CrmUser("u1", "U1", null, "Sales", true, false), new CrmUser("u2", "U2", null, "Sales", true, false),
            new CrmUser("u3", "U3", null, "Ops", true, false), new CrmUser("u4", "U4", "u4@x.test", "Ops", true, false),
            new CrmUser("d1", "D1", null, "Sales", false, false), new CrmUser("x1", "X1", null, "Integrations", true, true),
        ]);
        changes.Logins.AddRange(
        [
            new LoginEvent("l1", "u1", start, true), new LoginEvent("l2", "u1", At(1, 10), true), new LoginEvent("l3", "u3", end - Second, true),
            new LoginEvent("l4", "u1", end, true), new LoginEvent("l5", "u1", start - Second, true), new LoginEvent("l6", "x1", At(1, 5), true),
            new LoginEvent("l7", "d1", At(1, 6), true), new LoginEvent("l8", "u3", At(1, 7), false),
            new LoginEvent("l9", "u1", At(1, 8), true, "api", Interactive: false),
            new LoginEvent("l10", "u4", At(1, 11), true), new LoginEvent("l11", "ghost", At(1, 11), true),
        ]);
        Deal D(string id, string? owner, DateTimeOffset created) => new() { Id = id, OwnerId = owner, CreatedAt = created, ModifiedAt = created };
        changes.Deals.AddRange(
        [
            D("d-1", "u1", At(12, 20)) with { IsClosed = true, IsWon = true, ClosedAt = start, Amount = 1000 },
            D("d-2", "u3", At(1, 3)) with { IsClosed = true, IsWon = true, CloseDate = new DateOnly(2026, 1, 15), Amount = 250.5m },
            D("d-3", "u1", end - Second) with { IsClosed = true, IsWon = true, ClosedAt = end, Amount = 9999 },
            D("d-4", "d1", At(12, 1)) with { IsClosed = true, IsWon = true, ClosedAt = At(1, 8) },
            D("d-5", null, At(1, 5)),
            D("d-6", "u3", start - Second) with { IsClosed = true, ClosedAt = At(1, 9), Amount = 700 },
            D("d-7", "u4", At(12, 1)) with { IsClosed = true, IsWon = true, ClosedAt = start - Second, Amount = 500 },
        ]);
        Activity A(string id, ActivityType type, string? owner, DateTimeOffset created, DateTimeOffset? occurred = null) =>
            new(id, type, owner, occurred ?? created, created, created);
        changes.Activities.AddRange(
        [
            A("a1", ActivityType.Call, "u1", start), A("a2", ActivityType.Email, "u1", end - Second), A("a3", ActivityType.Task, "u1", At(1, 9)),
            A("a4", ActivityType.Meeting, "u3", At(1, 7)), A("a5", ActivityType.Email, "u3", At(1, 2), At(12, 15)),
            A("a6", ActivityType.Note, "x1", At(1, 4)), A("a7", ActivityType.Call, null, At(1, 12)),
            A("a8", ActivityType.Task, "u3", end), A("a9", ActivityType.Call, "u4", start - Second),
        ]);
        await store.ApplyAsync(source, changes, Synced, CancellationToken.None);
    }
}
