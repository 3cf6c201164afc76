namespace CrmPulse.Core.Kpis;

/// <summary>
/// One offending record behind a data-quality or pipeline-hygiene KPI (the drill-down): "this contact has no valid
/// e-mail and no valid phone", "this deal is stalled". The KPI's count is exactly the number of its issues (per
/// dimensions), so the list and the number never disagree.
/// </summary>
/// <param name="Kpi">The catalog id of the KPI that counts this record (e.g. "unreachable_contacts", "stalled_deals");
/// it is the issue kind in the API, and its family says whether it is a data-quality or a pipeline issue.</param>
/// <param name="Object">"contact", "company", "deal" or "task".</param>
/// <param name="RecordId">The CRM's id of the record.</param>
/// <param name="OwnerId">The record's owner, if any.</param>
/// <param name="Team">The owner's team (<see cref="KpiOptions.NoTeam"/> when none).</param>
/// <param name="Field">The field concerned, for field-level kinds (a missing required field, an odd picklist spelling).</param>
/// <param name="Detail">A short human explanation with the offending value or dates ("e-mail 'jane@' is not an address").</param>
public sealed record RecordIssue(
    string Kpi,
    string Object,
    string RecordId,
    string? OwnerId,
    string Team,
    string? Field = null,
    string? Detail = null);
