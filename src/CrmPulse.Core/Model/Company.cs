namespace CrmPulse.Core.Model;

/// <summary>
/// An organisation (HubSpot company, Salesforce Account).
/// Standard fields by name: name, domain, industry, owner, parent.
/// </summary>
public sealed record Company : CrmRecord
{
    public string? Name { get; init; }
    public string? Domain { get; init; }
    public string? Industry { get; init; }

    /// <summary>Id of the parent company, when this one is a child.</summary>
    public string? ParentId { get; init; }

    public override string ObjectType => "company";

    protected override string? GetStandardField(string name, out bool found)
    {
        found = true;
        switch (name)
        {
            case "name": return Name;
            case "domain": return Domain;
            case "industry": return Industry;
            case "parent": return ParentId;
            default: found = false; return null;
        }
    }
}
