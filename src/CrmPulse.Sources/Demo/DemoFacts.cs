namespace CrmPulse.Sources.Demo;

/// <summary>
/// The demo org's planted problems and the exact values the KPIs must give at the anchor. Every number is counted
/// from the generated records (never copied from the generator's plan), so the facts cannot drift from the data.
/// Windows are trailing from the anchor, start excluded: (anchor − window, anchor]. Ratios are exact quotients of
/// the counts (compare with a tolerance of about 1e-9 when a KPI sums in another order). Dictionary keys of objects
/// are "contact", "company", "deal"; of fields, the KPI field names ("email", "close_date", …).
/// </summary>
public sealed class DemoFacts
{
    /// <summary>The anchor (a UTC midnight) the facts hold for.</summary>
    public required DateTimeOffset Anchor { get; init; }

    // ---- Users and adoption -------------------------------------------------------------------------------------

    /// <summary>Adoption of the whole org.</summary>
    public required DemoAdoptionFacts Adoption { get; init; }

    /// <summary>Adoption per team name.</summary>
    public required IReadOnlyDictionary<string, DemoAdoptionFacts> AdoptionByTeam { get; init; }

    /// <summary>excluded_users: the integration users (no user is excluded by configuration in the demo).</summary>
    public required int ExcludedUsers { get; init; }

    /// <summary>The integration users ("HubSpot Sync", "Zapier"): they log in every day and never count as adoption.</summary>
    public required IReadOnlyList<string> IntegrationUserIds { get; init; }

    /// <summary>Deactivated users (not licensed); they still own some records.</summary>
    public required IReadOnlyList<string> DeactivatedUserIds { get; init; }

    /// <summary>Licensed users with no successful login up to the anchor (one of them has a failed attempt).</summary>
    public required IReadOnlyList<string> NeverLoggedInUserIds { get; init; }

    /// <summary>Licensed users who logged in before but not in the 30 days before the anchor.</summary>
    public required IReadOnlyList<string> InactiveUserIds { get; init; }

    /// <summary>The team whose logins and activities drop from <see cref="DipStart"/> on, and stay low after the anchor.</summary>
    public required string DipTeam { get; init; }

    /// <summary>Start of the adoption dip: 21 days before the anchor.</summary>
    public required DateTimeOffset DipStart { get; init; }

    /// <summary>
    /// weekly_active_ratio per team, week by week: index 0 is the week ending at the anchor, index k the week ending
    /// k weeks earlier, for every week that lies wholly in the history window; always over today's licensed members.
    /// </summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<double>> WeeklyActiveRatioByWeek { get; init; }

    // ---- Activity -------------------------------------------------------------------------------------------------

    /// <summary>Activities in the history window (equal to the Activities option).</summary>
    public required int HistoryActivities { get; init; }

    /// <summary>activities_logged_7d per type ("call", "email", "meeting", "task", "note"), all owners; by CreatedAt.</summary>
    public required IReadOnlyDictionary<string, int> ActivitiesLogged7dByType { get; init; }

    /// <summary>activities_logged_7d per owner's team ("unassigned" for activities nobody owns).</summary>
    public required IReadOnlyDictionary<string, int> ActivitiesLogged7dByTeam { get; init; }

    /// <summary>contacts_created_7d, whole org.</summary>
    public required int ContactsCreated7d { get; init; }

    /// <summary>deals_created_7d, whole org.</summary>
    public required int DealsCreated7d { get; init; }

    /// <summary>deals_won_7d, whole org (by ClosedAt).</summary>
    public required int DealsWon7d { get; init; }

    // ---- Data quality ---------------------------------------------------------------------------------------------

    /// <summary>Records per object (the "records" KPI).</summary>
    public required IReadOnlyDictionary<string, int> Records { get; init; }

    /// <summary>field_fill_rate per object and field, for the default required fields (KpiOptions.DefaultRequiredFields).</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> FieldFillRates { get; init; }

    /// <summary>completeness_score per object, over the default required fields.</summary>
    public required IReadOnlyDictionary<string, double> CompletenessScores { get; init; }

    /// <summary>complete_records_ratio per object, over the default required fields.</summary>
    public required IReadOnlyDictionary<string, double> CompleteRecordsRatios { get; init; }

    /// <summary>Fill rate of the contacts' custom fields: "customer_tier" (well used) and "legacy_region" (below 1 %: unused).</summary>
    public required IReadOnlyDictionary<string, double> CustomFieldFillRates { get; init; }

    /// <summary>Contacts whose e-mail is null, empty or only white space.</summary>
    public required int ContactsMissingEmail { get; init; }

    /// <summary>
    /// Contacts whose e-mail is filled but not an address. Valid means, after trimming: one '@', a local part, no
    /// white space, a dotted domain whose last label has two or more letters ("x@y", "jane.doe@" are invalid).
    /// </summary>
    public required int ContactsInvalidEmail { get; init; }

