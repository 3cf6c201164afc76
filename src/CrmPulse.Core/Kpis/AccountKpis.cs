using System.Collections.Concurrent;
using System.Globalization;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Kpis;

/// <summary>
/// Account prioritisation for cleaning up and focusing sales: RFM segments per company, dead accounts, accounts owned by
/// nobody or by a deactivated user, and accounts per territory.
/// </summary>
/// <remarks>
/// <para>A company's touches are its won deals (at ClosedAt, else the close date 00:00 UTC) and its activities (at
/// OccurredAt). An activity belongs to the company it names, else to the company of the contact it names, else to the
/// company of the deal it names. Nothing after as-of counts.</para>
/// <para><b>RFM</b>, over the companies with at least one touch up to as-of: recency is the time of the last touch;
/// frequency the deals created plus the activities in the trailing Outcomes:RfmDays (default 365); monetary the amounts
/// of the deals won in that window. Each is scored 1–5 by quintile of the company's mid-rank among the scored
/// companies: p = (companies strictly worse + (companies equal − 1) ÷ 2) ÷ (n − 1), score = 1 + min(4, ⌊5p⌋), so
/// ties share a score and a single company (or all equal) scores 3. Later is better for recency, more for frequency and
/// monetary. With FM = (F + M) ÷ 2 the segments are: champions R ≥ 4 and FM ≥ 4; loyal R ≥ 3 and FM ≥ 3; promising
/// R ≥ 3 and FM &lt; 3; at_risk R ≤ 2 and FM ≥ 3; hibernating R = 2 and FM &lt; 3; lost R = 1 and FM &lt; 3.</para>
/// <para>These KPIs read who owns what and which deals are open today, so they are not rebuilt for past dates.</para>
/// </remarks>
public sealed class AccountKpis : IKpiFamily
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>The RFM segments, best first.</summary>
    public static readonly IReadOnlyList<string> Segments = ["champions", "loyal", "promising", "at_risk", "hibernating", "lost"];

    /// <summary>The territory of a company whose territory field is empty.</summary>
    public const string NoTerritory = "none";

    public KpiFamily Family => KpiFamily.Outcome;

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new("rfm_accounts", KpiFamily.Outcome, "count", KpiDirection.Neutral,
            "Companies with a won deal or an activity up to as-of, by RFM segment (champions, loyal, promising, at_risk, hibernating, lost: recency of the last won deal or activity, frequency of deals and activities and won revenue in the trailing Outcomes:RfmDays, each scored 1–5 by quintile) and owner's team; issues list each company with its scores.",
            ["segment", "team"], false, Day) { HasIssues = true },
        new("dead_accounts", KpiFamily.Outcome, "count", KpiDirection.LowerIsBetter,
            "Companies created before the trailing Outcomes:DeadAccountMonths (default 12) with no activity, no deal created or won and no open deal in those months, by owner's team (issues list them).",
            ["team"], false, Day) { HasIssues = true },
        new("unowned_accounts", KpiFamily.Outcome, "count", KpiDirection.LowerIsBetter,
            "Companies owned by nobody, by a deactivated user or by a user the CRM does not list, by owner's team (issues list them).",
            ["team"], false, Day) { HasIssues = true },
        new("accounts_by_territory", KpiFamily.Outcome, "count", KpiDirection.Neutral,
            "Companies per value of the company field Outcomes:TerritoryField (\"none\" when empty); only when TerritoryField is set.",
            ["territory"], false, Day),
    ];

    /// <inheritdoc />
    public void Compute(KpiContext context, KpiOutput output)
    {
        var options = context.Options.Outcomes;
        // Companies as columns: the counted ones by position, created by as-of; a company listed twice (the same id)
        // counts once everywhere, as its first record.
        var columns = context.Companies;
        // The map of a counted id to its company's position in that list is also the set of ids seen.
        var companies = new List<int>(columns.Count);
        var position = new Dictionary<string, int>(columns.Count, StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns.Created.UtcTicks[i] <= context.AsOf.UtcTicks && position.TryAdd(columns.Ids[i], companies.Count)) companies.Add(i);
        }
        var window = TimeSpan.FromDays(options.RfmDays);
        var touches = Fold(context, columns, companies, position, window);
        AddRfm(context, output, columns, companies, touches, window);
        AddDead(context, output, columns, companies, touches, options.DeadAccountMonths);
        AddUnowned(context, output, columns, companies);
        if (options.TerritoryField is { } field)
        {
            var territory = RecordRows.Of(columns).Reader(field);
            foreach (var group in companies.GroupBy(c => territory(c) is var t && CrmRecord.IsFilled(t) ? t!.Trim() : NoTerritory, StringComparer.Ordinal))
                output.Add("accounts_by_territory", group.Count(), Dimensions.Of(("territory", group.Key)));
        }
    }

    /// <summary>
    /// What happened at each company up to as-of, by the company's position in the list of companies: arrays folded as
    /// the deals and activities stream by (no object or list per company: a million contacts' org has 200,000 companies
    /// and millions of activities). Times are UTC ticks, <see cref="Never"/> when nothing happened.
    /// </summary>
    private sealed class Touches(int count)
    {
        /// <summary>The last won deal or activity (the RFM recency).</summary>
        public readonly long[] Last = NeverAll(count);
        /// <summary>The last activity, deal created or deal won (dead accounts).</summary>
        public readonly long[] LastAny = NeverAll(count);
        /// <summary>Deals created and activities in the RFM window.</summary>
        public readonly int[] Frequency = new int[count];
        /// <summary>Won amounts in the RFM window.</summary>
        public readonly decimal[] Monetary = new decimal[count];
        public readonly bool[] HasOpenDeal = new bool[count];

        public static long[] NeverAll(int count)
        {
            var ticks = new long[count];
            Array.Fill(ticks, Never);
            return ticks;
        }
    }

    private const long Never = long.MinValue;

    /// <summary>A deal, contact or activity with no company (<see cref="None"/>), or with a company that is not among
    /// those counted (<see cref="Elsewhere"/>: unknown, or created after as-of), which ends the search for one.</summary>
    private const int None = -1, Elsewhere = -2;

    /// <summary>A deal id none of whose deals names a company (yet).</summary>
    private const int Unset = int.MinValue;

    /// <param name="position">A counted company's id → its position in <paramref name="companies"/>.</param>
    private static Touches Fold(KpiContext context, CompanyColumns columns, List<int> companies, Dictionary<string, int> position, TimeSpan window)
    {
        var asOf = context.AsOf.UtcTicks;
        var windowStart = (context.AsOf - window).UtcTicks;
        bool InWindow(long t) => t > windowStart && t <= asOf; // KpiContext.InWindow on ticks
        var touches = new Touches(companies.Count);
        int CompanyOf(string? id) => id is null ? None : position.TryGetValue(id, out var p) ? p : Elsewhere;

        // Deal (by the first position of its id, IdIndex) → its company: the first deal of an id that names one
        // (Unset: none does). Deals as columns: each distinct company id they name looked up once.
        var deals = context.Deals;
        var dealIndex = IdIndex.Deals(context);
        var dealCompanyCodes = deals.Company.Codes;
        var companyOfDealCode = Array.ConvertAll(deals.Company.Values, id => CompanyOf(id));
        var dealCompany = new int[deals.Count];
        Array.Fill(dealCompany, Unset);
        for (var d = 0; d < deals.Count; d++)
        {
            if (dealCompanyCodes[d] < 0) continue;
            var company = companyOfDealCode[dealCompanyCodes[d]];
            if (dealCompany[dealIndex.FirstOf[d]] == Unset) dealCompany[dealIndex.FirstOf[d]] = company;
            var created = deals.Created.UtcTicks[d];
            if (company < 0 || created > asOf) continue;
            touches.LastAny[company] = Math.Max(touches.LastAny[company], created);
            if (InWindow(created)) touches.Frequency[company]++;
            if (!deals.IsClosed[d]) touches.HasOpenDeal[company] = true;
            else if (deals.IsWon[d] && deals.ClosedTicks(d) is var won && won != InstantColumn.None && won <= asOf)
            {
                touches.Last[company] = Math.Max(touches.Last[company], won);
                touches.LastAny[company] = Math.Max(touches.LastAny[company], won);
                if (InWindow(won)) touches.Monetary[company] += deals.Amount.Values[d]; // 0 when missing
            }
        }

        // Contact (by its position in the contact index) → its company: the first contact of the id that names one.
        var index = IdIndex.Contacts(context);
        var contactCompanies = context.Contacts.Company;
        var contactCompany = new int[context.Contacts.Count];
        Array.Fill(contactCompany, None);
        for (var i = 0; i < contactCompany.Length; i++)
        {
            var first = index.FirstOf[i];
            if (contactCompanies[i] is { } id && contactCompany[first] == None) contactCompany[first] = CompanyOf(id);
        }

        // Activities in contiguous chunks on every core, each into its own last-activity and frequency arrays, joined
        // into the touches as soon as the chunk is done (a maximum and a sum: the same whatever the order), so that at
        // most one pair per core is alive, not one per chunk (eight at 200,000 companies: 19 MB), and reused by the next.
        // Each distinct company and deal id the activities name is looked up once.
        var activities = context.Activities;
        var occurred = activities.Occurred.UtcTicks;
        var companyCodes = activities.Company.Codes;
        var dealCodes = activities.Deal.Codes;
        var companyOfCode = Array.ConvertAll(activities.Company.Values, id => CompanyOf(id));
        var dealCompanyOfCode = Array.ConvertAll(dealIndex.PositionOfCode, p => p >= 0 && dealCompany[p] != Unset ? dealCompany[p] : None);
        var (contactCodes, contactOfCode) = (activities.Contact.Codes, index.PositionOfCode);
        // A chunk's pair of arrays is cleared and handed to the next chunk once joined: at most one pair per core is
        // ever allocated (2.4 MB each at 200,000 companies), not one per chunk.
        var spare = new ConcurrentBag<(long[] Last, int[] Frequency)>();
        Chunks.For(activities.Count, (from, to) =>
        {
            var (last, frequency) = spare.TryTake(out var pair) ? pair : (Touches.NeverAll(companies.Count), new int[companies.Count]);
            for (var i = from; i < to; i++)
            {
                var at = occurred[i];
                if (at > asOf) continue;
                var company = companyCodes[i] >= 0 ? companyOfCode[companyCodes[i]]
                    : contactCodes[i] is >= 0 and var code && contactOfCode[code] is >= 0 and var p && contactCompany[p] != None ? contactCompany[p]
                    : dealCodes[i] >= 0 ? dealCompanyOfCode[dealCodes[i]]
                    : None;
                if (company < 0) continue;
                last[company] = Math.Max(last[company], at);
                if (InWindow(at)) frequency[company]++;
            }
            lock (touches)
            {
                for (var c = 0; c < companies.Count; c++)
                {
                    touches.Last[c] = Math.Max(touches.Last[c], last[c]);
                    touches.LastAny[c] = Math.Max(touches.LastAny[c], last[c]);
                    touches.Frequency[c] += frequency[c];
                }
            }
            Array.Fill(last, Never);
            Array.Clear(frequency);
            spare.Add((last, frequency));
        });
        return touches;
    }

    private static void AddRfm(KpiContext context, KpiOutput output, CompanyColumns columns, List<int> companies, Touches touches, TimeSpan window)
    {
        // The scored companies by their position in the touches, and each score's values as one array: no record per
        // company (200,000 of 48 bytes made a 9.6 MB list beside the touches).
        var touched = 0;
        for (var i = 0; i < companies.Count; i++) if (touches.Last[i] != Never) touched++;
        var scored = new int[touched];
        for (int i = 0, k = 0; i < companies.Count; i++) if (touches.Last[i] != Never) scored[k++] = i;
        var r = Scores(Array.ConvertAll(scored, i => touches.Last[i]));
        var f = Scores(Array.ConvertAll(scored, i => (long)touches.Frequency[i]), zeroScoresOne: true);
        var m = Scores(Array.ConvertAll(scored, i => touches.Monetary[i]), zeroScoresOne: true);

        var windowDays = window.TotalDays.ToString("0", CultureInfo.InvariantCulture);
        var counts = Segments.ToDictionary(s => s, _ => 0, StringComparer.Ordinal);
        var byTeam = new Dictionary<(string Segment, string Team), int>();
        for (var i = 0; i < scored.Length; i++)
        {
            var position = scored[i];
            var (row, last, frequency, monetary) = (companies[position], new DateTimeOffset(touches.Last[position], TimeSpan.Zero),
                touches.Frequency[position], touches.Monetary[position]);
            var (id, owner) = (columns.Ids[row], columns.Owner[row]);
            var segment = Segment(r[i], f[i], m[i]);
            var team = context.TeamOf(owner);
            counts[segment]++;
            byTeam[(segment, team)] = byTeam.GetValueOrDefault((segment, team)) + 1;
            var days = (int)Math.Floor((context.AsOf - last).TotalDays);
            // The text is written when the issue is read (IssueText, its code and arguments stored in the row, no object
            // per issue); a won amount a double cannot carry exactly (more than 15 significant digits) is formatted now,
            // as before.
            if ((decimal)(double)monetary == monetary)
            {
                output.AddIssue("rfm_accounts", "company", id, owner, team, segment,
                    IssueCode.RfmScores, ScoreLabels[r[i] - 1, f[i] - 1, m[i] - 1], windowDays, last.UtcTicks, days, frequency, (double)monetary);
            }
            else
            {
                output.AddIssue("rfm_accounts", "company", id, owner, team, segment, string.Create(CultureInfo.InvariantCulture,
                    $"R{r[i]} F{f[i]} M{m[i]}: last won deal or activity {last.UtcDateTime:yyyy-MM-dd} ({days} {(days == 1 ? "day" : "days")} ago), {frequency} deals and activities and {monetary:0.##} won in the trailing {windowDays} days"));
            }
        }
        output.Add("rfm_accounts", scored.Length);
        foreach (var segment in Segments) output.Add("rfm_accounts", counts[segment], Dimensions.Of(("segment", segment)));
        foreach (var ((segment, team), n) in byTeam.OrderBy(x => x.Key.Segment, StringComparer.Ordinal).ThenBy(x => x.Key.Team, StringComparer.Ordinal))
            output.Add("rfm_accounts", n, Dimensions.Of(("segment", segment), ("team", team)));
    }

    /// <summary>"R1 F1 M1" to "R5 F5 M5", one string each, by score − 1.</summary>
    private static readonly string[,,] ScoreLabels = Labels();

    private static string[,,] Labels()
    {
        var labels = new string[5, 5, 5];
        for (var r = 0; r < 5; r++)
        for (var f = 0; f < 5; f++)
        for (var m = 0; m < 5; m++)
            labels[r, f, m] = $"R{r + 1} F{f + 1} M{m + 1}";
        return labels;
    }

    /// <summary>
    /// Quintile scores 1–5 by mid-rank, higher value better: p = (strictly lower + (equal − 1) ÷ 2) ÷ (n − 1), score =
    /// 1 + min(4, ⌊5p⌋); p = ½ when n = 1. With <paramref name="zeroScoresOne"/>, nothing (no deal or activity, no
    /// revenue) scores 1 however many companies share it, so that "no revenue" never reads as a middling 3.
    /// </summary>
    internal static int[] Scores<T>(IReadOnlyList<T> values, bool zeroScoresOne = false) where T : IComparable<T>
    {
        var n = values.Count;
        var sorted = values.ToArray();
        Array.Sort(sorted);
        var scores = new int[n];
        for (var i = 0; i < n; i++)
        {
            var lower = LowerBound(sorted, values[i]);
            var equal = UpperBound(sorted, values[i]) - lower;
            var p = n == 1 ? 0.5 : (lower + (equal - 1) / 2.0) / (n - 1);
            scores[i] = zeroScoresOne && values[i].CompareTo(default!) == 0 ? 1 : 1 + Math.Min(4, (int)Math.Floor(5 * p));
        }
        return scores;
    }

    private static int LowerBound<T>(T[] sorted, T value) where T : IComparable<T>
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi) { var mid = (lo + hi) / 2; if (sorted[mid].CompareTo(value) < 0) lo = mid + 1; else hi = mid; }
        return lo;
    }

    private static int UpperBound<T>(T[] sorted, T value) where T : IComparable<T>
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi) { var mid = (lo + hi) / 2; if (sorted[mid].CompareTo(value) <= 0) lo = mid + 1; else hi = mid; }
        return lo;
    }

    /// <summary>The segment of recency, frequency and monetary scores (see the class remarks).</summary>
    internal static string Segment(int r, int f, int m)
    {
        var fm = (f + m) / 2.0;
        return (r, fm) switch
        {
            ( >= 4, >= 4) => "champions",
            ( >= 3, >= 3) => "loyal",
            ( >= 3, _) => "promising",
            (_, >= 3) => "at_risk",
            (2, _) => "hibernating",
            _ => "lost",
        };
    }

    private static void AddDead(KpiContext context, KpiOutput output, CompanyColumns columns, List<int> companies, Touches touches, int months)
    {
        var since = context.AsOf.AddMonths(-months);
        var byTeam = new Dictionary<string, int>(StringComparer.Ordinal);
        // Dead accounts share a few thousand days: one detail string per day (and kind), not one per account.
        var details = new Dictionary<(bool Ever, long Day), string>();
        for (var i = 0; i < companies.Count; i++)
        {
            var c = companies[i];
            var created = columns.Created.UtcTicks[c];
            if (created > since.UtcTicks) continue;
            var lastAny = touches.LastAny[i];
            if (touches.HasOpenDeal[i] || lastAny > since.UtcTicks) continue;
            var owner = columns.Owner[c];
            var team = context.TeamOf(owner);
            byTeam[team] = byTeam.GetValueOrDefault(team) + 1;
            var key = lastAny == Never ? (false, created / TimeSpan.TicksPerDay) : (true, lastAny / TimeSpan.TicksPerDay);
            if (!details.TryGetValue(key, out var detail))
            {
                details[key] = detail = lastAny == Never
                    ? $"no activity or deal ever, created {new DateTime(created, DateTimeKind.Utc):yyyy-MM-dd}"
                    : $"no activity or deal since {new DateTime(lastAny, DateTimeKind.Utc):yyyy-MM-dd}, no open deal";
            }
            output.AddIssue("dead_accounts", "company", columns.Ids[c], owner, team, null, detail);
        }
        output.Add("dead_accounts", byTeam.Values.Sum());
        foreach (var (team, n) in byTeam.OrderBy(x => x.Key, StringComparer.Ordinal)) output.Add("dead_accounts", n, Dimensions.Of(("team", team)));
    }

    private static void AddUnowned(KpiContext context, KpiOutput output, CompanyColumns columns, List<int> companies)
    {
        var byTeam = new Dictionary<string, int>(StringComparer.Ordinal);
        var details = new Dictionary<string, string>(StringComparer.Ordinal); // one detail string per owner, not per account
        foreach (var c in companies)
        {
            var ownerId = columns.Owner[c];
            string? detail;
            if (string.IsNullOrWhiteSpace(ownerId)) detail = "no owner";
            else if (!details.TryGetValue(ownerId, out detail))
            {
                if (!context.UsersById.TryGetValue(ownerId, out var owner)) detail = $"owner {ownerId} is not a user of the CRM";
                else if (!owner.IsActive) detail = $"owner {owner.Name} is deactivated";
                else continue;
                details[ownerId] = detail;
            }
            var team = context.TeamOf(ownerId);
            byTeam[team] = byTeam.GetValueOrDefault(team) + 1;
            output.AddIssue("unowned_accounts", "company", columns.Ids[c], ownerId, team, null, detail);
        }
        output.Add("unowned_accounts", byTeam.Values.Sum());
        foreach (var (team, n) in byTeam.OrderBy(x => x.Key, StringComparer.Ordinal)) output.Add("unowned_accounts", n, Dimensions.Of(("team", team)));
    }
}
