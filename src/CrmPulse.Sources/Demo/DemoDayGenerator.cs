using System.Globalization;
using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Demo;

/// <summary>
/// Generates one day of the demo org from an RNG seeded with (Seed, day): who logs in, what they log, and after the
/// anchor the few new contacts and deals. A day's events depend on nothing but the static org and the day number,
/// so pulling at 10:00 and again at 14:00 gives the same events, with the same ids, as one pull at 14:00.
/// Every event of a day lies inside that day (office hours), which is what makes incremental pulls exact.
/// </summary>
internal sealed class DemoDayGenerator(DemoOrg org)
{
    private readonly DateTimeOffset _anchor = org.Anchor;

    public DemoDayEvents Generate(int day)
    {
        var rng = new DemoRandom(org.Options.Seed, day);
        var weekend = DemoTime.IsWeekend(_anchor, day);
        var tag = DemoTime.Tag(day);
        var events = new DemoDayEvents();
        var present = new List<(DemoUserPlan Plan, DateTimeOffset LoginAt)>();
        foreach (var plan in org.Plans)
        {
            if (plan.IsIntegration)
            {
                IntegrationLogins(plan, day, tag, rng, events);
                continue;
            }
            if (plan.NeverLogsIn && plan.FailedLoginDay == day)
            {
                // A failed attempt is not a login: this user still never logged in.
                events.Logins.Add(new LoginEvent($"login-{tag}-{plan.User.Id}-0", plan.User.Id, DemoTime.At(_anchor, day, 10.25), false, "Web"));
            }
            if (rng.NextDouble() < plan.LoginProbability(day, weekend)) present.Add((plan, Login(plan, day, weekend, tag, rng, events)));
        }

        var target = org.ActivityTarget(day);
        if (target > 0 && present.Count == 0)
        {
            // A quiet weekend of a small org: someone still logs in, so the day's activities have an author.
            var eligible = org.Plans.Where(p => p.LoginProbability(day, weekend) > 0).ToArray();
            if (eligible.Length > 0)
            {
                var plan = rng.Pick(eligible);
                present.Add((plan, Login(plan, day, weekend, tag, rng, events)));
            }
        }
        if (present.Count > 0) Activities(day, weekend, tag, target, present, rng, events);
        if (day >= 0)
        {
            NewContacts(day, weekend, tag, present, rng, events);
            NewDeals(day, weekend, tag, present, rng, events);
        }
        AnswerLeads(day, present, events);
        return events;
    }

    private void IntegrationLogins(DemoUserPlan plan, int day, string tag, DemoRandom rng, DemoDayEvents events)
    {
        // Sync jobs log in every four hours, every day of the week.
        for (var k = 0; k < 6; k++)
        {
            var at = DemoTime.At(_anchor, day, 0.25 + 4 * k + rng.Between(0, 0.2));
            events.Logins.Add(new LoginEvent($"login-{tag}-{plan.User.Id}-{k + 1}", plan.User.Id, at, true, "API"));
        }
    }

    private DateTimeOffset Login(DemoUserPlan plan, int day, bool weekend, string tag, DemoRandom rng, DemoDayEvents events)
    {
        var team = plan.Team!;
        var id = plan.User.Id;
        var start = weekend
            ? DemoTime.At(_anchor, day, rng.Between(9, 19))
            : DemoTime.At(_anchor, day, team.StartHour + rng.Between(0, 1.5));
        if (rng.Chance(0.02))
        {
            events.Logins.Add(new LoginEvent($"login-{tag}-{id}-0", id, start.AddSeconds(-rng.Next(60, 181)), false, "Web"));
        }
        events.Logins.Add(new LoginEvent($"login-{tag}-{id}-1", id, start, true, rng.Chance(0.15) ? "Mobile" : "Web"));
        if (!weekend && rng.Chance(0.3))
        {
            var again = DemoTime.At(_anchor, day, team.StartHour + rng.Between(4, 7));
            events.Logins.Add(new LoginEvent($"login-{tag}-{id}-2", id, again, true, "Web"));
        }
        return start;
    }

