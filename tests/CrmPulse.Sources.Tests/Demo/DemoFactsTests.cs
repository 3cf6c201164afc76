using System.Text.RegularExpressions;
using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Tests.Demo;

/// <summary>
/// Each planted count of DemoFacts, recounted here from the pulled records with code of the test's own, and
/// checked to be a real problem (more than zero, and where the brief says so, within its bounds).
/// </summary>
[Collection(DefaultDemoOrgCollection.Name)]
public sealed partial class DemoFactsTests(DefaultDemoOrg org)
{
    private static readonly DateTimeOffset A = DefaultDemoOrg.Anchor;

    [GeneratedRegex(@"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)*\.[A-Za-z]{2,}$")]
    private static partial Regex EmailPattern();


    private static bool Blank(string? s) => string.IsNullOrWhiteSpace(s);

    private static bool ValidEmail(string? e) => !Blank(e) && EmailPattern().IsMatch(e!.Trim());

    /// <summary>libphonenumber itself, with the KPI's default region "US".</summary>
    private static bool ValidPhone(string? p)
    {
        if (Blank(p)) return false;
        try { return PhoneNumbers.PhoneNumberUtil.GetInstance().IsValidNumber(PhoneNumbers.PhoneNumberUtil.GetInstance().Parse(p, "US")); }
        catch (PhoneNumbers.NumberParseException) { return false; }
    }

    [Fact]
    public void Contact_channel_problems_match_the_records()
    {
        var c = org.Contacts;
        Assert.Equal(c.Count(x => Blank(x.Email)), org.Facts.ContactsMissingEmail);
        Assert.Equal(c.Count(x => !Blank(x.Email) && !ValidEmail(x.Email)), org.Facts.ContactsInvalidEmail);
        Assert.Equal(c.Count(x => Blank(x.Phone)), org.Facts.ContactsMissingPhone);
        Assert.Equal(c.Count(x => !Blank(x.Phone) && !ValidPhone(x.Phone)), org.Facts.ContactsInvalidPhone);
        Assert.Equal(c.Count(x => !ValidEmail(x.Email) && !ValidPhone(x.Phone)), org.Facts.UnreachableContacts);
        Assert.All(new[] { org.Facts.ContactsMissingEmail, org.Facts.ContactsInvalidEmail, org.Facts.ContactsMissingPhone,
            org.Facts.ContactsInvalidPhone, org.Facts.UnreachableContacts }, n => Assert.InRange(n, 20, 4000));
        // The brief's examples of invalid values are among them.
        Assert.Contains(c, x => x.Email == "no-email");
        Assert.Contains(c, x => x.Email == "x@y");
        Assert.Contains(c, x => x.Email is { } e && e.EndsWith('@'));
        // Every generated number is a real one; only the planted values are not.
        Assert.All(c.Where(x => !Blank(x.Phone) && !ValidPhone(x.Phone)),
            x => Assert.Contains(x.Phone, new[] { "12", "n/a", "-", "0", "123", "tbd", "555" }));
        Assert.Contains(c, x => x.Phone == "12");
        Assert.Contains(c, x => x.Phone == "n/a");
    }

    [Fact]
    public void Orphans_and_missing_parents_match_the_records()
    {
        Assert.Equal(org.Contacts.Count(x => Blank(x.CompanyId)), org.Facts.ContactsWithoutCompany);
        Assert.Equal(org.Deals.Count(x => Blank(x.ContactId) && Blank(x.CompanyId)), org.Facts.OrphanDeals);
        var ids = org.Companies.Select(x => x.Id).ToHashSet();
        Assert.Equal(org.Companies.Where(x => x.ParentId is not null && !ids.Contains(x.ParentId)).Select(x => x.Id),
            org.Facts.CompaniesWithMissingParent);
        Assert.Equal(20, org.Facts.CompaniesWithMissingParent.Count); // 4000 / 200
        Assert.Contains(org.Companies, x => x.ParentId is not null && ids.Contains(x.ParentId));
        Assert.InRange(org.Facts.OrphanDeals, 1, 300);
    }

