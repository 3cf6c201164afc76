using System.Globalization;
using System.Text.Json;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using CrmPulse.Core.Store;
using CrmPulse.Hosting;
using CrmPulse.Storage;
using static CrmPulse.Audits.AuditModel;

namespace CrmPulse.Audits;

/// <summary>
/// Builds an audit of a period from the ledger (samples and per-user rows the KPI passes stored) and, for the period's
/// logins, deals and activities, from the mirror's records (no sync runs), and stores it with what changed since the previous stored audit of the same source. The one generator behind
/// `crmpulse audit`, /api/audits and the /audits page.
/// </summary>
/// <param name="sources">The configured sources, for each one's excluded users (null, or a source no longer configured:
/// the default KPI options).</param>
public sealed class AuditBuilder(ILedger ledger, ICrmStore store, TimeProvider time, SourceRegistry? sources = null)
{

    /// <summary>The security KPIs the audit reads when the store has them.</summary>
    public static readonly IReadOnlyList<string> SecurityKpis =
    [
        "licence_unused_seats", "licence_cost_unused", "admin_users", "admin_users_inactive",
        "deactivated_users_owning_open_records", "users_not_on_roster",
    ];

    /// <summary>Open work carried over into the next period.</summary>
    public static readonly IReadOnlyList<string> CarriedOverKpis =
    [
        "open_deals", "open_pipeline_value", "deals_past_close_date", "stalled_deals", "overdue_tasks", "tasks_without_due_date", "tasks_without_owner",
    ];

    /// <summary>The JSON of stored audits and of the API (camelCase, the API's shape).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    /// <summary>Builds, stores and returns the audit of <paramref name="from"/>..<paramref name="to"/> (days, UTC,
    /// inclusive) for one source or every source (<paramref name="sources"/> are the ones to cover).</summary>
    public async Task<(long Id, AuditModel Audit)> RunAsync(DateOnly from, DateOnly to, string? source, IReadOnlyList<string> sources,
        CancellationToken ct)
    {
        var audit = await BuildAsync(from, to, source, sources, ct);
        var previous = await store.LastAuditAsync(source, ct);
        if (previous?.Json is { } json && JsonSerializer.Deserialize<AuditModel>(json, Json) is { } before)
            audit = audit with { SinceLastAudit = Compare(previous, before, audit) };
        var id = await store.AddAuditAsync(source, from, to, audit.GeneratedAt, JsonSerializer.Serialize(audit, Json), ct);
        return (id, audit);
    }

    /// <summary>Builds the audit without storing it (no "since the last audit").</summary>
    public async Task<AuditModel> BuildAsync(DateOnly from, DateOnly to, string? source, IReadOnlyList<string> sources, CancellationToken ct)
    {
        if (from > to) throw new ArgumentException($"The period starts ({from:yyyy-MM-dd}) after it ends ({to:yyyy-MM-dd}).");
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var period = new Period(start, end);
        var audits = new List<SourceAudit>();
        foreach (var name in source is null ? sources : [source]) audits.Add(await SourceAsync(name, period, ct));
        var probes = await FlagsAsync("probe_up", IntegrationKpis.ProbeSource, period, good: 1, ct);
        return new AuditModel(from, to, start, end, source, time.GetUtcNow(), audits, probes, null);
    }

    private sealed record Period(DateTimeOffset Start, DateTimeOffset End)
    {
        /// <summary>True for an instant on one of the period's days: Start ≤ t &lt; End.</summary>
        public bool Contains(DateTimeOffset t) => t >= Start && t < End;
    }