    private void Activities(int day, bool weekend, string tag, int target,
        List<(DemoUserPlan Plan, DateTimeOffset LoginAt)> present, DemoRandom rng, DemoDayEvents events)
    {
        var cumulative = new double[present.Count];
        var total = 0.0;
        for (var i = 0; i < present.Count; i++) cumulative[i] = total += present[i].Plan.ActivityWeight(day);
        for (var n = 0; n < target; n++)
        {
            var idx = Array.BinarySearch(cumulative, rng.NextDouble() * total);
            if (idx < 0) idx = ~idx;
            var (plan, loginAt) = present[Math.Min(idx, present.Count - 1)];
            var team = plan.Team!;
            var type = (ActivityType)rng.PickWeighted(team.TypeMix);
            var end = weekend ? loginAt.AddHours(3) : DemoTime.At(_anchor, day, team.StartHour + 9);
            var occurred = DemoTime.Between(rng, loginAt.AddMinutes(2), DemoTime.Max(end, loginAt.AddMinutes(30)));
            var created = type == ActivityType.Task ? occurred : occurred.AddSeconds(rng.Next(0, 901));
            var (contactId, companyId, dealId) = Associate(plan, occurred, rng);
            string? direction = type switch
            {
                ActivityType.Call => rng.Chance(0.7) ? "outbound" : "inbound",
                ActivityType.Email => rng.Chance(0.6) ? "outbound" : "inbound",
                _ => null,
            };
            string? owner = plan.User.Id;
            DateTimeOffset? due = null;
            var completed = false;
            var modified = created;
            if (type == ActivityType.Task)
            {
                var r = rng.NextDouble();
                if (r >= 0.03) due = DemoTime.At(_anchor, day + rng.Next(1, 11), 17.0);
                if (r is >= 0.03 and < 0.05) owner = null; // created by an automation that assigns nobody
                else if (r >= 0.05 && day < 0)
                {
                    // Planted tasks (no due date, no owner) stay open; the rest are mostly done when they were due.
                    completed = rng.Chance(due < _anchor ? 0.88 : 0.25);
                    if (completed) modified = DemoTime.Between(rng, created, DemoTime.Min(due!.Value, _anchor.AddMinutes(-1)));
                }
            }
            events.Activities.Add(new Activity($"act-{tag}-{(n + 1).ToString("D4", CultureInfo.InvariantCulture)}",
                type, owner, occurred, created, modified, contactId, companyId, dealId, direction, due, completed));
        }
    }

    /// <summary>
    /// Turns some of the day's calls, e-mails and meetings (not about a deal) into the planned first responses to the
    /// day's leads: outbound, naming the lead, at its creation plus the planned minutes (within the day, after the
    /// responder's login). With its own RNG stream, so the day's other events stay as they were.
    /// </summary>
    private void AnswerLeads(int day, List<(DemoUserPlan Plan, DateTimeOffset LoginAt)> present, DemoDayEvents events)
    {
        var rng = new DemoRandom(org.Options.Seed, DemoOrg.StreamLeadDays + day);
        // History days answer the static org's leads as planned; later days answer their own new leads.
        var planned = day < 0
            ? org.LeadResponses.GetValueOrDefault(day)?.Select(p => (Lead: org.Contacts[p.Contact], p.Minutes)).ToList()
            : events.Contacts.Select(c => (Lead: c, Minutes: DemoLeadsBuilder.ResponseMinutes(rng)))
                .Where(p => p.Minutes is not null).Select(p => (p.Lead, Minutes: p.Minutes!.Value)).ToList();
        if (planned is null) return;
        var loginAt = present.GroupBy(p => p.Plan.User.Id).ToDictionary(g => g.Key, g => g.Min(p => p.LoginAt), StringComparer.Ordinal);
        var free = Enumerable.Range(0, events.Activities.Count)
            .Where(i => events.Activities[i] is { Type: ActivityType.Call or ActivityType.Email or ActivityType.Meeting, DealId: null, OwnerId: not null })
            .ToList();
        var dayEnd = DemoTime.At(_anchor, day, 23.9);
        foreach (var (lead, minutes) in planned)
        {
            var at = DemoTime.Min(DemoTime.At(lead.CreatedAt, minutes / 1440), dayEnd);
            var usable = free.Where(i => loginAt.TryGetValue(events.Activities[i].OwnerId!, out var l) && l < at).ToList();
            if (usable.Count == 0) continue; // nobody there to answer: the lead stays unanswered
            var k = usable[rng.Next(usable.Count)];
            free.Remove(k);
            var a = events.Activities[k];
            events.Activities[k] = a with
            {
                OccurredAt = at, CreatedAt = at, ModifiedAt = at, ContactId = lead.Id, CompanyId = lead.CompanyId,
                Direction = a.Type == ActivityType.Meeting ? null : "outbound",
            };
        }
    }

