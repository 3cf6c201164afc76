using System.Collections.Frozen;
using System.Globalization;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Demo;

/// <summary>
/// Builds the contacts in creation order (ids ascending with CreatedAt), with their planted problems: missing and
/// invalid e-mails and phones, contacts without company, unowned and deactivated-owned, stale, misspelled lifecycle
/// stages, the rarely used custom field, and duplicate people (typo in the name, swapped names, e-mail case and
/// white space, phone formatting).
/// </summary>
internal static class DemoContactsBuilder
{
    public const string TierField = "customer_tier";
    public const string LegacyRegionField = "legacy_region";

    public static (Contact[] Contacts, List<string[]> Duplicates) Build(
        DemoSourceOptions options, DateTimeOffset anchor, DemoOwners owners, Company[] companies, DemoRandom rng)
    {
        var n = options.Contacts;
        var width = Math.Max(5, n.ToString(CultureInfo.InvariantCulture).Length);
        var created = CreationTimes(options, anchor, rng);
        var contacts = new Contact[n];
        var phones = new (string Country, string Area, string Number)[n];
        var people = new HashSet<(string, string, string?)>();
        var emails = new HashSet<string>(StringComparer.Ordinal);
        // Most contacts carry only a tier: share those dictionaries instead of allocating 20000 of them.
        var tierFields = DemoNames.CustomerTiers.ToDictionary(t => t, t => Fields((TierField, t)));

        for (var i = 0; i < n; i++)
        {
            var company = rng.Chance(0.94) ? companies[rng.Next(companies.Length)] : null;
            string first, last;
            var tries = 0;
            do
            {
                first = rng.Pick(DemoNames.FirstNames);
                last = rng.Pick(DemoNames.LastNames);
            }
            while (!people.Add((first, last, company?.Id)) && ++tries < 20);

            var email = UniqueEmail(first, last, company?.Domain ?? rng.Pick(DemoNames.PersonalDomains), emails, rng);
            phones[i] = DemoVariants.PhoneParts(i, rng);
            string? phone = DemoVariants.FormatPhone(phones[i], rng.Next(5));

            // Planted contact-data problems, independent draws (their overlaps are counted, not planned).
            if (rng.Chance(0.03)) email = rng.Pick(MissingValues);
            else if (rng.Chance(0.01)) email = string.Format(CultureInfo.InvariantCulture, rng.Pick(DemoNames.InvalidEmailPatterns),
                first.ToLowerInvariant(), last.ToLowerInvariant(), company?.Domain ?? "example.com");
            if (rng.Chance(0.12)) phone = rng.Chance(0.8) ? null : "";
            else if (rng.Chance(0.015)) phone = rng.Pick(DemoNames.InvalidPhones);
            if (rng.Chance(0.005))
            {
                // Unreachable on purpose: nothing to call and nothing to write to.
                email = null;
                phone = rng.Pick(DemoNames.InvalidPhones);
            }

            var stage = rng.Chance(0.05) ? null : DemoNames.LifecycleStages[rng.PickWeighted(DemoNames.LifecycleWeights)];
            var status = stage is "lead" or "marketingqualifiedlead" or "salesqualifiedlead" ? rng.Pick(DemoNames.LeadStatuses) : null;
            if (stage is not null && rng.Chance(0.012) && DemoNames.LifecycleVariants.TryGetValue(stage, out var variants))
            {
                stage = rng.Pick(variants);
            }

            var tier = rng.Chance(0.85) ? rng.Pick(DemoNames.CustomerTiers) : null;
            IReadOnlyDictionary<string, string?> custom = rng.Chance(0.004)
                ? Fields((TierField, tier), (LegacyRegionField, rng.Pick(DemoNames.LegacyRegions)))
                : tier is null ? Empty : tierFields[tier];

            contacts[i] = new Contact
            {
                Id = Id(i, width),
                FirstName = first,
                LastName = last,
                Email = email,
                Phone = phone,
                CompanyId = company?.Id,
                LifecycleStage = stage,
                LeadStatus = status,
                OwnerId = owners.Pick(rng, 0.02, 0.015),
                CreatedAt = created[i],
                ModifiedAt = DemoCompaniesBuilder.Modified(rng, anchor, created[i], 0.25),
                Custom = custom,
            };
        }

        var duplicates = PlantDuplicates(contacts, phones, anchor, owners, rng);
        return (contacts, duplicates);
    }

    public static string Id(int index, int width) => "c-" + (index + 1).ToString("D" + width, CultureInfo.InvariantCulture);

