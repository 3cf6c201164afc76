using System.Globalization;

namespace CrmPulse.Core.Model;

/// <summary>
/// A person in the CRM (HubSpot contact, Salesforce Contact or Lead).
/// Standard fields by name: first_name, last_name, email, phone, company, owner, lifecycle_stage, lead_status.
/// </summary>
public sealed record Contact : CrmRecord
{
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }

    /// <summary>Id of the associated (primary) company.</summary>
    public string? CompanyId { get; init; }

    public string? LifecycleStage { get; init; }
    public string? LeadStatus { get; init; }

    /// <summary>
    /// True for a lead: a Salesforce Lead record, or a HubSpot contact that entered the "lead" lifecycle stage (its
    /// CreatedAt is then when the lead came in). Lead response time and lead conversion look at leads only.
    /// </summary>
    public bool IsLead { get; init; }

    /// <summary>When the lead was converted (Salesforce ConvertedDate; HubSpot: became an opportunity or customer), if it was.</summary>
    public DateTimeOffset? ConvertedAt { get; init; }

    /// <summary>
    /// What libphonenumber said of <see cref="Phone"/>, judged once when the record entered the mirror
    /// (<see cref="Kpis.DataQualityChecks.Judge"/>) so that a KPI pass does not parse a million numbers again; null
    /// when not judged. A pass uses it only for the same phone text and the same region, else it judges the phone itself.
    /// </summary>
    public PhoneVerdict? PhoneVerdict { get; init; }

    /// <summary>Where the person came from (HubSpot hs_analytics_source, Salesforce LeadSource, a File column), when known.</summary>
    public string? LeadSource { get; init; }

    /// <summary>
    /// When the person entered each funnel stage ("mql", "sql", "opportunity", "won"), where the source keeps the
    /// lifecycle history (HubSpot hs_lifecyclestage_&lt;stage&gt;_date; Salesforce: the lead's creation and conversion).
    /// Null when the source gives none: the funnel then reads the current lifecycle stage.
    /// </summary>
    public IReadOnlyDictionary<string, DateTimeOffset>? StageDates { get; init; }

    public override string ObjectType => "contact";

    protected override string? GetStandardField(string name, out bool found)
    {
        found = true;
        switch (name)
        {
            case "first_name": return FirstName;
            case "last_name": return LastName;
            case "email": return Email;
            case "phone": return Phone;
            case "company": return CompanyId;
            case "lifecycle_stage": return LifecycleStage;
            case "lead_status": return LeadStatus;
            case "lead_source": return LeadSource;
            case "created_at": return CreatedAt.ToString("O", CultureInfo.InvariantCulture);
            default: found = false; return null;
        }
    }
}
