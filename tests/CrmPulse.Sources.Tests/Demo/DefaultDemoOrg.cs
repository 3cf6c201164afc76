using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using CrmPulse.Sources.Demo;

namespace CrmPulse.Sources.Tests.Demo;

/// <summary>
/// The default demo org (all options at their defaults), pulled once at <see cref="Now"/> = anchor + 14:00 and shared
/// by the tests of the "default demo org" collection, so the 20000-contact org is generated only once.
/// </summary>
public sealed class DefaultDemoOrg
{
    /// <summary>A Monday: the day before the anchor is a Sunday.</summary>
    public static readonly DateTimeOffset Anchor = new(2025, 6, 2, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Now = Anchor.AddHours(14);

    public DefaultDemoOrg()
    {
        Source = new DemoSource("demo", new DemoSourceOptions { Anchor = Anchor }, new FakeClock(Now));
        // The demo's pull completes synchronously; waiting on it here cannot deadlock.
        Pull = Source.PullAsync(new Dictionary<string, string>(), CancellationToken.None).GetAwaiter().GetResult();
        Facts = Source.Facts;
        // What existed at the anchor: the facts describe exactly this.
        Contacts = Pull.Contacts.Where(c => c.CreatedAt <= Anchor).ToList();
        Deals = Pull.Deals.Where(d => d.CreatedAt <= Anchor).ToList();
        Logins = Pull.Logins.Where(l => l.At <= Anchor).ToList();
        Activities = Pull.Activities.Where(a => a.CreatedAt <= Anchor).ToList();
    }

    public DemoSource Source { get; }

    public ChangeSet Pull { get; }

    public DemoFacts Facts { get; }

    public List<Contact> Contacts { get; }

    public List<Deal> Deals { get; }

    public List<LoginEvent> Logins { get; }

    public List<Activity> Activities { get; }

    public List<Company> Companies => Pull.Companies;

    public List<CrmUser> Users => Pull.Users;

    public IEnumerable<CrmUser> Licensed => Users.Where(u => u.IsActive && !u.IsIntegration);

    /// <summary>The day number (relative to the anchor) of a time.</summary>
    public static int DayOf(DateTimeOffset t) => (int)Math.Floor((t - Anchor).TotalDays);
}
