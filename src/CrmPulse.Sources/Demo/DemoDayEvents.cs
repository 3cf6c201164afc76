using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.Demo;

/// <summary>What one or more simulated days produced: logins, activities, new contacts and new deals.</summary>
internal sealed class DemoDayEvents
{
    public List<LoginEvent> Logins { get; } = [];
    public List<Activity> Activities { get; } = [];
    public List<Contact> Contacts { get; } = [];
    public List<Deal> Deals { get; } = [];

    public void Append(DemoDayEvents other)
    {
        Logins.AddRange(other.Logins);
        Activities.AddRange(other.Activities);
        Contacts.AddRange(other.Contacts);
        Deals.AddRange(other.Deals);
    }

    /// <summary>
    /// Adds the events that became visible in (<paramref name="after"/>, <paramref name="upTo"/>] to the change set.
    /// An event is visible from its last timestamp (ModifiedAt, or the login time): before that the CRM did not
    /// hold it in this form, so a pull must not return it.
    /// </summary>
    public void AddTo(ChangeSet set, DateTimeOffset? after, DateTimeOffset upTo)
    {
        bool In(DateTimeOffset t) => t <= upTo && (after is null || t > after);
        set.Logins.AddRange(Logins.Where(l => In(l.At)));
        set.Activities.AddRange(Activities.Where(a => In(a.ModifiedAt)));
        set.Contacts.AddRange(Contacts.Where(c => In(c.ModifiedAt)));
        set.Deals.AddRange(Deals.Where(d => In(d.ModifiedAt)));
    }
}
