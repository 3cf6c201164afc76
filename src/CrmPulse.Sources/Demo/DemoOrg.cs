using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Demo;

/// <summary>
/// The static demo org for one anchor: users, companies, contacts and deals as they stand at the anchor, plus the
/// lookups the day generator needs. Built once per source instance (never cached in statics: two sources with
/// different options must not share it). History and later days are generated from it on demand, one day at a time.
/// </summary>
internal sealed class DemoOrg
{
    // RNG streams of the static parts; day streams are the day numbers themselves, far below these.
    private const long StreamUsers = 1L << 40;
    private const long StreamCompanies = StreamUsers + 1;
    private const long StreamContacts = StreamUsers + 2;
    private const long StreamDeals = StreamUsers + 3;
    private const long StreamLeads = StreamUsers + 4;
    private const long StreamStages = StreamUsers + 5;
    private const long StreamFunnel = StreamUsers + 6;

    /// <summary>Base of the per-day streams that answer leads (plus the day number), far from the day streams.</summary>
    public const long StreamLeadDays = 1L << 41;

    private readonly Lazy<DemoFacts> _facts;
    private readonly double _activityScale;
    private readonly int[] _historyTargets;
    private readonly bool[] _stalled;

    public DemoOrg(DemoSourceOptions options, DateTimeOffset anchor)
    {
        Options = options;
        Anchor = anchor;
        Plans = DemoUsersBuilder.Build(options, anchor, new DemoRandom(options.Seed, StreamUsers));
        Users = Plans.Select(p => p.User).ToArray();
        var owners = new DemoOwners(Plans);
        (Companies, CompanyDuplicates) = DemoCompaniesBuilder.Build(options, anchor, owners, new DemoRandom(options.Seed, StreamCompanies));
        (Contacts, ContactDuplicates) = DemoContactsBuilder.Build(options, anchor, owners, Companies, new DemoRandom(options.Seed, StreamContacts));
        (Deals, _stalled) = DemoDealsBuilder.Build(options, anchor, owners, Companies, Contacts, new DemoRandom(options.Seed, StreamDeals));
        LeadResponses = DemoLeadsBuilder.Build(Contacts, anchor, new DemoRandom(options.Seed, StreamLeads));
        DemoDealsBuilder.PlantStages(Deals, _stalled, anchor, new DemoRandom(options.Seed, StreamStages));
        DemoFunnelBuilder.Plant(Contacts, anchor, new DemoRandom(options.Seed, StreamFunnel));

        var userIndex = Plans.ToDictionary(p => p.User.Id, p => p.Index, StringComparer.Ordinal);
        // Owners work on their own records; stale contacts are the forgotten ones, so nobody touches them.
        var staleLine = anchor.AddDays(-365);
        EngagedContacts = GroupByOwner(Contacts.Length, i => Contacts[i].ModifiedAt >= staleLine ? Contacts[i].OwnerId : null, userIndex);
        DealsByOwner = GroupByOwner(Deals.Length, i => Deals[i].OwnerId, userIndex);
        StaticEmails = Contacts.Where(c => c.Email is not null).Select(c => c.Email!.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

        // The day's number of activities follows the expected volume (who is likely to log in, and how busy their
        // team is), scaled so the history holds exactly Options.Activities.
        var h = options.HistoryDays;
        var expected = Enumerable.Range(-h, h).Select(ExpectedVolume).ToArray();
        _activityScale = options.Activities / expected.Sum();
        _historyTargets = DemoUsersBuilder.Split(options.Activities, expected);
        _facts = new Lazy<DemoFacts>(() => DemoFactsBuilder.Build(this));
    }

    public DemoSourceOptions Options { get; }

    public DateTimeOffset Anchor { get; }

    public DemoUserPlan[] Plans { get; }

    public CrmUser[] Users { get; }

    public Company[] Companies { get; }

    public Contact[] Contacts { get; }

    public Deal[] Deals { get; }

    public List<string[]> CompanyDuplicates { get; }

    public List<string[]> ContactDuplicates { get; }

    /// <summary>Planned first responses to leads, by the day (relative to the anchor) the lead came in: contact index, minutes.</summary>
    public Dictionary<int, List<(int Contact, double Minutes)>> LeadResponses { get; }

    /// <summary>Per user index: the non-stale contacts they own, ascending (so by creation time).</summary>
    public int[][] EngagedContacts { get; }

    /// <summary>Per user index: the deals they own, ascending.</summary>
    public int[][] DealsByOwner { get; }

    /// <summary>Trimmed lower-case e-mails of the static contacts: new contacts avoid them.</summary>
    public HashSet<string> StaticEmails { get; }

    /// <summary>The facts at the anchor, computed (from a generated history) on first use.</summary>
    public DemoFacts Facts => _facts.Value;

    /// <summary>Events of day <paramref name="day"/> (relative to the anchor): the same whenever it is asked.</summary>
    public DemoDayEvents Day(int day) => new DemoDayGenerator(this).Generate(day);

    /// <summary>Every event of the history window, oldest day first.</summary>
    public DemoDayEvents History()
    {
        var all = new DemoDayEvents();
        for (var d = -Options.HistoryDays; d < 0; d++) all.Append(Day(d));
        return all;
    }

    /// <summary>Activities to generate on a day: exact shares of Options.Activities in the history, the same rate after it.</summary>
    public int ActivityTarget(int day)
    {
        if (day < -Options.HistoryDays) return 0;
        if (day < 0) return _historyTargets[day + Options.HistoryDays];
        return (int)Math.Round(ExpectedVolume(day) * _activityScale);
    }

    /// <summary>True when deal <paramref name="index"/> can receive an activity at <paramref name="t"/>.</summary>
    public bool DealWorkableAt(int index, DateTimeOffset t)
    {
        var d = Deals[index];
        if (d.CreatedAt > t || (d.IsClosed && d.ClosedAt <= t)) return false;
        return !(_stalled[index] && t > Anchor.AddDays(-DemoDealsBuilder.StalledQuietDays));
    }

    /// <summary>How many of the (ascending) contact indices were created at or before <paramref name="t"/>.</summary>
    public int ContactsCreatedBy(int[] indices, DateTimeOffset t)
    {
        int lo = 0, hi = indices.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Contacts[indices[mid]].CreatedAt <= t) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private double ExpectedVolume(int day)
    {
        var weekend = DemoTime.IsWeekend(Anchor, day);
        var sum = 0.0;
        foreach (var p in Plans) sum += p.LoginProbability(day, weekend) * p.ActivityWeight(day);
        return sum;
    }

    private static int[][] GroupByOwner(int count, Func<int, string?> ownerOf, Dictionary<string, int> userIndex)
    {
        var lists = new List<int>[userIndex.Count];
        for (var u = 0; u < lists.Length; u++) lists[u] = [];
        for (var i = 0; i < count; i++)
        {
            if (ownerOf(i) is { } owner && userIndex.TryGetValue(owner, out var u)) lists[u].Add(i);
        }
        return lists.Select(l => l.ToArray()).ToArray();
    }
}
