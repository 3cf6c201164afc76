namespace CrmPulse.Core.Model;

/// <summary>A CRM user (a seat). Licensed users are the active, human ones.</summary>
/// <param name="Id">The CRM's user id; activities and records name it as their owner.</param>
/// <param name="Name">Display name.</param>
/// <param name="Email">Login e-mail, when the CRM gives one.</param>
/// <param name="Team">The user's (primary) team, or null when the CRM has none.</param>
/// <param name="IsActive">False when the user is deactivated (no longer holds a licence).</param>
/// <param name="IsIntegration">True for integration or API users, as the CRM's user type says.
/// They never count toward adoption; configuration (ExcludeUsers) can mark more.</param>
/// <param name="CreatedAt">When the user was created, when known.</param>
/// <param name="IsAdmin">True when the user has administrator rights (HubSpot super admin; Salesforce "Modify All Data"
/// on the profile or the System Administrator profile; a File source's is_admin column); false when the source says
/// not; null when the source cannot tell (the access-review KPIs are then left out, never counted as 0).</param>
/// <param name="Profile">The user's profile or role name as the CRM names it (Salesforce Profile.Name), when given.</param>
public sealed record CrmUser(
    string Id,
    string Name,
    string? Email,
    string? Team,
    bool IsActive,
    bool IsIntegration,
    DateTimeOffset? CreatedAt = null,
    bool? IsAdmin = null,
    string? Profile = null);
