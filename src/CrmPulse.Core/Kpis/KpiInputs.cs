using CrmPulse.Core.Model;

namespace CrmPulse.Core.Kpis;

/// <summary>
/// Which kinds of records each KPI rests on, so that a pass over a mirror where a kind was never read (its file is
/// broken or missing, the CRM refused it) leaves that KPI out instead of computing it from nothing: 0 contacts is a
/// fact only when contacts were read.
/// </summary>
/// <remarks>
/// A sample is kept when every group of its KPI's <see cref="Needs"/> has a kind that was read, when the kind of its
/// <c>object</c> dimension (contact, company, deal, task) was read, and, for a per-team sample, when users were read
/// (teams come from users; the roll-up without team is kept). Issues follow their KPI and object; per-user rows need
/// users and logins or activities.
/// </remarks>
public static class KpiInputs
{
    private static readonly ObjectKind[][] Nothing = [];
    private static readonly ObjectKind[] Users = [ObjectKind.User];
    private static readonly ObjectKind[] Logins = [ObjectKind.Login];
    private static readonly ObjectKind[] Contacts = [ObjectKind.Contact];
    private static readonly ObjectKind[] Companies = [ObjectKind.Company];
    private static readonly ObjectKind[] Deals = [ObjectKind.Deal];
    private static readonly ObjectKind[] Activities = [ObjectKind.Activity];
    // Adoption rests on logins, or on logged activity where the source has no logins (the sample's basis says which).
    private static readonly ObjectKind[] LoginsOrActivities = [ObjectKind.Login, ObjectKind.Activity];
    private static readonly ObjectKind[][] ActiveUsers = [Users, LoginsOrActivities];
    private static readonly ObjectKind[][] Records = [Contacts, Companies, Deals];

    /// <summary>
    /// Per KPI id, the groups of kinds it rests on beyond its object dimension: one kind of each group must have been
    /// read. Every catalog KPI is listed (a test checks it), so a new KPI has to say what it reads.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, ObjectKind[][]> Needs = new Dictionary<string, ObjectKind[][]>(StringComparer.Ordinal)
    {
        ["licensed_users"] = [Users], ["excluded_users"] = [Users],
        ["daily_active_users"] = ActiveUsers, ["weekly_active_users"] = ActiveUsers, ["monthly_active_users"] = ActiveUsers,
        ["weekly_active_ratio"] = ActiveUsers, ["monthly_active_ratio"] = ActiveUsers, ["stickiness_ratio"] = ActiveUsers,
        ["users_never_logged_in"] = ActiveUsers, ["users_inactive_30d"] = ActiveUsers,
        ["active_contributor_ratio"] = [Users, Activities],
        ["api_logins_30d"] = [Logins], ["api_login_users_30d"] = [Logins],

        ["activities_logged_7d"] = [Activities], ["activities_per_active_user"] = [Users, Activities],
        ["deals_created_7d"] = [Deals], ["deals_won_7d"] = [Deals], ["contacts_created_7d"] = [Contacts],

        ["field_fill_rate"] = Nothing, ["completeness_score"] = Nothing, ["complete_records_ratio"] = Nothing,
        ["records"] = Nothing, ["missing_required_field"] = Nothing,
        ["unused_custom_fields"] = Nothing, ["segmentation_coverage"] = Nothing, ["unsegmented_records"] = Nothing,
        ["invalid_emails"] = [Contacts], ["invalid_email_ratio"] = [Contacts], ["invalid_phones"] = [Contacts],
        ["invalid_phone_ratio"] = [Contacts], ["unreachable_contacts"] = [Contacts],
        ["stale_records"] = Nothing, ["orphan_records"] = Nothing, ["unowned_records"] = Nothing,
        ["contacts_without_activity"] = [Contacts, Activities], ["records_owned_by_deactivated_users"] = [Users],
        ["inconsistent_picklist_values"] = Nothing,
        // The score weighs every contact, company and deal, and owners' deactivation: a score without one of them is
        // not the org's score.
        ["data_quality_score"] = [Users, Contacts, Companies, Deals],
        ["data_quality_component"] = [Users, Contacts, Companies, Deals], // the score's parts rest on what it rests on
        ["duplicate_clusters"] = Nothing, ["removable_duplicates"] = Nothing, ["removable_duplicate_ratio"] = Nothing,

        ["overdue_tasks"] = [Activities], ["tasks_without_due_date"] = [Activities], ["tasks_without_owner"] = [Activities],
        ["deals_past_close_date"] = [Deals], ["stalled_deals"] = [Deals, Activities], ["snoozed_deals"] = [Deals],
        ["lost_without_reason"] = [Deals], ["open_pipeline_value"] = [Deals], ["open_deals"] = [Deals],
        ["stage_age_median"] = [Deals], ["deals_aging_in_stage"] = [Deals],

        ["win_rate"] = [Deals], ["sales_cycle_median"] = [Deals], ["new_revenue_30d"] = [Deals],
        ["new_revenue_month"] = [Deals], ["average_deal_size"] = [Deals],
        ["lead_response_time_median"] = [Contacts, Activities], ["lead_response_within_5m_ratio"] = [Contacts, Activities],
        ["lead_response_within_1h_ratio"] = [Contacts, Activities], ["unanswered_leads"] = [Contacts, Activities],
        ["lead_conversion_rate"] = [Contacts], ["churn_rate"] = [Companies, Deals], ["nps"] = [Contacts], ["csat"] = [Contacts],
        ["crm_roi"] = Nothing,
        // Account prioritisation: a company's touches are its deals and activities; owners come from users.
        ["rfm_accounts"] = [Companies, Deals, Activities], ["dead_accounts"] = [Companies, Deals, Activities],
        ["unowned_accounts"] = [Companies, Users], ["accounts_by_territory"] = [Companies],
        // Licence waste and access review: seats and rights come from users, use from logins or activities; open
        // records are deals and tasks. The funnel reads contacts, and deals naming them.
        ["licence_unused_seats"] = ActiveUsers, ["licence_cost_unused"] = ActiveUsers,
        ["admin_users"] = [Users], ["admin_users_inactive"] = ActiveUsers,
        ["deactivated_users_owning_open_records"] = [Users, Deals, Activities], ["users_not_on_roster"] = [Users],
        ["funnel_stage_records"] = [Contacts, Deals], ["funnel_conversion_ratio"] = [Contacts, Deals],

        // Probes and the CRM API's own figures come from the host, not from the mirror.
        ["probe_up"] = Nothing, ["probe_success_ratio"] = Nothing, ["probe_latency_p50"] = Nothing,
        ["probe_latency_p95"] = Nothing, ["probe_latency_p99"] = Nothing,
        ["crm_api_latency_p50"] = Nothing, ["crm_api_latency_p95"] = Nothing, ["crm_api_error_ratio"] = Nothing,
        ["crm_api_headroom_ratio"] = Nothing,
        ["integration_freshness"] = Records, ["integration_late"] = Records, ["integration_records_today"] = Records,
        ["integration_volume_ratio"] = Records, ["integration_duplicates"] = [Contacts, Companies],

        // A pair's pass reconciles only the objects both of its sources have read (the host leaves the others out).
        ["reconciliation_missing_records"] = Nothing, ["reconciliation_extra_records"] = Nothing,
        ["reconciliation_matched_records"] = Nothing, ["reconciliation_lost_associations"] = Nothing,
        ["reconciliation_emptied_properties"] = Nothing, ["reconciliation_delta_records"] = Nothing,
        ["sync_field_mismatches"] = Nothing, ["sync_pending_changes"] = Nothing, ["sync_pending_age_max"] = Nothing,
        ["sync_lag_median"] = Nothing, ["sync_duplicates"] = Nothing,
    };