    [Fact]
    public void Stale_unowned_and_deactivated_owned_records_match_the_records()
    {
        var line = A.AddDays(-365);
        Assert.Equal(org.Contacts.Count(x => x.ModifiedAt < line), org.Facts.StaleContacts);
        Assert.Equal(org.Companies.Count(x => x.ModifiedAt < line), org.Facts.StaleCompanies);
        // Nothing sits near the line: stale means untouched for 400+ days, fresh means touched within 340.
        Assert.DoesNotContain(org.Contacts, x => x.ModifiedAt >= A.AddDays(-400) && x.ModifiedAt < A.AddDays(-340));
        var deactivated = org.Users.Where(u => !u.IsActive).Select(u => u.Id).ToHashSet();
        Assert.Equal(org.Facts.DeactivatedUserIds, deactivated.Order(StringComparer.Ordinal));
        var byObject = new Dictionary<string, IEnumerable<CrmRecord>>
        {
            ["contact"] = org.Contacts, ["company"] = org.Companies, ["deal"] = org.Deals,
        };
        foreach (var (name, records) in byObject)
        {
            Assert.Equal(records.Count(x => Blank(x.OwnerId)), org.Facts.UnownedRecords[name]);
            Assert.Equal(records.Count(x => x.OwnerId is not null && deactivated.Contains(x.OwnerId)), org.Facts.RecordsOwnedByDeactivatedUsers[name]);
            Assert.True(org.Facts.UnownedRecords[name] > 0 && org.Facts.RecordsOwnedByDeactivatedUsers[name] > 0, name);
        }
    }

    [Fact]
    public void Fill_rates_match_the_records()
    {
        // e.g. contact email: contacts with a non-blank e-mail ÷ 20000.
        double Rate<T>(List<T> items, Func<T, string?> field) => (double)items.Count(x => !Blank(field(x))) / items.Count;
        var f = org.Facts.FieldFillRates;
        Assert.Equal(Rate(org.Contacts, x => x.Email), f["contact"]["email"]);
        Assert.Equal(Rate(org.Contacts, x => x.Phone), f["contact"]["phone"]);
        Assert.Equal(Rate(org.Contacts, x => x.LifecycleStage), f["contact"]["lifecycle_stage"]);
        Assert.Equal(Rate(org.Contacts, x => x.OwnerId), f["contact"]["owner"]);
        Assert.Equal(Rate(org.Contacts, x => x.CompanyId), f["contact"]["company"]);
        Assert.Equal(Rate(org.Companies, x => x.Domain), f["company"]["domain"]);
        Assert.Equal(Rate(org.Companies, x => x.Industry), f["company"]["industry"]);
        Assert.Equal(Rate(org.Companies, x => x.OwnerId), f["company"]["owner"]);
        Assert.Equal(Rate(org.Deals, x => x.Amount?.ToString()), f["deal"]["amount"]);
        Assert.Equal(Rate(org.Deals, x => x.CloseDate?.ToString()), f["deal"]["close_date"]);
        Assert.Equal(Rate(org.Deals, x => x.Stage), f["deal"]["stage"]);
        Assert.Equal(Rate(org.Deals, x => x.OwnerId), f["deal"]["owner"]);
        Assert.Equal(20000, org.Facts.Records["contact"]);

        // Completeness over the contact's 5 monitored fields: filled fields ÷ (20000 × 5).
        var filled = org.Contacts.Sum(x => new[] { x.Email, x.Phone, x.LifecycleStage, x.OwnerId, x.CompanyId }.Count(v => !Blank(v)));
        Assert.Equal(filled / 100000.0, org.Facts.CompletenessScores["contact"], 12);
        var complete = org.Contacts.Count(x => new[] { x.Email, x.Phone, x.LifecycleStage, x.OwnerId, x.CompanyId }.All(v => !Blank(v)));
        Assert.Equal(complete / 20000.0, org.Facts.CompleteRecordsRatios["contact"]);
    }

    [Fact]
    public void Custom_field_legacy_region_is_filled_in_fewer_than_1_percent_of_contacts_and_customer_tier_in_most()
    {
        var legacy = org.Contacts.Count(x => !Blank(x.Custom.GetValueOrDefault("legacy_region")));
        var tier = org.Contacts.Count(x => !Blank(x.Custom.GetValueOrDefault("customer_tier")));
        Assert.Equal(legacy / 20000.0, org.Facts.CustomFieldFillRates["legacy_region"]);
        Assert.Equal(tier / 20000.0, org.Facts.CustomFieldFillRates["customer_tier"]);
        Assert.InRange(legacy, 1, 199);
        Assert.InRange(tier, 15000, 19000);
    }

    [Fact]
    public void Picklist_variants_list_every_spelling_of_the_same_value()
    {
        var industry = org.Facts.PicklistVariants["company.industry"];
        var software = Assert.Single(industry, g => g.Contains("Software"));
        Assert.Contains("software", software);
        Assert.Contains("SOFTWARE ", software);
        // Recount: distinct industries that equal "software" once lower-cased and trimmed.
        Assert.Equal(org.Companies.Select(x => x.Industry).Where(v => v?.Trim().ToLowerInvariant() == "software").Distinct().Order(StringComparer.Ordinal),
            software);
        var stages = org.Facts.PicklistVariants["contact.lifecycle_stage"];
        Assert.Contains(stages, g => g.Contains("lead") && g.Contains("Lead"));
        Assert.Contains(stages, g => g.Contains("marketingqualifiedlead") && g.Contains("Marketing Qualified Lead"));
    }

