namespace CrmPulse.Core.Kpis;

/// <summary>Outcome settings of a source (configuration: CrmPulse:Sources:N:Outcomes). Field names are KPI field names.</summary>
public sealed class OutcomeOptions
{
    /// <summary>Window of the win rate, in days. Default 90.</summary>
    public int WinRateDays { get; set; } = 90;

    /// <summary>A company field holding the date the customer churned; churn KPIs are produced only when set.</summary>
    public string? ChurnField { get; set; }

    /// <summary>A contact field holding an NPS answer (0–10); NPS is produced only when set.</summary>
    public string? NpsField { get; set; }

    /// <summary>A contact field holding a CSAT answer (1–5); CSAT is produced only when set.</summary>
    public string? CsatField { get; set; }

    /// <summary>CRM cost over <see cref="RoiPeriodDays"/> (licences, admin time, …), for the ROI estimate.</summary>
    public decimal? RoiCost { get; set; }

    /// <summary>Gain attributed to the CRM over <see cref="RoiPeriodDays"/>, for the ROI estimate.</summary>
    public decimal? RoiGain { get; set; }

    /// <summary>The period the ROI inputs cover. Default 365.</summary>
    public int RoiPeriodDays { get; set; } = 365;

    /// <summary>The window of RFM frequency and monetary value, in days. Default 365.</summary>
    public int RfmDays { get; set; } = 365;

    /// <summary>A company without activity, deal or open deal in this many months is dead. Default 12.</summary>
    public int DeadAccountMonths { get; set; } = 12;

    /// <summary>A company field holding its territory (region, segment, …); accounts_by_territory is produced only when set.</summary>
    public string? TerritoryField { get; set; }

    public IEnumerable<string> Validate()
    {
        if (RfmDays < 1) yield return $"RfmDays must be at least 1, was {RfmDays}.";
        if (DeadAccountMonths < 1) yield return $"DeadAccountMonths must be at least 1, was {DeadAccountMonths}.";
        if (TerritoryField is { } t && string.IsNullOrWhiteSpace(t)) yield return "TerritoryField must name a company field when given.";
        if (WinRateDays < 1) yield return $"WinRateDays must be at least 1, was {WinRateDays}.";
        if (RoiCost is <= 0) yield return $"RoiCost must be greater than 0, was {RoiCost}.";
        if ((RoiCost is null) != (RoiGain is null)) yield return "RoiCost and RoiGain: give both or neither.";
        if (RoiPeriodDays < 1) yield return $"RoiPeriodDays must be at least 1, was {RoiPeriodDays}.";
    }
}