    private async Task<SourceAudit> SourceAsync(string source, Period period, CancellationToken ct)
    {
        var usage = await UsageAsync(source, period, ct);
        var lateness = await FlagsAsync("integration_late", source, period, good: 0, ct);
        var roi = new RoiSection(
            await OneAsync("crm_roi", source, period, ct), await OneAsync("win_rate", source, period, ct),
            await RevenueAsync(source, period, ct), null);
        roi = roi with { RevenueTotal = roi.RevenueByMonth.Any(m => m.Revenue is not null) ? roi.RevenueByMonth.Sum(m => m.Revenue ?? 0) : null };
        var carried = new List<Reading>();
        foreach (var kpi in CarriedOverKpis) carried.Add(await OneAsync(kpi, source, period, ct));
        var security = new List<Reading>();
        foreach (var kpi in SecurityKpis) security.Add(await OneAsync(kpi, source, period, ct));
        var dq = new DataQualitySection(
            await OneAsync("data_quality_score", source, period, ct),
            await ReadingsAsync("data_quality_component", source, period, d => d["component"] is not null, ct),
            [.. await ReadingsAsync("duplicate_clusters", source, period, d => d.Count == 1 && d["object"] is not null, ct),
             .. await ReadingsAsync("removable_duplicates", source, period, d => d.Count == 1 && d["object"] is not null, ct)],
            [.. await ReadingsAsync("missing_required_field", source, period, d => d["object"] is not null, ct),
             .. await ReadingsAsync("unreachable_contacts", source, period, _ => true, ct)],
            [.. await ReadingsAsync("stale_records", source, period, d => d["object"] is not null, ct),
             .. await ReadingsAsync("contacts_without_activity", source, period, _ => true, ct)],
            await ReadingsAsync("unused_custom_fields", source, period, d => d["object"] is not null, ct));
        var accounts = new List<Reading>
        {
            await OneAsync("rfm_accounts", source, period, ct),
        };
        accounts.AddRange(await ReadingsAsync("rfm_accounts", source, period, d => d.Count == 1 && d["segment"] is not null, ct));
        accounts.Add(await OneAsync("dead_accounts", source, period, ct));
        accounts.Add(await OneAsync("unowned_accounts", source, period, ct));
        var audit = new SourceAudit(source, usage, lateness, roi, carried, security, dq, accounts, []);
        return audit with { Headlines = Headlines(audit) };
    }

    private async Task<UsageSection> UsageAsync(string source, Period period, CancellationToken ct)
    {
        int? licensed = null, loggedIn = null;
        DateTimeOffset? usersAsOf = null;
        string? basis = null;
        if (await store.UsersAtOrBeforeAsync(source, period.End, ct) is { } pass && pass.AsOf >= period.Start)
        {
            var rows = pass.Rows.Where(r => r.Status != "excluded").ToList();
            usersAsOf = pass.AsOf;
            // Where the source has no login events, a user's "last login" is their last activity (the pass says so).
            basis = (await ledger.AtOrBeforeAsync("licensed_users", source, Dimensions.None, pass.AsOf, ct)) is { Time: var t, Basis: var b } && t == pass.AsOf ? b : null;
            licensed = rows.Count;
            loggedIn = rows.Count(r => r.LastLogin is { } t && t >= period.Start);
        }
        var adoption = new List<Reading>();
        foreach (var kpi in new[] { "licensed_users", "monthly_active_ratio", "weekly_active_ratio", "users_never_logged_in" })
            adoption.Add(await OneAsync(kpi, source, period, ct));
        return new UsageSection(usersAsOf, basis, licensed, loggedIn, licensed is > 0 ? (double)loggedIn!.Value / licensed.Value : null,
            await RecordsAsync(source, period, ct), adoption);
    }

    /// <summary>
    /// The period's logins, deals and activities counted from the mirror's records (null before the source's first sync).
    /// Logins: successful interactive logins of the source's human users (integration and excluded users never, as in the
    /// adoption KPIs; deactivated users' logins count); null when the source gives no login events. Teams are the owner's, as the activity KPIs
    /// have them.
    /// </summary>
    private async Task<MirrorTotals?> RecordsAsync(string source, Period period, CancellationToken ct)
    {
        var state = (await store.GetSyncStatesAsync(ct)).FirstOrDefault(s => s.Source == source);
        if (state is null || state.ReadKinds.Count == 0) return null;
        var snapshot = await store.LoadSnapshotAsync(source, ct);
        var options = sources is not null && sources.Contains(source) ? sources.Config(source).KpiOptions : new KpiOptions();
        var context = new KpiContext(snapshot, period.End, options);
        // Humans' logins: integration and excluded users never count (the adoption KPIs' rule); a user deactivated since
        // still logged in then. Logins of ids the mirror no longer knows are left out, as the KPIs leave them out.
        var excluded = context.Excluded.Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
        int? logins = snapshot.Logins.Any(l => l.Interactive)
            ? snapshot.Logins.Count(l => l.Succeeded && l.Interactive && period.Contains(l.At)
                                         && context.UsersById.ContainsKey(l.UserId) && !excluded.Contains(l.UserId))
            : null;

        var types = ActivityTypes.All;
        var teams = new SortedDictionary<string, TeamCounts>(StringComparer.Ordinal);
        TeamCounts Of(string? ownerId)
        {
            var team = context.TeamOf(ownerId);
            if (!teams.TryGetValue(team, out var counts)) teams[team] = counts = new TeamCounts(types.Count);
            return counts;
        }
        foreach (var deal in snapshot.Deals)
        {
            if (period.Contains(deal.CreatedAt)) Of(deal.OwnerId).DealsCreated++;
            if (deal.IsWon && ActivityKpis.WonAt(deal) is { } won && period.Contains(won))
            {
                var counts = Of(deal.OwnerId);
                counts.DealsWon++;
                counts.WonAmount += deal.Amount ?? 0;
                if (deal.Amount is null) counts.WonWithoutAmount++;
            }
        }
        foreach (var activity in snapshot.Activities)
        {
            if (!period.Contains(activity.CreatedAt)) continue;
            if ((uint)activity.Type >= (uint)types.Count)
                throw new InvalidOperationException($"Activity '{activity.Id}' of source '{source}' has undefined type {(int)activity.Type}.");
            Of(activity.OwnerId).Activities[(int)activity.Type]++;
        }

        var all = new TeamCounts(types.Count);
        foreach (var c in teams.Values) all.Add(c);
        var rows = teams.Select(t => t.Value.Row(t.Key)).Prepend(all.Row("all")).ToList();
        return new MirrorTotals(state.LastSuccessAt, logins, rows);
    }

