using System.Collections.Concurrent;
using CrmPulse.Core.Dedupe;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Kpis;

/// <summary>The input of one KPI pass: a mirror snapshot, the as-of time and the options, with lookups built once.</summary>
public sealed class KpiContext
{
    /// <param name="dedupe">Deduplicate incrementally from the states kept by the previous pass (and leave the new ones
    /// there); null: a full match. The clusters are the same either way.</param>
    public KpiContext(CrmSnapshot snapshot, DateTimeOffset asOf, KpiOptions options, DedupeSession? dedupe = null)
    {
        Snapshot = snapshot;
        AsOf = asOf;
        Options = options;
        var byId = new Dictionary<string, CrmUser>(StringComparer.Ordinal);
        foreach (var u in snapshot.Users) byId[u.Id] = u;
        UsersById = byId;
        var excluded = new HashSet<string>(options.ExcludeUsers, StringComparer.OrdinalIgnoreCase);
        // A user created after asOf held no licence then: a past asOf (backfill) must not count today's new hires.
        // A user without a creation time is taken as always there.
        Licensed = snapshot.Users
            .Where(u => u.IsActive && !u.IsIntegration && !excluded.Contains(u.Id) && !(u.Email is { } e && excluded.Contains(e))
                        && (u.CreatedAt is null || u.CreatedAt <= asOf))
            .ToList();
        LicensedIds = new HashSet<string>(Licensed.Select(u => u.Id), StringComparer.Ordinal);
        Excluded = snapshot.Users.Where(u => u.IsIntegration || excluded.Contains(u.Id) || (u.Email is { } e && excluded.Contains(e))).ToList();
        _dedupe = dedupe;
        _contactClusters = new Lazy<IReadOnlyList<DuplicateCluster>>(() => dedupe is null
            ? Deduplicator.FindContactClusters(snapshot.Contacts, NoCompanyNames, options.Dedupe)
            : (dedupe.Contacts = IncrementalDeduplicator.Contacts(snapshot.Contacts, options.Dedupe, dedupe.PreviousContacts, dedupe.Full, dedupe.ReuseModel)).Clusters);
        _companyClusters = new Lazy<IReadOnlyList<DuplicateCluster>>(() => dedupe is null
            ? Deduplicator.FindCompanyClusters(snapshot.Companies, options.Dedupe)
            : (dedupe.Companies = IncrementalDeduplicator.Companies(snapshot.Companies, options.Dedupe, dedupe.PreviousCompanies, dedupe.Full)).Clusters);
    }

    private readonly Lazy<IReadOnlyList<DuplicateCluster>> _contactClusters;
    private readonly DedupeSession? _dedupe;
    private readonly ConcurrentDictionary<string, Lazy<object>> _shared = new(StringComparer.Ordinal);
    private readonly Lazy<IReadOnlyList<DuplicateCluster>> _companyClusters;

    /// <summary>
    /// Starts finding the contact and company clusters on the thread pool, so that they are ready (or nearly) when a
    /// family first reads them: deduplication is the biggest single cost of a pass, and it runs beside the families
    /// that do not need it. The result is the same as computing them on first use (the matcher is deterministic; the
    /// lazy values are built once, and a reader waits for a build under way).
    /// </summary>
    /// <returns>The task finding them (it fails as reading them would).</returns>
    /// <remarks>Contacts and companies are matched at once: the company matcher fills the core that the contact
    /// matcher leaves idle in its one-threaded steps (sorting, clustering).</remarks>
    internal Task StartClustering() => Task.WhenAll(
        Task.Run(() => _contactClusters.Value),
        Task.Run(() => _companyClusters.Value));

    /// <summary>Whether the contacts will be matched in full, as far as is known before matching: no stored state to
    /// start from, or a full match requested (a stored state may still turn out unusable, e.g. after a settings change).</summary>
    internal bool MatchesContactsInFull => _dedupe is null || _dedupe.Full || _dedupe.PreviousContacts is null;

