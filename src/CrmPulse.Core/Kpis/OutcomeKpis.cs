using System.Globalization;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Kpis;

/// <summary>Outcomes for leadership: win rate, sales cycle, revenue, deal size, lead response and conversion, churn, NPS/CSAT, ROI estimate.</summary>
/// <remarks>
/// <para>Windows trail as-of, start excluded, as-of included. A deal is won or lost at its ClosedAt, else at its close
/// date 00:00 UTC. Months are UTC calendar months. Amounts are summed in the CRM's currency (missing amounts count 0
/// in sums; averages take deals with an amount only).</para>
/// <para>A ratio or median over nothing is not emitted (no sample), rather than a made-up 0. NPS, CSAT and churn are
/// produced only when their field is configured, the ROI estimate only when its cost and gain are.</para>
/// <para>A lead is answered by its first outbound call or e-mail (Direction "outbound"), or meeting, naming the
/// contact, at or after the lead's creation and not after as-of, logged by a user who is not an integration or
/// excluded user (an automatic reply is not a response).</para>
/// </remarks>
public sealed class OutcomeKpis : IKpiFamily
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly TimeSpan Days30 = TimeSpan.FromDays(30);
    private static readonly TimeSpan Days90 = TimeSpan.FromDays(90);

    public KpiFamily Family => KpiFamily.Outcome;

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new("win_rate", KpiFamily.Outcome, "ratio", KpiDirection.HigherIsBetter,
            "Won ÷ (won + lost) among deals closed in the trailing Outcomes:WinRateDays (default 90); no sample when none closed.", [], true, Day),
        new("sales_cycle_median", KpiFamily.Outcome, "days", KpiDirection.LowerIsBetter,
            "Median days from creation to won over deals won in the win-rate window (Outcomes:WinRateDays); no sample when none.", [], true, Day),
        new("new_revenue_30d", KpiFamily.Outcome, "currency", KpiDirection.HigherIsBetter,
            "Sum of the amounts of deals won in the trailing 30 days.", [], true, Day),
        new("new_revenue_month", KpiFamily.Outcome, "currency", KpiDirection.HigherIsBetter,
            "Amounts of deals won per UTC calendar month (month \"2026-11\"): the current month up to as-of and the previous full month.", ["month"], true, Day),
        new("average_deal_size", KpiFamily.Outcome, "currency", KpiDirection.HigherIsBetter,
            "Mean amount of the deals won in the win-rate window that have an amount; no sample when none.", [], true, Day),
        new("lead_response_time_median", KpiFamily.Outcome, "minutes", KpiDirection.LowerIsBetter,
            "Median minutes from creation to first response (outbound call or e-mail, or meeting, naming the contact) over answered leads created in the trailing 30 days; no sample when none was answered.",
            [], true, Day),
        new("lead_response_within_5m_ratio", KpiFamily.Outcome, "ratio", KpiDirection.HigherIsBetter,
            "Leads created in the trailing 30 days answered within 5 minutes ÷ all of them (unanswered leads count as not within); no sample without leads.", [], true, Day),
        new("lead_response_within_1h_ratio", KpiFamily.Outcome, "ratio", KpiDirection.HigherIsBetter,
            "Leads created in the trailing 30 days answered within 1 hour ÷ all of them (unanswered leads count as not within); no sample without leads.", [], true, Day),
        new("unanswered_leads", KpiFamily.Outcome, "count", KpiDirection.LowerIsBetter,
            "Leads created in the trailing 30 days with no response up to as-of, by owner's team (issues list them).", ["team"], true, Day) { HasIssues = true },
        new("lead_conversion_rate", KpiFamily.Outcome, "ratio", KpiDirection.HigherIsBetter,
            "Leads created in the trailing 90 days converted (ConvertedAt) by as-of ÷ leads created in those 90 days; no sample without leads.", [], true, Day),
        new("churn_rate", KpiFamily.Outcome, "ratio", KpiDirection.LowerIsBetter,
            "Customers (companies with a deal won by the window's start, not churned by then) whose Outcomes:ChurnField date lies in the trailing 90 days ÷ customers at the window's start; only when ChurnField is set, no sample without customers.",
            [], true, Day),
        new("nps", KpiFamily.Outcome, "score", KpiDirection.HigherIsBetter,
            "Net promoter score over contacts' Outcomes:NpsField answers 0–10: % promoters (9–10) − % detractors (0–6), −100..100; only when NpsField is set, no sample without answers.",
            [], false, Day),
        new("csat", KpiFamily.Outcome, "ratio", KpiDirection.HigherIsBetter,
            "Share of satisfied answers (4–5) among contacts' Outcomes:CsatField answers 1–5; only when CsatField is set, no sample without answers.", [], false, Day),
        new("crm_roi", KpiFamily.Outcome, "ratio", KpiDirection.HigherIsBetter,
            "Estimate (basis \"estimate\"): (Outcomes:RoiGain − Outcomes:RoiCost) ÷ Outcomes:RoiCost, from configured figures over RoiPeriodDays; only when both are set.",
            [], false, Day),
    ];

    /// <inheritdoc />
    public void Compute(KpiContext context, KpiOutput output)
    {
        var options = context.Options.Outcomes;
        AddDeals(context, output, options);
        AddLeads(context, output);
        if (options.ChurnField is { } churnField) AddChurn(context, output, churnField);
        if (options.NpsField is { } npsField)
        {
            var answers = Answers(context, npsField, 0, 10);
            if (answers.Count > 0) output.Add("nps", 100.0 * (answers.Count(a => a >= 9) - answers.Count(a => a <= 6)) / answers.Count);
        }
        if (options.CsatField is { } csatField)
        {
            var answers = Answers(context, csatField, 1, 5);
            if (answers.Count > 0) output.Add("csat", (double)answers.Count(a => a >= 4) / answers.Count);
        }
        if (options is { RoiCost: { } cost, RoiGain: { } gain })
        {
            output.Add("crm_roi", (double)((gain - cost) / cost), "estimate");
        }
    }

    private static void AddDeals(KpiContext context, KpiOutput output, OutcomeOptions options)
    {
        // Deals as columns: the closed deals with a close instant (UTC ticks), by position in deal order.
        var deals = context.Deals;
        var closed = new List<(int Deal, long At)>();
        for (var i = 0; i < deals.Count; i++)
        {
            if (deals.IsClosed[i] && deals.ClosedTicks(i) is var at && at != InstantColumn.None) closed.Add((i, at));
        }
        var (asOf, created, amounts) = (context.AsOf.UtcTicks, deals.Created.UtcTicks, deals.Amount);
        // KpiContext.InWindow on UTC ticks: (as-of − window, as-of].
        bool InWindow(long t, TimeSpan window) => t > asOf - window.Ticks && t <= asOf;
        var window = TimeSpan.FromDays(options.WinRateDays);
        var inWindow = closed.Where(x => InWindow(x.At, window)).ToList();
        var won = inWindow.Where(x => deals.IsWon[x.Deal]).ToList();
        if (inWindow.Count > 0) output.Add("win_rate", (double)won.Count / inWindow.Count);
        if (won.Count > 0) output.Add("sales_cycle_median", PipelineKpis.Median(won.Select(x => new TimeSpan(x.At - created[x.Deal]).TotalDays)));
        var sized = won.Where(x => amounts.Has[x.Deal]).ToList();
        if (sized.Count > 0) output.Add("average_deal_size", (double)(sized.Sum(x => amounts.Values[x.Deal]) / sized.Count));

        // A missing amount is 0 in the column: it counts 0 in the sums.
        var allWon = closed.Where(x => deals.IsWon[x.Deal]).ToList();
        output.Add("new_revenue_30d", (double)allWon.Where(x => InWindow(x.At, Days30)).Sum(x => amounts.Values[x.Deal]));
        var utc = context.AsOf.UtcDateTime;
        var monthStart = new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var previousStart = monthStart.AddMonths(-1);
        decimal Revenue(DateTimeOffset from, DateTimeOffset to, bool toIncluded) =>
            allWon.Where(x => x.At >= from.UtcTicks && (toIncluded ? x.At <= to.UtcTicks : x.At < to.UtcTicks)).Sum(x => amounts.Values[x.Deal]);
        output.Add("new_revenue_month", (double)Revenue(previousStart, monthStart, false), Dimensions.Of(("month", Month(previousStart))));
        output.Add("new_revenue_month", (double)Revenue(monthStart, context.AsOf, true), Dimensions.Of(("month", Month(monthStart))));
    }

    private static void AddLeads(KpiContext context, KpiOutput output)
    {
        var asOf = context.AsOf;
        // Leads by position in the contacts' columns, no record per lead.
        var contacts = context.Contacts;
        var leads = Enumerable.Range(0, contacts.Count).Where(i => contacts.IsLead[i]).ToList();
        var recent = leads.Where(i => context.InWindow(contacts.Created.At(i), Days30)).ToList();
        var recentIds = recent.Select(i => contacts.Ids[i]).ToHashSet(StringComparer.Ordinal);
        var machine = context.Excluded.Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
        // Activities as columns: the activity's own fields first, then its contact and owner by code (each distinct id
        // tested once); the touches of a contact in activity order, as grouping the records gave them.
        var activities = context.Activities;
        var occurred = activities.Occurred.UtcTicks;
        var contactCodes = activities.Contact.Codes;
        var ownerCodes = activities.Owner.Codes;
        var directionCodes = activities.Direction.Codes;
        var recentCode = Array.ConvertAll(activities.Contact.Values, recentIds.Contains);
        var machineCode = Array.ConvertAll(activities.Owner.Values, machine.Contains);
        var outbound = Array.ConvertAll(activities.Direction.Values, d => string.Equals(d.Trim(), "outbound", StringComparison.OrdinalIgnoreCase));
        var touches = new Dictionary<string, List<DateTimeOffset>>(StringComparer.Ordinal);
        for (var i = 0; i < occurred.Length; i++)
        {
            if (occurred[i] > asOf.UtcTicks) continue;
            var response = activities.Types[i] switch
            {
                ActivityType.Meeting => true,
                ActivityType.Call or ActivityType.Email => directionCodes[i] >= 0 && outbound[directionCodes[i]],
                _ => false,
            };
            if (!response || contactCodes[i] < 0 || !recentCode[contactCodes[i]] || (ownerCodes[i] >= 0 && machineCode[ownerCodes[i]])) continue;
            var contact = activities.Contact.Values[contactCodes[i]];
            if (!touches.TryGetValue(contact, out var times)) touches[contact] = times = [];
            times.Add(activities.Occurred.At(i));
        }

        var minutes = new List<double>();
        var unanswered = new List<int>();
        foreach (var lead in recent)
        {
            var createdAt = contacts.Created.At(lead);
            var first = touches.TryGetValue(contacts.Ids[lead], out var times) ? times.Where(t => t >= createdAt).Select(t => (DateTimeOffset?)t).Min() : null;
            if (first is { } t) minutes.Add((t - createdAt).TotalMinutes);
            else unanswered.Add(lead);
        }
        if (minutes.Count > 0) output.Add("lead_response_time_median", PipelineKpis.Median(minutes));
        if (recent.Count > 0)
        {
            output.Add("lead_response_within_5m_ratio", (double)minutes.Count(m => m <= 5) / recent.Count);
            output.Add("lead_response_within_1h_ratio", (double)minutes.Count(m => m <= 60) / recent.Count);
        }

        var teams = context.Licensed.Select(u => context.TeamOf(u.Id)).ToHashSet(StringComparer.Ordinal);
        var byTeam = teams.ToDictionary(t => t, _ => 0, StringComparer.Ordinal);
        foreach (var lead in unanswered)
        {
            var owner = contacts.Owner[lead];
            var team = context.TeamOf(owner);
            byTeam[team] = byTeam.GetValueOrDefault(team) + 1;
            output.AddIssue(new RecordIssue("unanswered_leads", "contact", contacts.Ids[lead], owner, team,
                Detail: $"lead created {Iso(contacts.Created.At(lead))}, no response by {Iso(asOf)}"));
        }
        output.Add("unanswered_leads", unanswered.Count);
        foreach (var team in byTeam.Keys.Order(StringComparer.Ordinal)) output.Add("unanswered_leads", byTeam[team], Dimensions.Of(("team", team)));

        var quarter = leads.Where(i => context.InWindow(contacts.Created.At(i), Days90)).ToList();
        if (quarter.Count > 0) output.Add("lead_conversion_rate", (double)quarter.Count(i => contacts.Converted.AtOrNull(i) <= asOf) / quarter.Count);
    }

    /// <summary>churn_rate: customers at the window's start who churned in (start, as-of] ÷ customers at the start.</summary>
    private static void AddChurn(KpiContext context, KpiOutput output, string churnField)
    {
        var start = context.AsOf - Days90;
        // Deals and companies as columns: the companies of deals won by the window's start, then each company of
        // those ids once (the first of an id).
        var deals = context.Deals;
        var customerIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < deals.Count; i++)
        {
            if (deals.IsWon[i] && deals.Company[i] is { } company && deals.ClosedTicks(i) is var at && at != InstantColumn.None && at <= start.UtcTicks)
                customerIds.Add(company);
        }
        var companies = RecordRows.Of(context.Companies);
        var churnedAt = companies.Reader(churnField);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var customers = 0;
        var churned = 0;
        for (var i = 0; i < companies.Count; i++)
        {
            if (!customerIds.Contains(companies.Id(i)) || !seen.Add(companies.Id(i))) continue;
            var at = ParseDate(churnedAt(i));
            if (at <= start) continue; // gone before the window: not a customer at its start
            customers++;
            if (at <= context.AsOf) churned++;
        }
        if (customers > 0) output.Add("churn_rate", (double)churned / customers);
    }

    /// <summary>A date (yyyy-MM-dd, 00:00 UTC) or date-time (no offset: UTC); null when empty or unreadable.</summary>
    internal static DateTimeOffset? ParseDate(string? value)
    {
        var v = value?.Trim();
        if (string.IsNullOrEmpty(v)) return null;
        if (DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }
        return DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
    }

    /// <summary>Whole-number answers in [min, max] of a contact field; empty, unreadable or out-of-range values are no answer.</summary>
    private static List<int> Answers(KpiContext context, string field, int min, int max)
    {
        var answers = new List<int>();
        var contacts = RecordRows.Of(context.Contacts);
        var read = contacts.Reader(field);
        for (var i = 0; i < contacts.Count; i++)
        {
            if (int.TryParse(read(i)?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max)
            {
                answers.Add(v);
            }
        }
        return answers;
    }

    private static string Month(DateTimeOffset start) => start.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
