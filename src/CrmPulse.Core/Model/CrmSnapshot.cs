namespace CrmPulse.Core.Model;

/// <summary>Everything the mirror holds for one source, as the KPI engine reads it.</summary>
public sealed record CrmSnapshot(
    string Source,
    IReadOnlyList<CrmUser> Users,
    IReadOnlyList<LoginEvent> Logins,
    IReadOnlyList<Contact> Contacts,
    IReadOnlyList<Company> Companies,
    IReadOnlyList<Deal> Deals,
    IReadOnlyList<Activity> Activities)
{
    public static CrmSnapshot Empty(string source) => new(source, [], [], [], [], [], []);
}