    /// <summary>The matcher compares contacts by their company ids, not names (<see cref="Deduplicator.FindContactClusters(IReadOnlyList{Contact}, IReadOnlyDictionary{string, string}, DedupeOptions)"/>):
    /// no map of 200,000 company names is built for it.</summary>
    private static readonly IReadOnlyDictionary<string, string> NoCompanyNames = new Dictionary<string, string>();

    /// <summary>Duplicate contact clusters of the snapshot, computed once per pass on first use (data quality and
    /// integration health both read them).</summary>
    public IReadOnlyList<DuplicateCluster> ContactClusters => _contactClusters.Value;

    /// <summary>Duplicate company clusters of the snapshot, computed once per pass on first use.</summary>
    public IReadOnlyList<DuplicateCluster> CompanyClusters => _companyClusters.Value;

    /// <summary>Whether the incremental matcher, having read every record's id, found the contacts ("contact") or the
    /// companies in ordinal id order; false when it did not run (yet) or they were not.</summary>
    internal bool KnownInIdOrder(string objectType) =>
        (objectType == "contact" ? _dedupe?.Contacts : objectType == "company" ? _dedupe?.Companies : null)?.InIdOrder == true;

    public CrmSnapshot Snapshot { get; }

    public DateTimeOffset AsOf { get; }

    public KpiOptions Options { get; }

    public string Source => Snapshot.Source;

    public IReadOnlyDictionary<string, CrmUser> UsersById { get; }

    /// <summary>Licensed users: active (not deactivated), human (not integration), not excluded by configuration, and
    /// created at or before as-of (when the CRM gives a creation time).</summary>
    public IReadOnlyList<CrmUser> Licensed { get; }

    public IReadOnlySet<string> LicensedIds { get; }

    /// <summary>Integration users and users excluded by configuration (active or not).</summary>
    public IReadOnlyList<CrmUser> Excluded { get; }

    /// <summary>The team dimension of a user id: the user's team, or <see cref="KpiOptions.NoTeam"/>.</summary>
    public string TeamOf(string? userId) =>
        userId is not null && UsersById.TryGetValue(userId, out var u) && !string.IsNullOrWhiteSpace(u.Team) ? u.Team! : KpiOptions.NoTeam;

    /// <summary>
    /// A per-pass result shared between families, built by <paramref name="build"/> on first use under
    /// <paramref name="key"/>: the data-quality score reads what the other data-quality families found instead of
    /// scanning a million records again. Families run at once on several cores: the first to ask builds the value,
    /// the others wait for it, so it is built exactly once.
    /// </summary>
    internal T Shared<T>(string key, Func<T> build) where T : class =>
        (T)_shared.GetOrAdd(key, static (_, b) => new Lazy<object>(() => b()), build).Value;

    /// <summary>The snapshot's activities as columns (<see cref="ActivityColumns"/>): the snapshot's own list when the
    /// store or generator loaded them so, else copied once per pass, whichever family asks first.</summary>
    internal ActivityColumns Activities => Shared("activity_columns", () => ActivityColumns.From(Snapshot.Activities));

    /// <summary>The snapshot's contacts as columns (<see cref="ContactColumns"/>), as <see cref="Activities"/>.</summary>
    internal ContactColumns Contacts => Shared("contact_columns", () => ContactColumns.From(Snapshot.Contacts));

    /// <summary>The snapshot's companies as columns (<see cref="CompanyColumns"/>), as <see cref="Activities"/>.</summary>
    internal CompanyColumns Companies => Shared("company_columns", () => CompanyColumns.From(Snapshot.Companies));

    /// <summary>The snapshot's deals as columns (<see cref="DealColumns"/>), as <see cref="Activities"/>.</summary>
    internal DealColumns Deals => Shared("deal_columns", () => DealColumns.From(Snapshot.Deals));

    /// <summary>True when <paramref name="t"/> lies in the trailing window (asOf − window, asOf]: the start is excluded, asOf included.</summary>
    public bool InWindow(DateTimeOffset t, TimeSpan window) => t > AsOf - window && t <= AsOf;
}