    private sealed class TeamCounts(int types)
    {
        public int DealsWon, DealsCreated, WonWithoutAmount;
        public decimal WonAmount;
        public readonly int[] Activities = new int[types];

        public void Add(TeamCounts other)
        {
            DealsWon += other.DealsWon;
            DealsCreated += other.DealsCreated;
            WonWithoutAmount += other.WonWithoutAmount;
            WonAmount += other.WonAmount;
            for (var i = 0; i < Activities.Length; i++) Activities[i] += other.Activities[i];
        }

        public TeamRecords Row(string team) => new(team, DealsWon, (double)WonAmount, WonWithoutAmount, DealsCreated, Activities.Sum(),
            ActivityTypes.All.Select((t, i) => (t.Tag(), Activities[i])).ToDictionary(p => p.Item1, p => p.Item2));
    }

    /// <summary>Per integration of a flag KPI: samples in the period, those equal to <paramref name="good"/>, and the runs of the others.</summary>
    private async Task<IReadOnlyList<FlagStats>> FlagsAsync(string kpi, string source, Period period, int good, CancellationToken ct)
    {
        var samples = await ledger.SeriesAsync(kpi, source, period.Start, period.End, ct);
        var stats = new List<FlagStats>();
        foreach (var series in samples.Where(s => s.Dimensions["integration"] is not null).GroupBy(s => s.Dimensions["integration"]!)
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ordered = series.OrderBy(s => s.Time).ToList();
            int ok = 0, incidents = 0;
            var wasBad = false;
            foreach (var s in ordered)
            {
                var isGood = s.Value == good;
                if (isGood) ok++;
                else if (!wasBad) incidents++;
                wasBad = !isGood;
            }
            stats.Add(new FlagStats(series.Key, kpi, ordered.Count, ok, ordered.Count == 0 ? null : (double)ok / ordered.Count, incidents));
        }
        return stats;
    }

    /// <summary>Won revenue per calendar month touching the period: the month series' last sample at or before End.</summary>
    private async Task<IReadOnlyList<MonthRevenue>> RevenueAsync(string source, Period period, CancellationToken ct)
    {
        var months = new List<MonthRevenue>();
        for (var m = new DateOnly(period.Start.Year, period.Start.Month, 1); m.ToDateTime(TimeOnly.MinValue) < period.End.UtcDateTime; m = m.AddMonths(1))
        {
            var key = m.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            var sample = await ledger.AtOrBeforeAsync("new_revenue_month", source, Dimensions.Of(("month", key)), period.End, ct);
            months.Add(new MonthRevenue(key, sample?.Value, sample?.Time));
        }
        return months;
    }

    /// <summary>The roll-up series (no dimensions) of a KPI.</summary>
    private async Task<Reading> OneAsync(string kpi, string source, Period period, CancellationToken ct)
    {
        var readings = await ReadingsAsync(kpi, source, period, d => d.Count == 0, ct);
        return readings.Count > 0 ? readings[0] : NotMeasured(kpi, source, period);
    }

    private static Reading NotMeasured(string kpi, string source, Period period) =>
        new(kpi, KpiCatalog.TryGet(kpi, out var d) ? d.Unit : "count", new Dictionary<string, string>(), null, null, null, null,
            !KpiCatalog.TryGet(kpi, out _) ? "not measured by this version"
            : $"not measured for source {source} in the period");

