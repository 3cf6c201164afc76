namespace CrmPulse.Core.Kpis;

/// <summary>Pipeline-hygiene settings of a source (configuration: CrmPulse:Sources:N:Pipeline).</summary>
public sealed class PipelineOptions
{
    /// <summary>An open deal with no activity naming it for this many days is stalled. Default 30.</summary>
    public int StalledAfterDays { get; set; } = 30;

    /// <summary>Deals lost within this many days count in lost_without_reason. Default 90.</summary>
    public int LostWithoutReasonDays { get; set; } = 90;

    /// <summary>
    /// A deal field that snoozes a deal (e.g. "paused_until"): while it holds a date or date-time after as-of, or a
    /// true value ("true", "yes", "1"), the deal is not counted as stalled. Null: no snoozing.
    /// </summary>
    public string? SnoozeField { get; set; }

    /// <summary>
    /// The CRM's deal field that holds why a deal was lost, which the source pulls into the deal's lost reason (read by
    /// lost_without_reason). Salesforce has no standard one: name the org's custom field, e.g. "Loss_Reason__c"; without
    /// it every lost Salesforce deal counts as lost without reason. HubSpot: default "closed_lost_reason", or a custom
    /// property. File sources map the lost_reason column instead (Files:deals:Columns); the Demo has its own. Default null.
    /// </summary>
    public string? LostReasonField { get; set; }

    /// <summary>Count business days (Monday to Friday, minus <see cref="Holidays"/>) instead of calendar days for
    /// stalled deals and ages. Default false.</summary>
    public bool BusinessDays { get; set; }

    /// <summary>Holidays (dates) that are not business days.</summary>
    public List<DateOnly> Holidays { get; set; } = [];

    /// <summary>An open deal whose age in its stage exceeds this multiple of the stage's median age is aging. Default 2.</summary>
    public double StageAgeFactor { get; set; } = 2;

    public IEnumerable<string> Validate()
    {
        if (StalledAfterDays < 1) yield return $"StalledAfterDays must be at least 1, was {StalledAfterDays}.";
        if (LostWithoutReasonDays < 1) yield return $"LostWithoutReasonDays must be at least 1, was {LostWithoutReasonDays}.";
        if (SnoozeField is not null && string.IsNullOrWhiteSpace(SnoozeField)) yield return "SnoozeField must not be empty (leave it out to turn snoozing off).";
        if (LostReasonField is not null && string.IsNullOrWhiteSpace(LostReasonField)) yield return "LostReasonField must not be empty (leave it out for the source's default).";
        if (StageAgeFactor <= 1) yield return $"StageAgeFactor must be greater than 1, was {StageAgeFactor}.";
    }
}
