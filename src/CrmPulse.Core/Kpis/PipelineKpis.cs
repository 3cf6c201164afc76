using System.Globalization;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Kpis;

/// <summary>Pipeline hygiene: overdue and ownerless tasks, deals past close date, stalled and aging deals, lost without reason, open pipeline.</summary>
/// <remarks>
/// <para>Every count is emitted overall (no dimension) and per owner's team, with zeros for every team that has a
/// licensed user; each counted record is also an issue (drill-down), so a count equals its issues.</para>
/// <para>The state is the mirror's: a task is open when it is not completed, a deal when it is not closed. Records
/// created after as-of are left out, so a pass for an earlier as-of does not see later tasks and deals. "Dates" are
/// UTC dates (a close date is before as-of when it is before as-of's UTC date).</para>
/// <para>Activities of integration and excluded users do not keep a deal alive: an automatic e-mail is not a
/// salesperson working the deal. A deal's creation counts as its first touch, so a new deal is not stalled.</para>
/// </remarks>
public sealed class PipelineKpis : IKpiFamily
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    public KpiFamily Family => KpiFamily.Pipeline;

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new("overdue_tasks", KpiFamily.Pipeline, "count", KpiDirection.LowerIsBetter,
            "Open (not completed) tasks whose due date-time is before as-of, by owner's team.", ["team"], false, Day) { HasIssues = true },
        new("tasks_without_due_date", KpiFamily.Pipeline, "count", KpiDirection.LowerIsBetter,
            "Open tasks with no due date, by owner's team.", ["team"], false, Day) { HasIssues = true },
        new("tasks_without_owner", KpiFamily.Pipeline, "count", KpiDirection.LowerIsBetter,
            "Open tasks with no owner (team \"unassigned\").", ["team"], false, Day) { HasIssues = true },
        new("deals_past_close_date", KpiFamily.Pipeline, "count", KpiDirection.LowerIsBetter,
            "Open deals whose close date is before as-of's (UTC) date, by owner's team.", ["team"], false, Day) { HasIssues = true },
        new("stalled_deals", KpiFamily.Pipeline, "count", KpiDirection.LowerIsBetter,
            "Open, not snoozed deals whose last touch (creation, or an activity naming the deal by a non-integration user, OccurredAt ≤ as-of) is Pipeline:StalledAfterDays (default 30) days old or more; business days when Pipeline:BusinessDays.",
            ["team"], false, Day) { HasIssues = true },
        new("snoozed_deals", KpiFamily.Pipeline, "count", KpiDirection.Neutral,
            "Open deals whose Pipeline:SnoozeField holds a date on or after as-of's date, a date-time after as-of, or true/yes/1: never counted as stalled.",
            ["team"], false, Day),
        new("lost_without_reason", KpiFamily.Pipeline, "count", KpiDirection.LowerIsBetter,
            "Deals lost (ClosedAt, else close date at 00:00 UTC) in the trailing Pipeline:LostWithoutReasonDays (default 90) with no lost reason, by owner's team.",
            ["team"], true, Day) { HasIssues = true },
        new("open_pipeline_value", KpiFamily.Pipeline, "currency", KpiDirection.HigherIsBetter,
            "Sum of the amounts of open deals (a missing amount counts 0), by owner's team.", ["team"], false, Day),
        new("open_deals", KpiFamily.Pipeline, "count", KpiDirection.Neutral,
            "Open deals, by owner's team.", ["team"], false, Day),
        new("stage_age_median", KpiFamily.Pipeline, "days", KpiDirection.LowerIsBetter,
            "Median age in the current stage (as-of − StageEnteredAt; business days when Pipeline:BusinessDays) of the open deals of each pipeline and stage (pipeline \"none\" when unset); deals without StageEnteredAt or stage are left out.",
            ["pipeline", "stage"], false, Day),
        new("deals_aging_in_stage", KpiFamily.Pipeline, "count", KpiDirection.LowerIsBetter,
            "Open deals whose age in stage exceeds Pipeline:StageAgeFactor (default 2) × their pipeline and stage's median, by owner's team; deals without StageEnteredAt are left out.",
            ["team"], false, Day) { HasIssues = true },
    ];

    /// <inheritdoc />
    public void Compute(KpiContext context, KpiOutput output)
    {
        var asOf = context.AsOf;
        var options = context.Options.Pipeline;
        var calendar = BusinessCalendar.For(options);
        var teams = context.Licensed.Select(u => context.TeamOf(u.Id)).ToHashSet(StringComparer.Ordinal);
        var c = new Emitter(context, output, teams);

        // Activities as columns: the open tasks by position, no record per task.
        var activities = context.Activities;
        var (due, created, taskOwner) = (activities.Due.UtcTicks, activities.Created.UtcTicks, activities.Owner);
        var openTasks = new List<int>();
        for (var i = 0; i < activities.Count; i++)
        {
            if (activities.Types[i] == ActivityType.Task && !activities.Completed[i] && created[i] <= asOf.UtcTicks) openTasks.Add(i);
        }
        // Details are codes and arguments (IssueText), written out when read.
        c.Emit("overdue_tasks", "task", openTasks.Where(t => due[t] != InstantColumn.None && due[t] < asOf.UtcTicks),
            t => activities.Ids[t], t => taskOwner[t], t => new IssueText(IssueCode.OverdueTask, M: due[t], N: asOf.UtcTicks));
        c.Emit("tasks_without_due_date", "task", openTasks.Where(t => due[t] == InstantColumn.None),
            t => activities.Ids[t], t => taskOwner[t], t => new IssueText(IssueCode.TaskWithoutDueDate, M: created[t]));
        c.Emit("tasks_without_owner", "task", openTasks.Where(t => !CrmRecord.IsFilled(taskOwner[t])),
            t => activities.Ids[t], t => taskOwner[t], t => new IssueText(IssueCode.TaskWithoutOwner, M: created[t]));

        // Deals as columns, by position: those created by as-of, and the open ones among them (in deal order).
        var deals = context.Deals;
        var asOfTicks = asOf.UtcTicks;
        var visible = new List<int>();
        var open = new List<int>();
        for (var i = 0; i < deals.Count; i++)
        {
            if (deals.Created.UtcTicks[i] > asOfTicks) continue;
            visible.Add(i);
            if (!deals.IsClosed[i]) open.Add(i);
        }
        string DealId(int i) => deals.Ids[i];
        string? DealOwner(int i) => deals.Owner[i];
        var today = BusinessCalendar.UtcDate(asOf).DayNumber;
        var closeDays = deals.CloseDate.DayNumbers;
        c.Emit("deals_past_close_date", "deal", open.Where(i => closeDays[i] != DateColumn.None && closeDays[i] < today),
            DealId, DealOwner, i => new IssueText(IssueCode.PastCloseDate, M: closeDays[i], N: today));

        var snooze = options.SnoozeField is { } f ? RecordRows.Of(deals).Reader(f) : null;
        var snoozed = snooze is null ? [] : open.Where(i => IsSnoozed(snooze(i), asOf)).ToList();
        // A deal is not stalled when a deal of its id is snoozed (ids, as before; usually no deal is snoozed).
        var snoozedIds = snoozed.Select(DealId).ToHashSet(StringComparer.Ordinal);
        c.Sum("snoozed_deals", snoozed.Select(i => (context.TeamOf(deals.Owner[i]), 1.0)));
        var lastTouch = LastActivityByDeal(context);
        c.Emit("stalled_deals", "deal",
            open.Where(i => (snoozedIds.Count == 0 || !snoozedIds.Contains(deals.Ids[i])) && !calendar.Within(Utc(Touch(deals, i, lastTouch)), asOf, options.StalledAfterDays)),
            DealId, DealOwner, i => StalledDetail(deals, i, lastTouch, calendar, asOf));

        var lostStart = (asOf - TimeSpan.FromDays(options.LostWithoutReasonDays)).UtcTicks;
        var reasonFilled = Array.ConvertAll(deals.LostReason.Values, CrmRecord.IsFilled);
        var reasons = deals.LostReason.Codes;
        c.Emit("lost_without_reason", "deal",
            visible.Where(i => deals.IsClosed[i] && !deals.IsWon[i] && deals.ClosedTicks(i) is var t && t != InstantColumn.None
                               && t > lostStart && t <= asOfTicks && !(reasons[i] >= 0 && reasonFilled[reasons[i]])),
            DealId, DealOwner, i => new IssueText(IssueCode.LostWithoutReason, M: deals.ClosedTicks(i)));

        c.Sum("open_pipeline_value", open.Select(i => (context.TeamOf(deals.Owner[i]), (double)deals.Amount.Values[i])));
        c.Sum("open_deals", open.Select(i => (context.TeamOf(deals.Owner[i]), 1.0)));
        AddStageAges(context, output, c, deals, open, calendar);
    }

    /// <summary>An instant from its UTC ticks (ages and windows read only the instant, not its offset).</summary>
    private static DateTimeOffset Utc(long ticks) => new(ticks, TimeSpan.Zero);

    /// <summary>stage_age_median per pipeline and stage, and the deals aging beyond the factor × that median.</summary>
    private static void AddStageAges(KpiContext context, KpiOutput output, Emitter c, DealColumns deals, List<int> open, BusinessCalendar calendar)
    {
        var asOf = context.AsOf;
        // Open deals with a stage entered by as-of and a stage, grouped by pipeline ("none" when unset) and stage, in
        // the order of their first deal; each distinct stage and pipeline tested once.
        var stageFilled = Array.ConvertAll(deals.Stage.Values, CrmRecord.IsFilled);
        var pipelines = Array.ConvertAll(deals.Pipeline.Values, p => CrmRecord.IsFilled(p) ? p : "none");
        var entered = deals.StageEntered.UtcTicks;
        var groups = new Dictionary<(string Pipeline, int Stage), List<(int Deal, double Age)>>();
        foreach (var i in open)
        {
            var stage = deals.Stage.Codes[i];
            if (entered[i] == InstantColumn.None || entered[i] > asOf.UtcTicks || stage < 0 || !stageFilled[stage]) continue;
            var pipeline = deals.Pipeline.Codes[i] is >= 0 and var p ? pipelines[p] : "none";
            if (!groups.TryGetValue((pipeline, stage), out var members)) groups[(pipeline, stage)] = members = [];
            members.Add((i, calendar.Age(Utc(entered[i]), asOf)));
        }
        var aging = new List<(int Deal, double Age, double Median, string Pipeline)>();
        foreach (var ((pipeline, stage), members) in groups
                     .OrderBy(g => g.Key.Pipeline, StringComparer.Ordinal).ThenBy(g => deals.Stage.Values[g.Key.Stage], StringComparer.Ordinal))
        {
            var median = Median(members.Select(x => x.Age));
            output.Add("stage_age_median", median, Dimensions.Of(("pipeline", pipeline), ("stage", deals.Stage.Values[stage])));
            var limit = context.Options.Pipeline.StageAgeFactor * median;
            aging.AddRange(members.Where(x => x.Age > limit).Select(x => (x.Deal, x.Age, median, pipeline)));
        }
        var businessDays = calendar.CountsBusinessDays ? 1 : 0;
        c.Emit("deals_aging_in_stage", "deal", aging, x => deals.Ids[x.Deal], x => deals.Owner[x.Deal],
            x => new IssueText(IssueCode.AgingInStage, x.Pipeline, deals.Stage[x.Deal], entered[x.Deal], businessDays, x.Age, x.Median));
    }

    /// <summary>Per deal (by position): the latest OccurredAt (≤ as-of, UTC ticks) of an activity naming its id by a user
    /// who is not integration or excluded, or <see cref="InstantColumn.None"/>; deals that share an id share it.</summary>
    private static long[] LastActivityByDeal(KpiContext context)
    {
        var machine = context.Excluded.Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
        // Activities as columns: the latest activity per deal code, each owner tested once.
        var activities = context.Activities;
        var deals = activities.Deal.Codes;
        var owners = activities.Owner.Codes;
        var occurred = activities.Occurred.UtcTicks;
        var machineCode = Array.ConvertAll(activities.Owner.Values, machine.Contains);
        var latest = new long[activities.Deal.Values.Length];
        Array.Fill(latest, InstantColumn.None);
        for (var i = 0; i < deals.Length; i++)
        {
            if (deals[i] < 0 || occurred[i] > context.AsOf.UtcTicks || (owners[i] >= 0 && machineCode[owners[i]])) continue;
            ref var l = ref latest[deals[i]];
            if (occurred[i] > l) l = occurred[i];
        }
        // To the deals through their ids (IdIndex: a position per deal, not a dictionary of 300,000 ids): first to the
        // first deal of each id, then to the deals after it with the same id (a first position comes before them).
        var index = IdIndex.Deals(context);
        var last = new long[index.FirstOf.Length];
        Array.Fill(last, InstantColumn.None);
        for (var code = 0; code < latest.Length; code++)
        {
            if (index.PositionOfCode[code] is >= 0 and var p) last[p] = latest[code];
        }
        for (var d = 0; d < last.Length; d++) last[d] = last[index.FirstOf[d]];
        return last;
    }

    /// <summary>A deal's last touch in UTC ticks: its last activity when later than its creation, else its creation.</summary>
    private static long Touch(DealColumns deals, int i, long[] lastActivity) =>
        lastActivity[i] is var t && t > deals.Created.UtcTicks[i] ? t : deals.Created.UtcTicks[i];

    private static IssueText StalledDetail(DealColumns deals, int i, long[] lastActivity, BusinessCalendar calendar, DateTimeOffset asOf)
    {
        var unit = calendar.CountsBusinessDays ? "business days" : "days";
        var created = deals.Created.UtcTicks[i];
        return lastActivity[i] is var t && t > created
            ? new IssueText(IssueCode.StalledSinceActivity, unit, M: t, N: asOf.UtcTicks, X: calendar.Age(Utc(t), asOf))
            : new IssueText(IssueCode.StalledSinceCreated, unit, M: created, N: asOf.UtcTicks, X: calendar.Age(Utc(created), asOf));
    }

    /// <summary>
    /// True when a snooze field's value snoozes the deal at <paramref name="asOf"/>: "true", "yes" or "1" (any case),
    /// a date (yyyy-MM-dd) on or after as-of's UTC date (snoozed through that day), or a date-time after as-of (no
    /// offset means UTC). Anything else (empty, "false", unreadable) does not snooze.
    /// </summary>
    internal static bool IsSnoozed(string? value, DateTimeOffset asOf)
    {
        var v = value?.Trim();
        if (string.IsNullOrEmpty(v)) return false;
        if (v.Equals("true", StringComparison.OrdinalIgnoreCase) || v.Equals("yes", StringComparison.OrdinalIgnoreCase) || v == "1") return true;
        if (DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date >= BusinessCalendar.UtcDate(asOf);
        }
        return DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var until) && until > asOf;
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) throw new InvalidOperationException("Median of no values.");
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }



    /// <summary>Adds per-team counts (with the roll-up) and their issues.</summary>
    private sealed class Emitter(KpiContext context, KpiOutput output, HashSet<string> licensedTeams)
    {
        public void Emit<T>(string kpi, string objectType, IEnumerable<T> records, Func<T, string> id, Func<T, string?> owner, Func<T, IssueText> detail)
        {
            // Counted per team as they stream by, not listed one entry per record.
            var teams = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var r in records)
            {
                var team = context.TeamOf(owner(r));
                System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(teams, team, out _)++;
                output.AddIssue(kpi, objectType, id(r), owner(r), team, null, detail(r));
            }
            Sum(kpi, teams.Select(t => (t.Key, t.Value)));
        }

        /// <summary>Sums the values per team, with the roll-up; every licensed team appears, with 0 if need be.</summary>
        public void Sum(string kpi, IEnumerable<(string Team, double Value)> values)
        {
            var byTeam = licensedTeams.ToDictionary(t => t, _ => 0.0, StringComparer.Ordinal);
            var total = 0.0;
            foreach (var (team, v) in values)
            {
                byTeam[team] = byTeam.GetValueOrDefault(team) + v;
                total += v;
            }
            output.Add(kpi, total, Dimensions.None);
            foreach (var team in byTeam.Keys.Order(StringComparer.Ordinal)) output.Add(kpi, byTeam[team], Dimensions.Of(("team", team)));
        }
    }
}
