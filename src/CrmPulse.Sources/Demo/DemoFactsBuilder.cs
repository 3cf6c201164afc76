using System.Globalization;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Demo;

/// <summary>
/// Counts <see cref="DemoFacts"/> from the records of the org and its generated history, with the KPI catalog's
/// definitions. Only the duplicate clusters come from the generator: telling duplicates apart is the job of the
/// deduplication being tested, so the plan is the ground truth there.
/// </summary>
internal static class DemoFactsBuilder
{
    public static DemoFacts Build(DemoOrg org)
    {
        var a = org.Anchor;
        var history = org.History();
        bool Within(DateTimeOffset t, int days) => t > a.AddDays(-days) && t <= a;

        var licensed = org.Users.Where(u => u.IsActive && !u.IsIntegration).ToList();
        // Successful login times per user, sorted: "active in (from, to]" is then one binary search.
        var logins = history.Logins.Where(l => l.Succeeded && l.At <= a).GroupBy(l => l.UserId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(l => l.At).Order().ToArray(), StringComparer.Ordinal);
        bool Ever(CrmUser u) => logins.ContainsKey(u.Id);
        bool ActiveIn(CrmUser u, DateTimeOffset from, DateTimeOffset to)
        {
            if (!logins.TryGetValue(u.Id, out var times)) return false;
            var i = Array.BinarySearch(times, to);
            if (i >= 0) return true; // a login exactly at "to"
            var last = ~i - 1; // the latest login before "to"
            return last >= 0 && times[last] > from;
        }
        bool Active(CrmUser u, int days) => ActiveIn(u, a.AddDays(-days), a);
        var activities7d = history.Activities.Where(x => Within(x.CreatedAt, 7)).ToList();
        var perOwner7d = activities7d.Where(x => x.OwnerId is not null).GroupBy(x => x.OwnerId!).ToDictionary(g => g.Key, g => g.Count());
        DemoAdoptionFacts Adoption(IReadOnlyCollection<CrmUser> users) => new(
            users.Count,
            users.Count(u => Active(u, 1)),
            users.Count(u => Active(u, 7)),
            users.Count(u => Active(u, 30)),
            users.Count(u => !Ever(u)),
            users.Count(u => Ever(u) && !Active(u, 30)),
            users.Count(u => perOwner7d.GetValueOrDefault(u.Id) >= 3),
            users.Sum(u => perOwner7d.GetValueOrDefault(u.Id)));
        var teams = licensed.Select(u => u.Team!).Distinct().Order(StringComparer.Ordinal).ToList();
        var weeks = org.Options.HistoryDays / 7;
        var weekly = teams.ToDictionary(t => t, t =>
        {
            var members = licensed.Where(u => u.Team == t).ToList();
            return (IReadOnlyList<double>)Enumerable.Range(0, weeks).Select(k =>
            {
                var end = a.AddDays(-7 * k);
                var active = members.Count(u => ActiveIn(u, end.AddDays(-7), end));
                return members.Count == 0 ? 0 : (double)active / members.Count;
            }).ToList();
        }, StringComparer.Ordinal);

        var teamOf = org.Users.ToDictionary(u => u.Id, u => u.Team ?? KpiOptions.NoTeam, StringComparer.Ordinal);
        var deactivated = org.Users.Where(u => !u.IsActive).Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
        var contacts = org.Contacts;
        var companies = org.Companies;
        var deals = org.Deals;
        var records = new Dictionary<string, IReadOnlyList<CrmRecord>>
        {
            ["contact"] = contacts, ["company"] = companies, ["deal"] = deals,
        };
        var companyIds = companies.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var touched180 = history.Activities.Where(x => x.ContactId is not null && Within(x.OccurredAt, 180))
            .Select(x => x.ContactId!).ToHashSet(StringComparer.Ordinal);
        var integration = org.Users.Where(u => u.IsIntegration).Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
        var touchedDeals30 = history.Activities.Where(x => x.DealId is not null && Within(x.OccurredAt, 30)
                && !(x.OwnerId is not null && integration.Contains(x.OwnerId)))
            .Select(x => x.DealId!).ToHashSet(StringComparer.Ordinal);
        var tasks = history.Activities.Where(x => x.Type == ActivityType.Task).ToList();
        var open = deals.Where(d => !d.IsClosed).ToList();
        var today = DateOnly.FromDateTime(a.UtcDateTime);
        var staleLine = a.AddDays(-365);
        var snoozed = open.Where(d => Snoozed(d.GetField(DemoSource.SnoozeField), a)).Select(d => d.Id).ToList();
        var (stageMedians, aging) = DemoOutcomeFactsBuilder.StageAges(open, a);

        return new DemoFacts
        {
            Anchor = a,
            Adoption = Adoption(licensed),
            AdoptionByTeam = teams.ToDictionary(t => t, t => Adoption(licensed.Where(u => u.Team == t).ToList()), StringComparer.Ordinal),
            ExcludedUsers = org.Users.Count(u => u.IsIntegration),
            IntegrationUserIds = org.Users.Where(u => u.IsIntegration).Select(u => u.Id).ToList(),
            DeactivatedUserIds = deactivated.Order(StringComparer.Ordinal).ToList(),
            NeverLoggedInUserIds = licensed.Where(u => !Ever(u)).Select(u => u.Id).ToList(),
            InactiveUserIds = licensed.Where(u => Ever(u) && !Active(u, 30)).Select(u => u.Id).ToList(),
            DipTeam = DemoTeam.DipTeamName,
            DipStart = a.AddDays(DemoUserPlan.DipStartDay),
            WeeklyActiveRatioByWeek = weekly,
            HistoryActivities = history.Activities.Count,
            ActivitiesLogged7dByType = ActivityTypes.All.ToDictionary(t => t.Tag(), t => activities7d.Count(x => x.Type == t), StringComparer.Ordinal),
            ActivitiesLogged7dByTeam = activities7d.GroupBy(x => x.OwnerId is { } o && teamOf.TryGetValue(o, out var t) ? t : KpiOptions.NoTeam)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            ContactsCreated7d = contacts.Count(c => Within(c.CreatedAt, 7)),
            DealsCreated7d = deals.Count(d => Within(d.CreatedAt, 7)),
            DealsWon7d = deals.Count(d => d.IsWon && Within(ClosedAt(d), 7)),
            Records = records.ToDictionary(r => r.Key, r => r.Value.Count, StringComparer.Ordinal),
            FieldFillRates = records.ToDictionary(r => r.Key, r => (IReadOnlyDictionary<string, double>)
                KpiOptions.DefaultRequiredFields[r.Key].ToDictionary(f => f, f => Rate(r.Value, x => CrmRecord.IsFilled(x.GetField(f)))),
                StringComparer.Ordinal),
            CompletenessScores = records.ToDictionary(r => r.Key, r => Completeness(r.Key, r.Value), StringComparer.Ordinal),
            CompleteRecordsRatios = records.ToDictionary(r => r.Key,
                r => Rate(r.Value, x => KpiOptions.DefaultRequiredFields[r.Key].All(f => CrmRecord.IsFilled(x.GetField(f)))), StringComparer.Ordinal),
            CustomFieldFillRates = new[] { DemoContactsBuilder.TierField, DemoContactsBuilder.LegacyRegionField }
                .ToDictionary(f => f, f => Rate(contacts, c => CrmRecord.IsFilled(c.GetField(f))), StringComparer.Ordinal),
            ContactsMissingEmail = contacts.Count(c => !CrmRecord.IsFilled(c.Email)),
            ContactsInvalidEmail = contacts.Count(c => CrmRecord.IsFilled(c.Email) && !DataQualityChecks.IsValidEmail(c.Email)),
            ContactsMissingPhone = contacts.Count(c => !CrmRecord.IsFilled(c.Phone)),
            ContactsInvalidPhone = contacts.Count(c => CrmRecord.IsFilled(c.Phone) && !ValidPhone(c.Phone)),
            UnreachableContacts = contacts.Count(c => !DataQualityChecks.IsValidEmail(c.Email) && !ValidPhone(c.Phone)),
            DuplicateContactClusters = org.ContactDuplicates,
            DuplicateCompanyClusters = org.CompanyDuplicates,
            ContactsWithoutCompany = contacts.Count(c => !CrmRecord.IsFilled(c.CompanyId)),
            OrphanDeals = deals.Count(d => !CrmRecord.IsFilled(d.ContactId) && !CrmRecord.IsFilled(d.CompanyId)),
            CompaniesWithMissingParent = companies.Where(c => CrmRecord.IsFilled(c.ParentId) && !companyIds.Contains(c.ParentId!))
                .Select(c => c.Id).ToList(),
            StaleContacts = contacts.Count(c => c.ModifiedAt < staleLine),
            StaleCompanies = companies.Count(c => c.ModifiedAt < staleLine),
            ContactsWithoutActivity180d = contacts.Count(c => !touched180.Contains(c.Id)),
            UnownedRecords = records.ToDictionary(r => r.Key, r => r.Value.Count(x => !CrmRecord.IsFilled(x.OwnerId)), StringComparer.Ordinal),
            RecordsOwnedByDeactivatedUsers = records.ToDictionary(r => r.Key,
                r => r.Value.Count(x => x.OwnerId is not null && deactivated.Contains(x.OwnerId)), StringComparer.Ordinal),
            PicklistVariants = new Dictionary<string, IReadOnlyList<IReadOnlyList<string>>>(StringComparer.Ordinal)
            {
                ["company.industry"] = Variants(companies.Select(c => c.Industry)),
                ["contact.lifecycle_stage"] = Variants(contacts.Select(c => c.LifecycleStage)),
            },
            OverdueOpenTasks = tasks.Count(t => !t.Completed && t.DueAt < a),
            TasksWithoutDueDate = tasks.Count(t => t.DueAt is null),
            TasksWithoutOwner = tasks.Count(t => !CrmRecord.IsFilled(t.OwnerId)),
            OpenDeals = open.Count,
            OpenPipelineValue = open.Sum(d => d.Amount ?? 0),
            StalledDeals = open.Count(d => !touchedDeals30.Contains(d.Id) && !Within(d.CreatedAt, 30) && !snoozed.Contains(d.Id)),
            SnoozedDealIds = snoozed,
            StageAgeMedianDays = stageMedians,
            DealsAgingInStage = aging,
            Outcomes = DemoOutcomeFactsBuilder.Build(org, history.Activities),
            OpenDealsPastCloseDate = open.Count(d => d.CloseDate < today),
            LostWithoutReason90d = deals.Count(d => d.IsClosed && !d.IsWon && Within(ClosedAt(d), 90) && !CrmRecord.IsFilled(d.LostReason)),
        };
    }

