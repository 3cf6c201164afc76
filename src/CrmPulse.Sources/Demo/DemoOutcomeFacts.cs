namespace CrmPulse.Sources.Demo;

/// <summary>
/// The outcome KPIs of the demo org at the anchor, counted from its records. A deal is won or lost at its ClosedAt
/// (every closed demo deal has one). Windows are trailing, start excluded: (anchor − window, anchor]. Leads are the
/// contacts flagged IsLead (created in the 90 days before the anchor); a lead's response is its first outbound call
/// or e-mail, or meeting, naming it, at or after its creation and up to the anchor.
/// </summary>
public sealed class DemoOutcomeFacts
{
    /// <summary>win_rate: won ÷ closed among deals closed in the 90 days before the anchor.</summary>
    public required double WinRate90d { get; init; }

    /// <summary>sales_cycle_median: median of (ClosedAt − CreatedAt) in days over deals won in 90 days.</summary>
    public required double SalesCycleMedianDays { get; init; }

    /// <summary>new_revenue_30d: amounts (missing = 0) of deals won in 30 days.</summary>
    public required decimal NewRevenue30d { get; init; }

    /// <summary>new_revenue_month per UTC month ("2025-06"): the anchor's month up to the anchor and the month before it.</summary>
    public required IReadOnlyDictionary<string, decimal> NewRevenueByMonth { get; init; }

    /// <summary>average_deal_size: mean amount of the deals won in 90 days that have an amount.</summary>
    public required decimal AverageDealSize { get; init; }

    /// <summary>Leads created in the 30 days before the anchor.</summary>
    public required int Leads30d { get; init; }

    /// <summary>lead_response_time_median over the answered leads of the 30 days.</summary>
    public required double LeadResponseMedianMinutes { get; init; }

    /// <summary>lead_response_within_5m_ratio: answered within 5 minutes ÷ <see cref="Leads30d"/>.</summary>
    public required double LeadResponseWithin5mRatio { get; init; }

    /// <summary>lead_response_within_1h_ratio: answered within 60 minutes ÷ <see cref="Leads30d"/>.</summary>
    public required double LeadResponseWithin1hRatio { get; init; }

    /// <summary>unanswered_leads: leads of the 30 days with no response by the anchor.</summary>
    public required int UnansweredLeads { get; init; }

    /// <summary>lead_conversion_rate: leads created in 90 days with ConvertedAt up to the anchor ÷ leads created in 90 days.</summary>
    public required double LeadConversionRate { get; init; }
}
