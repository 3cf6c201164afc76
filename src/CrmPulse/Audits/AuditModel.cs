namespace CrmPulse.Audits;

/// <summary>
/// An audit of a period (UTC days <see cref="From"/> to <see cref="To"/>, both included: from <see cref="Start"/> 00:00 to
/// <see cref="End"/>, the midnight after <see cref="To"/>), built only from what the ledger holds. Every number says what
/// it rests on; what the store does not measure is said, never shown as a zero.
/// </summary>
public sealed record AuditModel(
    DateOnly From,
    DateOnly To,
    DateTimeOffset Start,
    DateTimeOffset End,
    string? Source,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<AuditModel.SourceAudit> Sources,
    IReadOnlyList<AuditModel.FlagStats> Probes,
    AuditModel.SinceLast? SinceLastAudit)
{
    /// <summary>The audit of one source.</summary>
    public sealed record SourceAudit(
        string Source,
        UsageSection Usage,
        IReadOnlyList<FlagStats> IntegrationLateness,
        RoiSection Roi,
        IReadOnlyList<Reading> CarriedOver,
        IReadOnlyList<Reading> Security,
        DataQualitySection DataQuality,
        IReadOnlyList<Reading> Accounts,
        IReadOnlyList<Headline> Headlines);

    /// <summary>Usage: who logged in over the period, and the period's logins, deals and activities from the mirror.</summary>
    /// <param name="UsersAsOf">The as-of of the KPI pass whose per-user rows give the login share (the last at or before
    /// <see cref="End"/>); null when the source has none in the period.</param>
    /// <param name="Basis">That pass's adoption basis: "login", or "activity" when the source gives no login events (then
    /// "logged in" means logged an activity); null when the pass stored none.</param>
    /// <param name="LicensedUsers">Licensed (not excluded) users in that pass.</param>
    /// <param name="UsersLoggedIn">Of them, those whose last login is at or after <see cref="Start"/>.</param>
    /// <param name="LoggedInShare">UsersLoggedIn ÷ LicensedUsers (null without users).</param>
    /// <param name="Records">The period's totals counted from the mirror's records; null when the source has never synced.</param>
    public sealed record UsageSection(
        DateTimeOffset? UsersAsOf,
        string? Basis,
        int? LicensedUsers,
        int? UsersLoggedIn,
        double? LoggedInShare,
        MirrorTotals? Records,
        IReadOnlyList<Reading> Adoption);

    /// <summary>What the mirror's records hold for the period's days (Start ≤ instant &lt; End).</summary>
    /// <param name="MirrorAsOf">When the source's last successful sync ended (the mirror is as of then; null if none in full).</param>
    /// <param name="Logins">Successful interactive logins of the source's human users (integration and excluded users left
    /// out, as in the adoption KPIs; users deactivated since included); null when the source gives no login events.</param>
    /// <param name="Teams">"all" first, then each owner's team (as the activity KPIs have it) with something in the period.</param>
    public sealed record MirrorTotals(DateTimeOffset? MirrorAsOf, int? Logins, IReadOnlyList<TeamRecords> Teams);

    /// <summary>One team's deals and activities in the period.</summary>
    /// <param name="Team">The owner's team, "unassigned" for unowned records or owners without team, "all" for the roll-up.</param>
    /// <param name="DealsWon">Won deals won in the period (ClosedAt, else their close date at 00:00 UTC, as deals_won_7d).</param>
    /// <param name="WonAmount">Sum of their amounts (deals without amount add nothing; <paramref name="WonWithoutAmount"/> says how many).</param>
    /// <param name="DealsCreated">Deals created in the period.</param>
    /// <param name="Activities">Activities created in the period, every type.</param>
    /// <param name="ActivitiesByType">The same per type: call, email, meeting, task, note (every type present, 0 included).</param>
    public sealed record TeamRecords(string Team, int DealsWon, double WonAmount, int WonWithoutAmount, int DealsCreated, int Activities,
        IReadOnlyDictionary<string, int> ActivitiesByType);

    /// <summary>A flag series (1 good / 0 bad, or for lateness 1 late) over the period.</summary>
    /// <param name="Samples">Samples in the period.</param>
    /// <param name="Good">Samples in the good state (probe up, integration not late).</param>
    /// <param name="GoodRatio">Good ÷ Samples (null without samples).</param>
    /// <param name="Incidents">Runs of consecutive bad samples in the period.</param>
    public sealed record FlagStats(string Integration, string Kpi, int Samples, int Good, double? GoodRatio, int Incidents);

    /// <summary>ROI: the configured estimate and the won revenue of the calendar months in the period.</summary>
    public sealed record RoiSection(Reading Roi, Reading WinRate, IReadOnlyList<MonthRevenue> RevenueByMonth, double? RevenueTotal);

    /// <summary>Won revenue of one calendar month: the last new_revenue_month sample of that month at or before End.</summary>
    public sealed record MonthRevenue(string Month, double? Revenue, DateTimeOffset? At);

    /// <summary>Data quality at the start and the end of the period.</summary>
    public sealed record DataQualitySection(
        Reading Score,
        IReadOnlyList<Reading> Components,
        IReadOnlyList<Reading> Duplicates,
        IReadOnlyList<Reading> Missing,
        IReadOnlyList<Reading> Freshness,
        IReadOnlyList<Reading> UnusedFields);

    /// <summary>
    /// One series at the period's start (its last sample at or before Start, else its first in the period) and end (its
    /// last sample in the period). <see cref="NotMeasured"/> says why there is no value.
    /// </summary>
    public sealed record Reading(
        string Kpi,
        string Unit,
        IReadOnlyDictionary<string, string> Dimensions,
        double? Start,
        DateTimeOffset? StartAt,
        double? End,
        DateTimeOffset? EndAt,
        string? NotMeasured)
    {
        /// <summary>End − Start, when both are known.</summary>
        public double? Change => Start is { } s && End is { } e ? e - s : null;
    }

    /// <summary>A number the next audit compares with ("since the last audit").</summary>
    public sealed record Headline(string Key, string Label, string Unit, double? Value);

    /// <summary>What changed since the previous stored audit of the same source.</summary>
    public sealed record SinceLast(long PreviousId, DateOnly PreviousFrom, DateOnly PreviousTo, DateTimeOffset PreviousCreatedAt,
        IReadOnlyList<HeadlineChange> Changes);

    /// <summary>One headline then and now.</summary>
    public sealed record HeadlineChange(string Key, string Label, string Unit, double? Previous, double? Current)
    {
        public double? Change => Previous is { } p && Current is { } c ? c - p : null;
    }
}