    /// <summary>The demo's snooze values: "true", a date (snoozed through that UTC day) or an ISO date-time.</summary>
    private static bool Snoozed(string? value, DateTimeOffset a) => value switch
    {
        null => false,
        "true" => true,
        { Length: 10 } => DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture) >= DateOnly.FromDateTime(a.UtcDateTime),
        _ => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture) > a,
    };

    private static DateTimeOffset ClosedAt(Deal d) =>
        d.ClosedAt ?? (d.CloseDate is { } c ? new DateTimeOffset(c.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : DateTimeOffset.MinValue);

    /// <summary>Valid as the KPI judges it with the default DataQuality:PhoneRegion (the demo has no country field).</summary>
    private static bool ValidPhone(string? phone) => DataQualityChecks.IsValidPhone(phone, DataQualityOptions.DefaultPhoneRegion);

    private static double Rate<T>(IReadOnlyCollection<T> items, Func<T, bool> predicate) =>
        items.Count == 0 ? 0 : (double)items.Count(predicate) / items.Count;

    /// <summary>Mean share of filled monitored fields, as one exact quotient: filled fields ÷ (records × fields).</summary>
    private static double Completeness(string objectType, IReadOnlyList<CrmRecord> items)
    {
        var fields = KpiOptions.DefaultRequiredFields[objectType];
        if (items.Count == 0) return 0;
        var filled = items.Sum(x => fields.Count(f => CrmRecord.IsFilled(x.GetField(f))));
        return (double)filled / ((long)items.Count * fields.Count);
    }

    private static IReadOnlyList<IReadOnlyList<string>> Variants(IEnumerable<string?> values) =>
        values.Where(CrmRecord.IsFilled).Select(v => v!).Distinct(StringComparer.Ordinal)
            .GroupBy(DataQualityPicklistKpis.Normalize, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => (IReadOnlyList<string>)g.Order(StringComparer.Ordinal).ToList())
            .OrderBy(g => g[0], StringComparer.Ordinal)
            .ToList();
}