    [Fact]
    public void Pipeline_hygiene_counts_match_the_records()
    {
        var tasks = org.Activities.Where(x => x.Type == ActivityType.Task).ToList();
        Assert.Equal(tasks.Count(t => !t.Completed && t.DueAt < A), org.Facts.OverdueOpenTasks);
        Assert.Equal(tasks.Count(t => t.DueAt is null), org.Facts.TasksWithoutDueDate);
        Assert.Equal(tasks.Count(t => t.OwnerId is null), org.Facts.TasksWithoutOwner);
        Assert.All(tasks.Where(t => t.DueAt is null || t.OwnerId is null), t => Assert.False(t.Completed));

        var open = org.Deals.Where(d => !d.IsClosed).ToList();
        var worked = org.Activities.Where(x => x.DealId is not null && x.OccurredAt > A.AddDays(-30)).Select(x => x.DealId).ToHashSet();
        // Snoozed: "true", a date from the anchor's on, or a date-time after the anchor (the demo writes ISO values).
        var snoozed = open.Where(d => d.Custom.GetValueOrDefault("paused_until") is { } v
            && (v == "true" || (v.Length == 10 ? string.CompareOrdinal(v, "2025-06-02") >= 0 : DateTimeOffset.Parse(v) > A))).Select(d => d.Id).ToList();
        Assert.Equal(snoozed, org.Facts.SnoozedDealIds);
        Assert.Equal(3, snoozed.Count);
        Assert.Equal(4, open.Count(d => d.Custom.ContainsKey("paused_until"))); // one snooze expired
        Assert.Equal(open.Count(d => !worked.Contains(d.Id) && d.CreatedAt <= A.AddDays(-30) && !snoozed.Contains(d.Id)), org.Facts.StalledDeals);
        Assert.Equal(open.Count(d => d.CloseDate < new DateOnly(2025, 6, 2)), org.Facts.OpenDealsPastCloseDate);
        Assert.Equal(org.Deals.Count(d => d.IsClosed && !d.IsWon && d.ClosedAt > A.AddDays(-90) && Blank(d.LostReason)),
            org.Facts.LostWithoutReason90d);
        Assert.Equal(open.Count, org.Facts.OpenDeals);
        Assert.Equal(open.Sum(d => d.Amount ?? 0), org.Facts.OpenPipelineValue);
        Assert.All(new[] { org.Facts.OverdueOpenTasks, org.Facts.TasksWithoutDueDate, org.Facts.TasksWithoutOwner,
            org.Facts.StalledDeals, org.Facts.OpenDealsPastCloseDate, org.Facts.LostWithoutReason90d }, n => Assert.True(n > 0));
    }

    [Fact]
    public void Contacts_without_activity_in_180_days_match_the_records()
    {
        var touched = org.Activities.Where(x => x.ContactId is not null && x.OccurredAt > A.AddDays(-180)).Select(x => x.ContactId).ToHashSet();
        Assert.Equal(org.Contacts.Count(c => !touched.Contains(c.Id)), org.Facts.ContactsWithoutActivity180d);
        Assert.InRange(org.Facts.ContactsWithoutActivity180d, 1, 19999);
    }

    [Fact]
    public void Adoption_facts_match_the_logins()
    {
        var ok = org.Logins.Where(l => l.Succeeded).ToList();
        var ever = ok.Select(l => l.UserId).ToHashSet();
        var month = ok.Where(l => l.At > A.AddDays(-30)).Select(l => l.UserId).ToHashSet();
        var week = ok.Where(l => l.At > A.AddDays(-7)).Select(l => l.UserId).ToHashSet();
        var licensed = org.Licensed.ToList();
        Assert.Equal(licensed.Where(u => !ever.Contains(u.Id)).Select(u => u.Id), org.Facts.NeverLoggedInUserIds);
        Assert.Equal(licensed.Where(u => ever.Contains(u.Id) && !month.Contains(u.Id)).Select(u => u.Id), org.Facts.InactiveUserIds);
        Assert.Equal(4, org.Facts.NeverLoggedInUserIds.Count); // 152 × 4/152
        Assert.Equal(5, org.Facts.InactiveUserIds.Count); // 152 × 5/152
        // One never-logged-in user has a failed attempt: it must not count as a login.
        Assert.Contains(org.Logins, l => !l.Succeeded && org.Facts.NeverLoggedInUserIds.Contains(l.UserId));
        Assert.Equal(152, org.Facts.Adoption.Licensed);
        Assert.Equal(2, org.Facts.ExcludedUsers);
        Assert.Equal(week.Count(id => licensed.Any(u => u.Id == id)), org.Facts.Adoption.WeeklyActive);
        foreach (var team in licensed.GroupBy(u => u.Team!))
        {
            var facts = org.Facts.AdoptionByTeam[team.Key];
            Assert.Equal(team.Count(), facts.Licensed);
            Assert.Equal(team.Count(u => week.Contains(u.Id)), facts.WeeklyActive);
            Assert.Equal(team.Count(u => month.Contains(u.Id)), facts.MonthlyActive);
        }
        Assert.Equal(new Dictionary<string, int>
        {
            ["Sales EMEA"] = 38, ["Customer Success"] = 30, ["Sales NA"] = 42, ["Marketing"] = 24, ["Partnerships"] = 18,
        }.OrderBy(p => p.Key), org.Facts.AdoptionByTeam.ToDictionary(p => p.Key, p => p.Value.Licensed).OrderBy(p => p.Key));
    }

