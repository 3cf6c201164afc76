using CrmPulse.Core.Model;

namespace CrmPulse.Core.Kpis;

/// <summary>
/// The marketing-to-sales funnel by lead source: contacts that reached MQL, SQL, opportunity and won, and the
/// conversion from each stage to the next.
/// </summary>
/// <remarks>
/// <para>Basis <c>history</c> when at least one contact of the snapshot has <see cref="Contact.StageDates"/> (the source
/// keeps the lifecycle history): a contact reached a stage at as-of when it entered that stage or a later one at or
/// before as-of (a contact that skipped MQL and came in as SQL passed through MQL). Beside its stage dates, a deal naming
/// the contact (<see cref="Deal.ContactId"/>) created by as-of makes it an opportunity, and one won by as-of (ClosedAt)
/// makes it won.</para>
/// <para>Basis <c>snapshot</c> otherwise: the contact's current lifecycle stage (marketingqualifiedlead / mql, 
/// salesqualifiedlead / sql, opportunity, customer / evangelist / won, in any case and with spaces, hyphens or
/// underscores) says the furthest stage it reached; contacts created after as-of are left out.</para>
/// <para>The lead source is the contact's <see cref="Contact.LeadSource"/>, trimmed, or "unknown". Every stage is
/// emitted overall (0 included) and per lead source with at least one contact in the funnel; a conversion ratio whose
/// stage was reached by nobody is left out (no 0 that reads as "nobody converts"). Not rebuilt for past dates: lead
/// sources and current stages are today's.</para>
/// </remarks>
public sealed class FunnelKpis : IKpiFamily
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>The funnel's stages, in order.</summary>
    public static readonly IReadOnlyList<string> Stages = ["mql", "sql", "opportunity", "won"];

    /// <summary>The conversions of funnel_conversion_ratio: (name, from stage index, to stage index).</summary>
    public static readonly IReadOnlyList<(string Name, int From, int To)> Conversions =
        [("mql_to_sql", 0, 1), ("sql_to_opportunity", 1, 2), ("opportunity_to_won", 2, 3), ("mql_to_won", 0, 3)];

    public const string HistoryBasis = "history";
    public const string SnapshotBasis = "snapshot";
    public const string UnknownSource = "unknown";

    public KpiFamily Family => KpiFamily.Outcome;

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new("funnel_stage_records", KpiFamily.Outcome, "count", KpiDirection.Neutral,
            "Contacts that reached each funnel stage (mql, sql, opportunity, won) or a later one by as-of, by lead_source; from the lifecycle stage history where the source keeps it (basis history: stage dates, and deals naming the contact), else from the current lifecycle stage (basis snapshot). Each contact is a drill-down issue per stage reached.",
            ["stage", "lead_source"], false, Day) { HasIssues = true },
        new("funnel_conversion_ratio", KpiFamily.Outcome, "ratio", KpiDirection.HigherIsBetter,
            "funnel_stage_records of the next stage ÷ those of the stage (stage mql_to_sql, sql_to_opportunity, opportunity_to_won, and mql_to_won), by lead_source; left out when nobody reached the stage.",
            ["stage", "lead_source"], false, Day),
    ];

    /// <inheritdoc />
    public void Compute(KpiContext context, KpiOutput output)
    {
        var contacts = context.Snapshot.Contacts;
        var history = contacts.Any(c => c.StageDates is { Count: > 0 });
        var basis = history ? HistoryBasis : SnapshotBasis;
        var reached = history ? FromHistory(context) : FromSnapshot(context);

        var overall = new int[Stages.Count];
        var bySource = new SortedDictionary<string, int[]>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in contacts)
        {
            // A contact listed twice (the same id) counts once.
            if (!reached.TryGetValue(c.Id, out var dates) || !seen.Add(c.Id)) continue;
            var source = CrmRecord.IsFilled(c.LeadSource) ? c.LeadSource!.Trim() : UnknownSource;
            if (!bySource.TryGetValue(source, out var counts)) bySource[source] = counts = new int[Stages.Count];
            var team = context.TeamOf(c.OwnerId);
            for (var s = 0; s < Stages.Count; s++)
            {
                if (dates[s] is not { } at) continue;
                overall[s]++;
                counts[s]++;
                // The detail is kept as its values (an org has hundreds of thousands of contacts in the funnel).
                output.AddIssue(history
                    ? new RecordIssue("funnel_stage_records", "contact", c.Id, c.OwnerId, team, Stages[s], new IssueText(IssueCode.FunnelStage, Stages[s], source, at.UtcTicks))
                    : new RecordIssue("funnel_stage_records", "contact", c.Id, c.OwnerId, team, Stages[s], $"current lifecycle stage {c.LifecycleStage}, lead source {source}"));
            }
        }
        Emit(output, overall, null, basis);
        foreach (var (source, counts) in bySource) Emit(output, counts, source, basis);
    }

    private static void Emit(KpiOutput output, int[] counts, string? source, string basis)
    {
        for (var s = 0; s < Stages.Count; s++)
            output.Add("funnel_stage_records", counts[s], Dimensions.Of(("stage", Stages[s]), ("lead_source", source)), basis);
        foreach (var (name, from, to) in Conversions)
        {
            if (counts[from] == 0) continue;
            output.Add("funnel_conversion_ratio", (double)counts[to] / counts[from], Dimensions.Of(("stage", name), ("lead_source", source)), basis);
        }
    }

    /// <summary>Per contact in the funnel, when it reached each stage (null: not reached), from stage dates and deals.</summary>
    private static Dictionary<string, DateTimeOffset?[]> FromHistory(KpiContext context)
    {
        var asOf = context.AsOf;
        var entered = new Dictionary<string, DateTimeOffset?[]>(StringComparer.Ordinal);
        DateTimeOffset?[] Of(string id) => entered.TryGetValue(id, out var e) ? e : entered[id] = new DateTimeOffset?[Stages.Count];
        void Enter(string id, int stage, DateTimeOffset at)
        {
            if (at > asOf) return;
            var e = Of(id);
            if (e[stage] is not { } t || at < t) e[stage] = at;
        }
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in context.Snapshot.Contacts)
        {
            known.Add(c.Id);
            if (c.StageDates is null) continue;
            for (var s = 0; s < Stages.Count; s++)
            {
                if (c.StageDates.TryGetValue(Stages[s], out var at)) Enter(c.Id, s, at);
            }
        }
        foreach (var d in context.Snapshot.Deals)
        {
            if (d.ContactId is null || !known.Contains(d.ContactId)) continue;
            Enter(d.ContactId, 2, d.CreatedAt);
            if (d.IsWon && d.ClosedAt is { } won) Enter(d.ContactId, 3, won);
        }
        // Reaching a stage passes through the earlier ones: each stage is reached at the earliest of its own date and
        // the dates of the stages after it.
        foreach (var e in entered.Values)
        {
            for (var s = Stages.Count - 2; s >= 0; s--)
            {
                if (e[s + 1] is { } next && (e[s] is not { } own || next < own)) e[s] = next;
            }
        }
        return entered;
    }

    /// <summary>Per contact in the funnel, the stages up to its current one (at its creation: the snapshot has no dates).</summary>
    private static Dictionary<string, DateTimeOffset?[]> FromSnapshot(KpiContext context)
    {
        var reached = new Dictionary<string, DateTimeOffset?[]>(StringComparer.Ordinal);
        foreach (var c in context.Snapshot.Contacts)
        {
            if (c.CreatedAt > context.AsOf || StageOf(c.LifecycleStage) is not { } stage) continue;
            var e = new DateTimeOffset?[Stages.Count];
            for (var s = 0; s <= stage; s++) e[s] = c.CreatedAt;
            reached.TryAdd(c.Id, e);
        }
        return reached;
    }

    /// <summary>The funnel stage index of a lifecycle stage name, or null when it is before the funnel (subscriber, lead) or unknown.</summary>
    public static int? StageOf(string? lifecycleStage)
    {
        if (!CrmRecord.IsFilled(lifecycleStage)) return null;
        var key = new string(lifecycleStage!.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
        return key switch
        {
            "marketingqualifiedlead" or "mql" => 0,
            "salesqualifiedlead" or "sql" => 1,
            "opportunity" => 2,
            "customer" or "evangelist" or "won" => 3,
            _ => null,
        };
    }
}