    /// <summary>Contacts whose phone is null, empty or only white space.</summary>
    public required int ContactsMissingPhone { get; init; }

    /// <summary>Contacts whose phone is filled but not a valid number (libphonenumber, default region "US").</summary>
    public required int ContactsInvalidPhone { get; init; }

    /// <summary>Contacts with neither a valid e-mail nor a valid phone.</summary>
    public required int UnreachableContacts { get; init; }

    /// <summary>
    /// Planted duplicate people: each cluster lists the original's id first, then its copies. The copies differ by a
    /// typo in a name, swapped first and last names, e-mail case and white space, or phone formatting; each copy
    /// keeps the original's company and either its e-mail (up to case and white space) or its phone digits.
    /// </summary>
    public required IReadOnlyList<IReadOnlyList<string>> DuplicateContactClusters { get; init; }

    /// <summary>Planted duplicate companies: the original's id, then the copy (same domain, another spelling of the name).</summary>
    public required IReadOnlyList<IReadOnlyList<string>> DuplicateCompanyClusters { get; init; }

    /// <summary>Contacts with no company.</summary>
    public required int ContactsWithoutCompany { get; init; }

    /// <summary>Deals with neither a contact nor a company.</summary>
    public required int OrphanDeals { get; init; }

    /// <summary>Companies whose parent id names no company in the data.</summary>
    public required IReadOnlyList<string> CompaniesWithMissingParent { get; init; }

    /// <summary>Contacts last modified more than 365 days before the anchor.</summary>
    public required int StaleContacts { get; init; }

    /// <summary>Companies last modified more than 365 days before the anchor.</summary>
    public required int StaleCompanies { get; init; }

    /// <summary>Contacts that no activity names (as its contact) with OccurredAt in the 180 days before the anchor.</summary>
    public required int ContactsWithoutActivity180d { get; init; }

    /// <summary>Records with no owner, per object.</summary>
    public required IReadOnlyDictionary<string, int> UnownedRecords { get; init; }

    /// <summary>Records owned by a deactivated user, per object.</summary>
    public required IReadOnlyDictionary<string, int> RecordsOwnedByDeactivatedUsers { get; init; }

    /// <summary>
    /// Values of one picklist spelled differently, per "object.field" ("company.industry", "contact.lifecycle_stage"):
    /// groups of distinct spellings that are equal once lower-cased with white space, '_' and '-' removed
    /// ("Software", "software", "SOFTWARE "). Only groups with two or more spellings; each group sorted ordinally.
    /// </summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyList<string>>> PicklistVariants { get; init; }

    // ---- Pipeline hygiene -----------------------------------------------------------------------------------------

    /// <summary>Tasks not completed whose due date is before the anchor.</summary>
    public required int OverdueOpenTasks { get; init; }

    /// <summary>Tasks with no due date (all of them open).</summary>
    public required int TasksWithoutDueDate { get; init; }

    /// <summary>Tasks with no owner (all of them open).</summary>
    public required int TasksWithoutOwner { get; init; }

    /// <summary>Deals not closed (open pipeline count).</summary>
    public required int OpenDeals { get; init; }

    /// <summary>Sum of the amounts of the open deals (missing amounts count as 0).</summary>
    public required decimal OpenPipelineValue { get; init; }

    /// <summary>
    /// Open deals, not snoozed, whose last touch is 30 days or more before the anchor: the touch is the deal's
    /// creation or the latest activity naming the deal (OccurredAt up to the anchor, by a user who is not an
    /// integration user), whichever is later.
    /// </summary>
    public required int StalledDeals { get; init; }

    /// <summary>
    /// Open deals snoozed at the anchor through <see cref="DemoSource.SnoozeField"/>: "true", a date on or after the
    /// anchor's date, or a date-time after the anchor. A fourth planted snooze expired before the anchor.
    /// </summary>
    public required IReadOnlyList<string> SnoozedDealIds { get; init; }

    /// <summary>
    /// stage_age_median per pipeline, then stage: the median of (anchor − StageEnteredAt) in days over the open
    /// deals of that stage with a StageEnteredAt (about 5 % of open deals have none and are left out).
    /// </summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> StageAgeMedianDays { get; init; }

    /// <summary>Open deals (with a StageEnteredAt) whose age in stage exceeds 2 × their pipeline and stage's median.</summary>
    public required int DealsAgingInStage { get; init; }

    // ---- Outcomes -------------------------------------------------------------------------------------------------

    /// <summary>Win rate, revenue, deal size and lead response at the anchor (churn, NPS, CSAT and ROI are not planted).</summary>
    public required DemoOutcomeFacts Outcomes { get; init; }

    /// <summary>Open deals whose close date is before the anchor's date.</summary>
    public required int OpenDealsPastCloseDate { get; init; }

    /// <summary>Deals lost (ClosedAt) in the 90 days before the anchor with no lost reason.</summary>
    public required int LostWithoutReason90d { get; init; }
}