    /// <summary>What an activity is about: one of the owner's open deals (40 %), else one of their contacts.</summary>
    private (string? Contact, string? Company, string? Deal) Associate(DemoUserPlan plan, DateTimeOffset at, DemoRandom rng)
    {
        var deals = org.DealsByOwner[plan.Index];
        if (deals.Length > 0 && rng.Chance(0.4))
        {
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var k = rng.Pick(deals);
                if (org.DealWorkableAt(k, at)) return (org.Deals[k].ContactId, org.Deals[k].CompanyId, org.Deals[k].Id);
            }
        }
        var contacts = org.EngagedContacts[plan.Index];
        var count = org.ContactsCreatedBy(contacts, at);
        if (count == 0) return (null, null, null);
        var c = org.Contacts[contacts[rng.Next(count)]];
        return (c.Id, c.CompanyId, null);
    }

    private void NewContacts(int day, bool weekend, string tag, List<(DemoUserPlan Plan, DateTimeOffset LoginAt)> present,
        DemoRandom rng, DemoDayEvents events)
    {
        var mean = Math.Max(1, org.Options.Contacts / 1000);
        var count = weekend ? rng.Next(0, 2) : rng.Next(Math.Max(1, mean / 2), mean + mean / 2 + 1);
        var emails = new HashSet<string>(StringComparer.Ordinal);
        for (var k = 0; k < count; k++)
        {
            var author = present.Count > 0 ? present[rng.Next(present.Count)] : default;
            var at = CreatedAt(day, author.Plan is null ? null : author.LoginAt, rng);
            var company = rng.Chance(0.9) ? rng.Pick(org.Companies) : null;
            var domain = company?.Domain ?? rng.Pick(DemoNames.PersonalDomains);
            string first, last, email;
            var tries = 0;
            do
            {
                first = rng.Pick(DemoNames.FirstNames);
                last = rng.Pick(DemoNames.LastNames);
                email = $"{first}.{last}@{domain}".ToLowerInvariant();
            }
            while ((org.StaticEmails.Contains(email) || !emails.Add(email)) && ++tries < 10);
            var number = (1_000_000 + day * 1000 + k).ToString(CultureInfo.InvariantCulture);
            events.Contacts.Add(new Contact
            {
                Id = $"c-{tag}-{(k + 1).ToString("D3", CultureInfo.InvariantCulture)}",
                FirstName = first,
                LastName = last,
                Email = email,
                // Area 555 is never used by the static org, so these numbers cannot collide with it.
                Phone = rng.Chance(0.12) ? null : DemoVariants.FormatPhone(("1", "555", number), 0),
                CompanyId = company?.Id,
                LifecycleStage = "lead",
                LeadStatus = "NEW",
                IsLead = true,
                OwnerId = author.Plan?.User.Id,
                CreatedAt = at,
                ModifiedAt = at,
            });
        }
    }

    private void NewDeals(int day, bool weekend, string tag, List<(DemoUserPlan Plan, DateTimeOffset LoginAt)> present,
        DemoRandom rng, DemoDayEvents events)
    {
        if (weekend) return;
        var mean = Math.Max(1, org.Options.Deals / 1000);
        var count = rng.Next(Math.Max(1, mean / 2), mean + mean / 2 + 2);
        var sellers = present.Where(p => p.Plan.Team?.Pipeline == "sales").ToList();
        var pool = sellers.Count > 0 ? sellers : present;
        for (var k = 0; k < count; k++)
        {
            var owner = pool.Count > 0 ? pool[rng.Next(pool.Count)] : default;
            var at = CreatedAt(day, owner.Plan is null ? null : owner.LoginAt, rng);
            var candidates = events.Contacts.Where(c => c.CreatedAt < at).ToList();
            var contact = candidates.Count > 0 && rng.Chance(0.6) ? rng.Pick(candidates) : null;
            var companyId = contact is null ? rng.Pick(org.Companies).Id : contact.CompanyId;
            var label = org.Companies.FirstOrDefault(c => c.Id == companyId)?.Name ?? $"{contact?.FirstName} {contact?.LastName}";
            events.Deals.Add(new Deal
            {
                Id = $"d-{tag}-{(k + 1).ToString("D2", CultureInfo.InvariantCulture)}",
                Name = $"{label} – {rng.Pick(DemoNames.Products)}",
                Pipeline = "sales",
                Stage = DemoDealsBuilder.SalesStages[0],
                StageEnteredAt = at,
                Amount = 100m * rng.Next(50, 1501),
                CloseDate = DateOnly.FromDateTime(at.UtcDateTime).AddDays(rng.Next(30, 91)),
                CompanyId = companyId,
                ContactId = contact?.Id,
                OwnerId = owner.Plan?.User.Id,
                CreatedAt = at,
                ModifiedAt = at,
            });
        }
    }

    /// <summary>Some time after the author's login, or in office hours when nobody is there; never past 23:30.</summary>
    private DateTimeOffset CreatedAt(int day, DateTimeOffset? login, DemoRandom rng)
    {
        var at = login is { } l
            ? DemoTime.Between(rng, l.AddMinutes(5), l.AddHours(6))
            : DemoTime.At(_anchor, day, rng.Between(9, 17));
        return DemoTime.Min(at, DemoTime.At(_anchor, day, 23.5));
    }
}