    /// <summary>Every series of a KPI with a sample in the period whose dimensions pass <paramref name="which"/>.</summary>
    private async Task<IReadOnlyList<Reading>> ReadingsAsync(string kpi, string source, Period period, Func<Dimensions, bool> which, CancellationToken ct)
    {
        // Read whatever the store holds, catalogued by this version or not (a newer CrmPulse may have written it).
        var unit = KpiCatalog.TryGet(kpi, out var definition) ? definition.Unit : "count";
        var samples = await ledger.SeriesAsync(kpi, source, period.Start, period.End, ct);
        var readings = new List<Reading>();
        foreach (var series in samples.Where(s => which(s.Dimensions)).GroupBy(s => s.Dimensions).OrderBy(g => g.Key.Key, StringComparer.Ordinal))
        {
            var ordered = series.OrderBy(s => s.Time).ToList();
            var before = await ledger.AtOrBeforeAsync(kpi, source, series.Key, period.Start, ct);
            var first = before ?? ordered[0];
            var last = ordered[^1];
            readings.Add(new Reading(kpi, unit, series.Key.Pairs.ToDictionary(p => p.Key, p => p.Value),
                first.Value, first.Time, last.Value, last.Time, null));
        }
        return readings;
    }

    /// <summary>The numbers the next audit compares with.</summary>
    private static IReadOnlyList<Headline> Headlines(SourceAudit a)
    {
        var list = new List<Headline>
        {
            new("logged_in_share", "Share of licensed users who logged in", "ratio", a.Usage.LoggedInShare),
            new("logins", "Logins", "count", a.Usage.Records?.Logins),
        };
        var all = a.Usage.Records?.Teams.FirstOrDefault(t => t.Team == "all");
        list.Add(new("deals_won", "Deals won", "count", all?.DealsWon));
        list.Add(new("deals_won_amount", "Amount of the deals won", "currency", all?.WonAmount));
        list.Add(new("deals_created", "Deals created", "count", all?.DealsCreated));
        list.Add(new("activities_logged", "Activities logged", "count", all?.Activities));
        list.Add(new("revenue_won", "Won revenue (calendar months)", "currency", a.Roi.RevenueTotal));
        list.Add(new("crm_roi", "CRM ROI (estimate)", "ratio", a.Roi.Roi.End));
        foreach (var r in a.CarriedOver.Concat(a.Security).Append(a.DataQuality.Score).Concat(a.Accounts))
        {
            var suffix = r.Dimensions.Count == 0 ? "" : ":" + string.Join(",", r.Dimensions.Select(d => $"{d.Key}={d.Value}"));
            list.Add(new(r.Kpi + suffix, Label(r.Kpi) + (suffix.Length == 0 ? "" : $" ({string.Join(", ", r.Dimensions.Values)})"), r.Unit, r.End));
        }
        list.Add(new("removable_duplicates", "Removable duplicates", "count",
            Sum(a.DataQuality.Duplicates.Where(r => r.Kpi == "removable_duplicates"))));
        list.Add(new("missing_required_field", "Empty required fields", "count",
            Sum(a.DataQuality.Missing.Where(r => r.Kpi == "missing_required_field"))));
        list.Add(new("stale_records", "Stale records", "count", Sum(a.DataQuality.Freshness.Where(r => r.Kpi == "stale_records"))));
        list.Add(new("unused_custom_fields", "Unused custom fields", "count", Sum(a.DataQuality.UnusedFields)));
        return list;
    }

    private static double? Sum(IEnumerable<Reading> readings)
    {
        var ends = readings.Where(r => r.End is not null).Select(r => r.End!.Value).ToList();
        return ends.Count == 0 ? null : ends.Sum();
    }

    internal static string Label(string kpi) => WebConsole.Format.Label(kpi);

    /// <summary>Each headline of every source now against the previous audit's (headlines in either).</summary>
    private static SinceLast Compare(StoredAudit previous, AuditModel before, AuditModel now)
    {
        var changes = new List<HeadlineChange>();
        foreach (var source in now.Sources.Select(s => s.Source).Union(before.Sources.Select(s => s.Source)))
        {
            var was = before.Sources.FirstOrDefault(s => s.Source == source)?.Headlines ?? [];
            var isNow = now.Sources.FirstOrDefault(s => s.Source == source)?.Headlines ?? [];
            var prefix = now.Sources.Count + before.Sources.Count > 2 ? source + ": " : "";
            foreach (var key in isNow.Select(h => h.Key).Union(was.Select(h => h.Key)))
            {
                var p = was.FirstOrDefault(h => h.Key == key);
                var c = isNow.FirstOrDefault(h => h.Key == key);
                var h = c ?? p!;
                changes.Add(new HeadlineChange(prefix.Length == 0 ? key : $"{source}:{key}", prefix + h.Label, h.Unit, p?.Value, c?.Value));
            }
        }
        return new SinceLast(previous.Id, previous.From, previous.To, previous.CreatedAt, changes);
    }
}
