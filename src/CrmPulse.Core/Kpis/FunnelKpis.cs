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

    /// <summary>A stage not reached (in the per-position arrays of UTC ticks).</summary>
    private const long NotReached = long.MaxValue;

    /// <inheritdoc />
    public void Compute(KpiContext context, KpiOutput output)
    {
        var contacts = context.Contacts;
        var history = Enumerable.Range(0, contacts.Count).Any(i => contacts.StageDates(i) is { Count: > 0 });
        var basis = history ? HistoryBasis : SnapshotBasis;
        // Contacts by position (IdIndex.Contacts: contacts that share an id share the first one's position). With history,
        // per position when it reached each stage (UTC ticks, Stages.Count slots each), or NotReached. With the snapshot
        // basis every stage up to the current one is reached at no date an issue shows: one byte per position, the
        // highest stage reached (−1: none), instead of a date per stage (32 MB at a million contacts).
        var firstOf = IdIndex.Contacts(context).FirstOf;
        var reached = history ? FromHistory(context, firstOf) : null;
        var highest = history ? null : FromSnapshot(context, firstOf);

        var overall = new int[Stages.Count];
        var bySource = new SortedDictionary<string, int[]>(StringComparer.Ordinal);
        // The snapshot basis's detail depends only on the lifecycle stage and the source: one shared value per pair.
        var snapshotTexts = new Dictionary<(string?, string), IssueText>();
        var stageCount = Stages.Count;
        // From the contacts' columns: each distinct lead source trimmed once.
        var sources = Array.ConvertAll(contacts.LeadSource.Values, v => CrmRecord.IsFilled(v) ? v.Trim() : UnknownSource);
        for (var i = 0; i < contacts.Count; i++)
        {
            // A contact listed twice (the same id) counts once, as its first record (which lends id, owner, source).
            if (firstOf[i] != i || !(reached is null ? highest![i] >= 0 : InFunnel(reached, i, stageCount))) continue;
            var source = contacts.LeadSource.Codes[i] is >= 0 and var sourceCode ? sources[sourceCode] : UnknownSource;
            if (!bySource.TryGetValue(source, out var counts)) bySource[source] = counts = new int[stageCount];
            var (id, owner, lifecycle) = (contacts.Ids[i], contacts.Owner[i], contacts.LifecycleStage[i]);
            var team = context.TeamOf(owner);
            IssueText? current = null;
            if (!history && !snapshotTexts.TryGetValue((lifecycle, source), out current))
            {
                snapshotTexts[(lifecycle, source)] = current = new IssueText(IssueCode.FunnelCurrentStage, lifecycle, source);
            }
            for (var s = 0; s < stageCount; s++)
            {
                var at = reached is null ? 0 : reached[i * stageCount + s];
                if (reached is null ? s > highest![i] : at == NotReached) continue;
                overall[s]++;
                counts[s]++;
                // The detail is kept as its values (an org has hundreds of thousands of contacts in the funnel).
                if (current is not null) output.AddIssueSharedText("funnel_stage_records", "contact", id, owner, team, Stages[s], current);
                else output.AddIssue("funnel_stage_records", "contact", id, owner, team, Stages[s], IssueCode.FunnelStage, Stages[s], source, at);
            }
        }
        Emit(output, overall, null, basis);
        foreach (var (source, counts) in bySource) Emit(output, counts, source, basis);
    }

    private static bool InFunnel(long[] reached, int position, int stageCount)
    {
        for (var s = 0; s < stageCount; s++)
        {
            if (reached[position * stageCount + s] != NotReached) return true;
        }
        return false;
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

    private static long[] NewReached(int contacts)
    {
        var reached = new long[contacts * Stages.Count];
        Array.Fill(reached, NotReached);
        return reached;
    }

    /// <summary>Per contact position in the funnel, when it reached each stage, from stage dates and deals.</summary>
    private static long[] FromHistory(KpiContext context, int[] firstOf)
    {
        var asOf = context.AsOf;
        var contacts = context.Contacts;
        var stageCount = Stages.Count;
        var entered = NewReached(contacts.Count);
        // Instants compare as UTC ticks, as DateTimeOffset does; the earliest wins (the first of equal ones).
        void Enter(int position, int stage, long at)
        {
            if (at > asOf.UtcTicks) return;
            ref var slot = ref entered[position * stageCount + stage];
            if (at < slot) slot = at;
        }
        var position = new Dictionary<string, int>(contacts.Count, StringComparer.Ordinal);
        for (var i = 0; i < contacts.Count; i++)
        {
            position.TryAdd(contacts.Ids[i], i);
            if (contacts.StageDates(i) is not { } dates) continue;
            for (var s = 0; s < stageCount; s++)
            {
                if (dates.TryGetValue(Stages[s], out var at)) Enter(firstOf[i], s, at.UtcTicks);
            }
        }
        // Deals as columns: each distinct contact id they name looked up once.
        var deals = context.Deals;
        var contactCodes = deals.Contact.Codes;
        var positionOfCode = Array.ConvertAll(deals.Contact.Values, id => position.TryGetValue(id, out var p) ? p : -1);
        for (var d = 0; d < deals.Count; d++)
        {
            if (contactCodes[d] < 0 || positionOfCode[contactCodes[d]] is not (>= 0 and var p)) continue;
            Enter(p, 2, deals.Created.UtcTicks[d]);
            if (deals.IsWon[d] && deals.Closed.UtcTicks[d] is var won && won != InstantColumn.None) Enter(p, 3, won);
        }
        // Reaching a stage passes through the earlier ones: each stage is reached at the earliest of its own date and
        // the dates of the stages after it.
        for (var p = 0; p < contacts.Count; p++)
        {
            for (var s = stageCount - 2; s >= 0; s--)
            {
                ref var own = ref entered[p * stageCount + s];
                var next = entered[p * stageCount + s + 1];
                if (next < own) own = next;
            }
        }
        return entered;
    }

    /// <summary>Per contact position, the highest funnel stage reached (its current one; the stages before it are reached
    /// too), or −1; the first contact of an id in the funnel, created by as-of, gives it.</summary>
    private static sbyte[] FromSnapshot(KpiContext context, int[] firstOf)
    {
        var contacts = context.Contacts;
        var highest = new sbyte[contacts.Count];
        Array.Fill(highest, (sbyte)-1);
        // A million contacts carry a few distinct lifecycle stages: each is read once.
        var stages = new Dictionary<string, int?>(StringComparer.Ordinal);
        int? Stage(string? lifecycle)
        {
            if (lifecycle is null) return null;
            if (!stages.TryGetValue(lifecycle, out var stage)) stages[lifecycle] = stage = StageOf(lifecycle);
            return stage;
        }
        for (var i = 0; i < contacts.Count; i++)
        {
            var created = contacts.Created.UtcTicks[i]; // instants compare as their UTC ticks
            if (created > context.AsOf.UtcTicks || Stage(contacts.LifecycleStage[i]) is not { } stage) continue;
            var p = firstOf[i];
            if (highest[p] >= 0) continue; // an earlier contact of the id is there already
            highest[p] = (sbyte)stage;
        }
        return highest;
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
