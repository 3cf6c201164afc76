using System.Globalization;

namespace CrmPulse.Core.Model;

/// <summary>
/// A deal / opportunity.
/// Standard fields by name: name, pipeline, stage, amount, close_date, owner, company, contact, lost_reason.
/// </summary>
public sealed record Deal : CrmRecord
{
    public string? Name { get; init; }
    public string? Pipeline { get; init; }
    public string? Stage { get; init; }
    public decimal? Amount { get; init; }

    /// <summary>Expected (open deals) or actual (closed deals) close date.</summary>
    public DateOnly? CloseDate { get; init; }

    public string? CompanyId { get; init; }

    /// <summary>Primary associated contact.</summary>
    public string? ContactId { get; init; }

    public bool IsClosed { get; init; }
    public bool IsWon { get; init; }

    /// <summary>When the deal was closed (won or lost), when known; otherwise the close date is used.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    public string? LostReason { get; init; }

    /// <summary>When the deal entered its current stage, when the CRM says (HubSpot hs_date_entered_&lt;stage&gt;,
    /// Salesforce OpportunityHistory / LastStageChangeDate). Null when unknown: the deal then has no stage age.</summary>
    public DateTimeOffset? StageEnteredAt { get; init; }

    public override string ObjectType => "deal";

    protected override string? GetStandardField(string name, out bool found)
    {
        found = true;
        switch (name)
        {
            case "name": return Name;
            case "pipeline": return Pipeline;
            case "stage": return Stage;
            case "amount": return Amount?.ToString(CultureInfo.InvariantCulture);
            case "close_date": return CloseDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            case "company": return CompanyId;
            case "contact": return ContactId;
            case "lost_reason": return LostReason;
            default: found = false; return null;
        }
    }
}