    public static IReadOnlyDictionary<string, string?> Fields(params (string Key, string? Value)[] fields) =>
        fields.Where(f => f.Value is not null).ToFrozenDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);

    private static readonly IReadOnlyDictionary<string, string?> Empty = Fields();

    private static readonly string?[] MissingValues = [null, null, null, null, "", " "];

    /// <summary>
    /// Overwrites about 1.5 % of the contacts (in the later half of the ids: entered later) with copies of earlier,
    /// clean contacts. Each cluster uses one of four kinds of difference, in turn; some clusters hold two copies.
    /// </summary>
    private static List<string[]> PlantDuplicates(Contact[] contacts, (string, string, string)[] phones,
        DateTimeOffset anchor, DemoOwners owners, DemoRandom rng)
    {
        var n = contacts.Length;
        var slots = DemoCompaniesBuilder.PickDistinct(rng, n / 2, n, Math.Max(2, (int)Math.Round(n * 0.015))).Order().ToArray();
        var slotSet = slots.ToHashSet();
        var used = new HashSet<int>();
        var clusters = new List<string[]>();
        var kind = 0;
        for (var s = 0; s < slots.Length; s++)
        {
            // One cluster in five has two copies: the next slot joins it.
            var members = s + 1 < slots.Length && rng.Chance(0.2) ? new[] { slots[s], slots[++s] } : [slots[s]];
            int original;
            var tries = 0;
            do original = rng.Next(members[0]);
            while (!(IsClean(contacts[original]) && !slotSet.Contains(original) && !used.Contains(original)) && ++tries < 500);
            if (tries >= 500) continue;
            used.Add(original);
            var cluster = new List<string> { contacts[original].Id };
            foreach (var slot in members)
            {
                contacts[slot] = Copy(contacts[original], contacts[slot], phones[original], kind++ % 4, anchor, owners, rng);
                cluster.Add(contacts[slot].Id);
            }
            clusters.Add(cluster.ToArray());
        }
        return clusters;
    }

    private static Contact Copy(Contact o, Contact slot, (string, string, string) phone, int kind, DateTimeOffset anchor,
        DemoOwners owners, DemoRandom rng)
    {
        var copy = o with
        {
            Id = slot.Id,
            OwnerId = owners.Pick(rng, 0, 0),
            CreatedAt = slot.CreatedAt,
            ModifiedAt = DemoCompaniesBuilder.Modified(rng, anchor, slot.CreatedAt, 0),
            Phone = DemoVariants.FormatPhone(phone, rng.Next(5)),
        };
        if (copy.Phone == o.Phone) copy = copy with { Phone = DemoVariants.FormatPhone(phone, FormatOf(o.Phone) + 1) };
        return kind switch
        {
            // Typo in the last name; e-mail typed with capitals.
            0 => copy with { LastName = DemoVariants.Typo(o.LastName!, rng), Email = Capitalize(o.Email!) },
            // First and last name swapped; no phone this time.
            1 => copy with { FirstName = o.LastName, LastName = o.FirstName, Phone = null },
            // Same person, e-mail in capitals with a trailing space.
            2 => copy with { Email = o.Email!.ToUpperInvariant() + " " },
            // Typo in the first name, no e-mail: only name, company and phone digits tell.
            _ => copy with { FirstName = DemoVariants.Typo(o.FirstName!, rng), Email = null },
        };
    }

    private static bool IsClean(Contact c) =>
        c.CompanyId is not null && DataQualityChecks.IsValidEmail(c.Email) && DataQualityChecks.IsValidPhone(c.Phone, DataQualityOptions.DefaultPhoneRegion)
        && c.OwnerId is not null && c.LifecycleStage is not null;

    private static int FormatOf(string? phone) => phone switch
    {
        null => 0,
        _ when phone.Contains('(') => 1,
        _ when !phone.Contains(' ') && !phone.Contains('-') && !phone.Contains('.') => 2,
        _ when phone.Contains('-') => 3,
        _ when phone.Contains('.') => 4,
        _ => 0,
    };

    private static string Capitalize(string email)
    {
        var at = email.IndexOf('@');
        var parts = email[..at].Split('.');
        return string.Join('.', parts.Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..])) + email[at..];
    }

    private static string UniqueEmail(string first, string last, string domain, HashSet<string> used, DemoRandom rng)
    {
        var local = rng.Chance(0.2) ? $"{first[0]}{last}" : $"{first}.{last}";
        local = local.ToLowerInvariant();
        var email = $"{local}@{domain}";
        for (var k = 2; !used.Add(email); k++) email = $"{local}{k}@{domain}";
        return email;
    }

    /// <summary>
    /// Creation times, ascending. 30 % fall in the history window (so "contacts created in 7 days" has a history),
    /// the rest up to four years back; all within office hours.
    /// </summary>
    private static DateTimeOffset[] CreationTimes(DemoSourceOptions options, DateTimeOffset anchor, DemoRandom rng)
    {
        var h = options.HistoryDays;
        var times = new DateTimeOffset[options.Contacts];
        for (var i = 0; i < times.Length; i++)
        {
            var daysBack = rng.Chance(0.3) ? rng.Next(1, h + 1) : rng.Next(h + 1, Math.Max(h + 2, 1461));
            times[i] = DemoTime.At(anchor, -daysBack, rng.Between(8, 18));
        }
        Array.Sort(times);
        return times;
    }
}
