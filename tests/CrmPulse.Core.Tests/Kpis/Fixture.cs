using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Tests.Kpis;

/// <summary>
/// Builds small snapshots in a few lines and runs one KPI family on them. Times are written relative to
/// <see cref="AsOf"/> (<see cref="Ago"/>) so the arithmetic in the tests stays readable.
/// </summary>
internal sealed class Fixture
{
    /// <summary>The default as-of of every test: Tuesday 2026-03-10 12:00 UTC.</summary>
    public static readonly DateTimeOffset AsOf = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private readonly List<CrmUser> _users = [];
    private readonly List<LoginEvent> _logins = [];
    private readonly List<Activity> _activities = [];
    private readonly List<Contact> _contacts = [];
    private readonly List<Company> _companies = [];
    private readonly List<Deal> _deals = [];

    public static DateTimeOffset Ago(TimeSpan span) => AsOf - span;

    public static DateTimeOffset DaysAgo(double days) => AsOf - TimeSpan.FromDays(days);

    public static DateTimeOffset HoursAgo(double hours) => AsOf - TimeSpan.FromHours(hours);

    public Fixture User(string id, string? team = null, string? email = null, bool active = true, bool integration = false,
        DateTimeOffset? createdAt = null)
    {
        _users.Add(new CrmUser(id, "Name of " + id, email, team, active, integration, createdAt));
        return this;
    }

    public Fixture User(CrmUser user) { _users.Add(user); return this; }

    public Fixture Login(string userId, DateTimeOffset at, bool succeeded = true, bool interactive = true)
    {
        _logins.Add(new LoginEvent($"login-{_logins.Count}", userId, at, succeeded, Interactive: interactive));
        return this;
    }

    /// <summary>An activity created at <paramref name="createdAt"/> (OccurredAt too, unless given).</summary>
    public Fixture Activity(string? ownerId, DateTimeOffset createdAt, ActivityType type = ActivityType.Call,
        DateTimeOffset? occurredAt = null)
    {
        _activities.Add(new Activity($"act-{_activities.Count}", type, ownerId, occurredAt ?? createdAt, createdAt, createdAt));
        return this;
    }

    /// <summary>An activity naming <paramref name="contactId"/>, occurred at <paramref name="occurredAt"/> (created then
    /// too, unless given).</summary>
    public Fixture ContactActivity(string? ownerId, string contactId, DateTimeOffset occurredAt, DateTimeOffset? createdAt = null)
    {
        var created = createdAt ?? occurredAt;
        _activities.Add(new Activity($"act-{_activities.Count}", ActivityType.Email, ownerId, occurredAt, created, created, ContactId: contactId));
        return this;
    }

    /// <summary>Adds <paramref name="count"/> activities of one owner, type and creation time.</summary>
    public Fixture Activities(int count, string? ownerId, DateTimeOffset createdAt, ActivityType type = ActivityType.Call)
    {
        for (var i = 0; i < count; i++) Activity(ownerId, createdAt, type);
        return this;
    }

    public Fixture Activity(Activity activity) { _activities.Add(activity); return this; }

    public Fixture Contact(Contact contact) { _contacts.Add(contact); return this; }

    public Fixture Company(Company company) { _companies.Add(company); return this; }

    public Fixture Deal(Deal deal) { _deals.Add(deal); return this; }

    public CrmSnapshot Snapshot() => new("test", _users, _logins, _contacts, _companies, _deals, _activities);

    /// <summary>Runs one family at <paramref name="asOf"/> (default <see cref="AsOf"/>).</summary>
    public KpiResult Run(IKpiFamily family, KpiOptions? options = null, DateTimeOffset? asOf = null)
    {
        var at = asOf ?? AsOf;
        var context = new KpiContext(Snapshot(), at, options ?? new KpiOptions());
        var output = new KpiOutput("test", at);
        family.Compute(context, output);
        return new KpiResult(output.Samples, output.Users, output.Issues);
    }
}