    /// <summary>The result without what rests on a kind outside <paramref name="read"/>; <paramref name="leftOut"/>
    /// lists the KPI ids that lost at least one sample, in catalog order.</summary>
    public static KpiResult Keep(KpiResult result, IReadOnlySet<ObjectKind> read, out IReadOnlyList<string> leftOut)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(read);
        if (Enum.GetValues<ObjectKind>().All(read.Contains))
        {
            leftOut = [];
            return result;
        }
        var dropped = new HashSet<string>(StringComparer.Ordinal);
        var samples = new List<KpiSample>(result.Samples.Count);
        foreach (var sample in result.Samples)
        {
            if (Rests(sample.Kpi, sample.Dimensions["object"], read) && (sample.Dimensions["team"] is null || read.Contains(ObjectKind.User)))
                samples.Add(sample);
            else
                dropped.Add(sample.Kpi);
        }
        var issues = IssueBuffer.From(result.Issues).Where((kpi, objectType) => Rests(kpi, objectType, read));
        var users = read.Contains(ObjectKind.User) && (read.Contains(ObjectKind.Login) || read.Contains(ObjectKind.Activity)) ? result.Users : [];
        leftOut = KpiCatalog.All.Select(d => d.Id).Where(dropped.Contains).ToList();
        return new KpiResult(samples, users, issues);
    }

    private static bool Rests(string kpi, string? objectType, IReadOnlySet<ObjectKind> read)
    {
        if (objectType is not null && KindOf(objectType) is { } kind && !read.Contains(kind)) return false;
        // A KPI the table does not know (e.g. a host-produced one) rests on nothing the mirror reads.
        return !Needs.TryGetValue(kpi, out var groups) || groups.All(g => g.Any(read.Contains));
    }

    private static ObjectKind? KindOf(string objectType) => objectType switch
    {
        "contact" => ObjectKind.Contact,
        "company" => ObjectKind.Company,
        "deal" => ObjectKind.Deal,
        "task" or "activity" => ObjectKind.Activity,
        "user" => ObjectKind.User,
        _ => null,
    };
}