    [Fact]
    public void Activity_facts_match_the_activities_of_the_last_7_days()
    {
        var week = org.Activities.Where(x => x.CreatedAt > A.AddDays(-7)).ToList();
        Assert.Equal(week.Count(x => x.Type == ActivityType.Call), org.Facts.ActivitiesLogged7dByType["call"]);
        Assert.Equal(week.Count(x => x.Type == ActivityType.Note), org.Facts.ActivitiesLogged7dByType["note"]);
        Assert.Equal(week.Count, org.Facts.ActivitiesLogged7dByTeam.Values.Sum());
        Assert.Equal(week.Count(x => x.OwnerId is null), org.Facts.ActivitiesLogged7dByTeam["unassigned"]);
        Assert.Equal(org.Contacts.Count(c => c.CreatedAt > A.AddDays(-7)), org.Facts.ContactsCreated7d);
        Assert.Equal(org.Deals.Count(d => d.CreatedAt > A.AddDays(-7)), org.Facts.DealsCreated7d);
    }

    [Fact]
    public void Activities_per_active_user_counts_only_licensed_owners()
    {
        var licensed = org.Licensed.Select(u => u.Id).ToHashSet();
        var week = org.Activities.Count(x => x.CreatedAt > A.AddDays(-7) && x.OwnerId is not null && licensed.Contains(x.OwnerId));
        Assert.Equal(week, org.Facts.Adoption.Activities7d);
        Assert.Equal((double)week / org.Facts.Adoption.WeeklyActive, org.Facts.Adoption.ActivitiesPerActiveUser);
    }

    [Fact]
    public void Default_org_gives_the_numbers_documented_in_the_readme()
    {
        // Pinned on purpose: a change to the generator that moves these must update README.md too.
        var f = org.Facts;
        Assert.Equal((792, 182, 2464, 352, 212), (f.ContactsMissingEmail, f.ContactsInvalidEmail, f.ContactsMissingPhone, f.ContactsInvalidPhone, f.UnreachableContacts));
        Assert.Equal((254, 300, 40), (f.DuplicateContactClusters.Count, f.DuplicateContactClusters.Sum(c => c.Count - 1), f.DuplicateCompanyClusters.Count));
        Assert.Equal((1154, 62, 20), (f.ContactsWithoutCompany, f.OrphanDeals, f.CompaniesWithMissingParent.Count));
        Assert.Equal((2960, 603, 6494), (f.StaleContacts, f.StaleCompanies, f.ContactsWithoutActivity180d));
        Assert.Equal((406, 137, 56), (f.UnownedRecords["contact"], f.UnownedRecords["company"], f.UnownedRecords["deal"]));
        Assert.Equal((285, 55, 57), (f.RecordsOwnedByDeactivatedUsers["contact"], f.RecordsOwnedByDeactivatedUsers["company"], f.RecordsOwnedByDeactivatedUsers["deal"]));
        Assert.Equal((0.0032, 0.8521), (f.CustomFieldFillRates["legacy_region"], f.CustomFieldFillRates["customer_tier"]));
        Assert.Equal((872, 210, 129), (f.OverdueOpenTasks, f.TasksWithoutDueDate, f.TasksWithoutOwner));
        Assert.Equal((498, 1274, 153, 65), (f.StalledDeals, f.OpenDeals, f.OpenDealsPastCloseDate, f.LostWithoutReason90d));
        Assert.Equal((3, 163), (f.SnoozedDealIds.Count, f.DealsAgingInStage));
        Assert.Equal((406, 108, 3025700m), (f.Outcomes.Leads30d, f.Outcomes.UnansweredLeads, f.Outcomes.NewRevenue30d));
        Assert.Equal((4, 5), (f.NeverLoggedInUserIds.Count, f.InactiveUserIds.Count));
    }
}
