using System.Globalization;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Kpis;

/// <summary>
/// Licence waste and access review: seats nobody uses and what they cost, who has administrator rights (and which of
/// them are idle), deactivated users still owning open work, and CRM users who are no longer employees.
/// </summary>
/// <remarks>
/// <para>Seats are the licensed users of <see cref="KpiContext.Licensed"/> (active, human, not excluded, created by
/// as-of). A user's last activity is the adoption one (<see cref="UserActivityIndex"/>): the last successful interactive
/// login, or the last logged activity where the source gives no logins; every sample carries that basis.</para>
/// <para><b>Unused seats</b> fall in exactly one band of inactive_for, so the bands add up to the total: <c>30d</c>
/// last active in (as-of − 60 days, as-of − 30 days], <c>60d</c> in (as-of − 90 days, as-of − 60 days], <c>90d</c> at or
/// before as-of − 90 days, <c>never</c> no activity up to as-of. A seat active in the trailing 30 days is in use. The
/// total equals users_inactive_30d + users_never_logged_in of the adoption family.</para>
/// <para><b>Administrators</b> are licensed users whose <see cref="CrmUser.IsAdmin"/> is true; an idle administrator was
/// not active in the trailing 30 days (never active included). When no user of the snapshot says whether he is an
/// administrator (the source cannot tell), admin_users and admin_users_inactive are left out, never 0.</para>
/// <para><b>Open records</b> of a deactivated user (not deactivated integration users): the deals he owns that are not
/// closed and the tasks he owns that are not completed, created by as-of.</para>
/// <para>These KPIs read who is deactivated and what is open today, so they are not rebuilt for past dates.</para>
/// </remarks>
public sealed class LicenceKpis : IKpiFamily
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>The bands of inactive_for, shortest first.</summary>
    public static readonly IReadOnlyList<string> Bands = ["30d", "60d", "90d", "never"];

    public KpiFamily Family => KpiFamily.Outcome;

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new("licence_unused_seats", KpiFamily.Outcome, "count", KpiDirection.LowerIsBetter,
            "Licensed users not active in the trailing 30 days, by inactive_for band (30d: last active 30–60 days ago, 60d: 60–90, 90d: 90 or more, never: no activity up to as-of; active = a successful login, or a logged activity where the source has no logins) and team; each user is a drill-down issue.",
            ["inactive_for", "team"], false, Day) { HasIssues = true },
        new("licence_cost_unused", KpiFamily.Outcome, "currency", KpiDirection.LowerIsBetter,
            "licence_unused_seats × Licences:CostPerSeat (the monthly cost of a seat), by inactive_for band and team; only when CostPerSeat is set.",
            ["inactive_for", "team"], false, Day),
        new("admin_users", KpiFamily.Outcome, "count", KpiDirection.Neutral,
            "Licensed users with administrator rights (HubSpot super admins; Salesforce profiles with Modify All Data or the System Administrator profile; a File source's is_admin column), by team; left out when the source cannot tell. Each is a drill-down issue.",
            ["team"], false, Day) { HasIssues = true },
        new("admin_users_inactive", KpiFamily.Outcome, "count", KpiDirection.LowerIsBetter,
            "admin_users not active in the trailing 30 days (never active included), by team; left out when the source cannot tell who is an administrator. Each is a drill-down issue.",
            ["team"], false, Day) { HasIssues = true },
        new("deactivated_users_owning_open_records", KpiFamily.Outcome, "count", KpiDirection.LowerIsBetter,
            "Deactivated human users who still own an open deal (not closed) or an open task (not completed), by team; each is a drill-down issue with the counts.",
            ["team"], false, Day) { HasIssues = true },
        new("users_not_on_roster", KpiFamily.Outcome, "count", KpiDirection.LowerIsBetter,
            "Licensed users whose e-mail is not on the HR roster of active employees (Licences:RosterFile; compared without case; a user without e-mail counts), by team; only when the roster is set. Each is a drill-down issue.",
            ["team"], false, Day) { HasIssues = true },
    ];

    /// <inheritdoc />
    public void Compute(KpiContext context, KpiOutput output)
    {
        var index = UserActivityIndex.For(context);
        AddUnused(context, output, index);
        AddAdmins(context, output, index);
        AddDeactivatedOwners(context, output, index.Basis);
        AddRoster(context, output, index.Basis);
    }

    /// <summary>The band of a licensed user not active in the trailing 30 days, or null when the seat is in use.</summary>
    internal static string? BandOf(KpiContext context, DateTimeOffset? lastSeen)
    {
        if (lastSeen is not { } t) return "never";
        if (context.InWindow(t, TimeSpan.FromDays(30))) return null;
        if (context.InWindow(t, TimeSpan.FromDays(60))) return "30d";
        return context.InWindow(t, TimeSpan.FromDays(90)) ? "60d" : "90d";
    }

    private static void AddUnused(KpiContext context, KpiOutput output, UserActivityIndex index)
    {
        var basis = index.Basis;
        var teams = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var bands = Bands.ToDictionary(b => b, _ => 0, StringComparer.Ordinal);
        var byBandTeam = new SortedDictionary<(string Band, string Team), int>();
        foreach (var user in context.Licensed)
        {
            var team = context.TeamOf(user.Id);
            teams.TryAdd(team, 0);
            var lastSeen = index.LastSeen(user.Id);
            if (BandOf(context, lastSeen) is not { } band) continue;
            teams[team]++;
            bands[band]++;
            byBandTeam[(band, team)] = byBandTeam.GetValueOrDefault((band, team)) + 1;
            output.AddIssue(new RecordIssue("licence_unused_seats", "user", user.Id, user.Id, team, band, $"{user.Name}: {LastSeenText(context, lastSeen, basis)}"));
        }
        var cost = context.Options.Licences.CostPerSeat;
        void Emit(double seats, Dimensions dims)
        {
            output.Add("licence_unused_seats", seats, dims, basis);
            if (cost is { } c) output.Add("licence_cost_unused", (double)(c * (decimal)seats), dims, basis);
        }
        Emit(bands.Values.Sum(), Dimensions.None);
        foreach (var band in Bands) Emit(bands[band], Dimensions.Of(("inactive_for", band)));
        foreach (var (team, n) in teams) Emit(n, Dimensions.Of(("team", team)));
        foreach (var ((band, team), n) in byBandTeam) Emit(n, Dimensions.Of(("inactive_for", band), ("team", team)));
    }

    /// <summary>"last active 2026-01-02 (67 days ago, by login)" or "never active (by login), user since 2025-05-01".</summary>
    private static string LastSeenText(KpiContext context, DateTimeOffset? lastSeen, string basis)
    {
        var by = basis == UserActivityIndex.LoginBasis ? "by login" : "by logged activity";
        if (lastSeen is not { } t) return $"never active ({by})";
        var days = (int)Math.Floor((context.AsOf - t).TotalDays);
        return string.Create(CultureInfo.InvariantCulture, $"last active {t.UtcDateTime:yyyy-MM-dd} ({days} {(days == 1 ? "day" : "days")} ago, {by})");
    }

    private static void AddAdmins(KpiContext context, KpiOutput output, UserActivityIndex index)
    {
        // The source cannot tell who is an administrator: no sample rather than a 0 that reads as "nobody".
        if (!context.Snapshot.Users.Any(u => u.IsAdmin is not null)) return;
        var admins = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var inactive = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var user in context.Licensed)
        {
            if (user.IsAdmin != true) continue;
            var team = context.TeamOf(user.Id);
            var profile = user.Profile is { Length: > 0 } p ? $" ({p})" : "";
            var lastSeen = index.LastSeen(user.Id);
            admins[team] = admins.GetValueOrDefault(team) + 1;
            output.AddIssue(new RecordIssue("admin_users", "user", user.Id, user.Id, team, null, $"{user.Name}{profile}: {LastSeenText(context, lastSeen, index.Basis)}"));
            if (index.IsActive(user.Id, UserActivityIndex.Month)) continue;
            inactive[team] = inactive.GetValueOrDefault(team) + 1;
            output.AddIssue(new RecordIssue("admin_users_inactive", "user", user.Id, user.Id, team, null, $"{user.Name}{profile}: {LastSeenText(context, lastSeen, index.Basis)}"));
        }
        output.Add("admin_users", admins.Values.Sum(), index.Basis);
        foreach (var (team, n) in admins) output.Add("admin_users", n, Dimensions.Of(("team", team)), index.Basis);
        output.Add("admin_users_inactive", inactive.Values.Sum(), index.Basis);
        foreach (var team in admins.Keys) output.Add("admin_users_inactive", inactive.GetValueOrDefault(team), Dimensions.Of(("team", team)), index.Basis);
    }

    private static void AddDeactivatedOwners(KpiContext context, KpiOutput output, string basis)
    {
        var deactivated = new Dictionary<string, (int Deals, int Tasks)>(StringComparer.Ordinal);
        foreach (var u in context.Snapshot.Users)
        {
            if (!u.IsActive && !u.IsIntegration) deactivated.TryAdd(u.Id, (0, 0));
        }
        var asOf = context.AsOf;
        // Deals as columns: open deals counted per owner code, each owner looked up once.
        var dealColumns = context.Deals;
        var dealOwners = dealColumns.Owner.Codes;
        var dealsOf = new int[dealColumns.Owner.Values.Length];
        for (var i = 0; i < dealColumns.Count; i++)
        {
            if (!dealColumns.IsClosed[i] && dealColumns.Created.UtcTicks[i] <= asOf.UtcTicks && dealOwners[i] >= 0) dealsOf[dealOwners[i]]++;
        }
        for (var code = 0; code < dealsOf.Length; code++)
        {
            var owner = dealColumns.Owner.Values[code];
            if (dealsOf[code] > 0 && deactivated.TryGetValue(owner, out var n)) deactivated[owner] = (n.Deals + dealsOf[code], n.Tasks);
        }
        // Activities as columns: open tasks counted per owner code, each owner looked up once.
        var activities = context.Activities;
        var owners = activities.Owner.Codes;
        var created = activities.Created.UtcTicks;
        var tasksOf = new int[activities.Owner.Values.Length];
        for (var i = 0; i < owners.Length; i++)
        {
            if (activities.Types[i] == ActivityType.Task && !activities.Completed[i] && created[i] <= asOf.UtcTicks && owners[i] >= 0) tasksOf[owners[i]]++;
        }
        for (var code = 0; code < tasksOf.Length; code++)
        {
            var owner = activities.Owner.Values[code];
            if (tasksOf[code] > 0 && deactivated.TryGetValue(owner, out var n)) deactivated[owner] = (n.Deals, n.Tasks + tasksOf[code]);
        }
        var byTeam = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (id, (deals, tasks)) in deactivated.OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            if (deals + tasks == 0) continue;
            var team = context.TeamOf(id);
            byTeam[team] = byTeam.GetValueOrDefault(team) + 1;
            output.AddIssue(new RecordIssue("deactivated_users_owning_open_records", "user", id, id, team, null,
                $"{context.UsersById[id].Name} is deactivated and owns {Plural(deals, "open deal")} and {Plural(tasks, "open task")}"));
        }
        output.Add("deactivated_users_owning_open_records", byTeam.Values.Sum(), basis);
        foreach (var (team, n) in byTeam) output.Add("deactivated_users_owning_open_records", n, Dimensions.Of(("team", team)), basis);
    }

    private static string Plural(int n, string what) => string.Create(CultureInfo.InvariantCulture, $"{n} {what}{(n == 1 ? "" : "s")}");

    private static void AddRoster(KpiContext context, KpiOutput output, string basis)
    {
        var options = context.Options.Licences;
        if (options.Roster is null && options.RosterFile is null) return;
        var roster = options.Roster is { } given
            ? new HashSet<string>(given.Select(e => e.Trim()), StringComparer.OrdinalIgnoreCase)
            : LicenceRoster.Load(options.RosterFile!);
        var byTeam = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var user in context.Licensed)
        {
            var team = context.TeamOf(user.Id);
            byTeam.TryAdd(team, 0);
            var email = user.Email?.Trim();
            if (!string.IsNullOrEmpty(email) && roster.Contains(email)) continue;
            byTeam[team]++;
            output.AddIssue(new RecordIssue("users_not_on_roster", "user", user.Id, user.Id, team, null,
                string.IsNullOrEmpty(email) ? $"{user.Name} has no e-mail to find on the roster" : $"{user.Name} ({email}) is not on the roster of active employees"));
        }
        output.Add("users_not_on_roster", byTeam.Values.Sum(), basis);
        foreach (var (team, n) in byTeam) output.Add("users_not_on_roster", n, Dimensions.Of(("team", team)), basis);
    }
}
