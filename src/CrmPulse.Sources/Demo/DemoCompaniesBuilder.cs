using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Demo;

/// <summary>
/// Builds the companies, with their planted problems: missing domain and industry, misspelled industries, unowned
/// and deactivated-owned companies, stale ones, children (some whose parent is missing from the data) and duplicate
/// companies (same domain, another spelling of the name).
/// </summary>
internal static class DemoCompaniesBuilder
{
    public static (Company[] Companies, List<string[]> Duplicates) Build(
        DemoSourceOptions options, DateTimeOffset anchor, DemoOwners owners, DemoRandom rng)
    {
        var n = options.Companies;
        var width = Math.Max(4, (n + n / 100 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        var companies = new Company[n];
        var bases = new HashSet<string>(StringComparer.Ordinal);
        var domains = new HashSet<string>(StringComparer.Ordinal);

        // Duplicates are entered later than their originals: their slots lie in the second half of the ids.
        var dupCount = Math.Max(2, (int)Math.Round(n * 0.01));
        var slots = PickDistinct(rng, n / 2, n, dupCount);

        for (var i = 0; i < n; i++)
        {
            string name, domain;
            var tries = 0;
            do
            {
                var tail = rng.Pick(DemoNames.CompanyTails);
                name = rng.Pick(DemoNames.CompanyPrefixes) + rng.Pick(DemoNames.CompanyRoots) + (tail.Length > 0 ? " " + tail : "");
                if (++tries > 30) name += " " + (i + 1);
            }
            while (!bases.Add(name));
            domain = DemoVariants.Slug(name) + "." + rng.Pick(DemoNames.TopLevelDomains);
            if (!domains.Add(domain)) domains.Add(domain = DemoVariants.Slug(name) + (i + 1) + ".com");

            string? industry = rng.Pick(DemoNames.Industries);
            if (rng.Chance(0.06)) industry = null;
            else if (rng.Chance(0.03) && DemoNames.IndustryVariants.TryGetValue(industry, out var variants)) industry = rng.Pick(variants);

            var created = DemoTime.At(anchor, -rng.Between(30, 1800));
            companies[i] = new Company
            {
                Id = Id(i, width),
                Name = name + rng.Pick(DemoNames.LegalSuffixes),
                Domain = rng.Chance(0.04) ? null : domain,
                Industry = industry,
                OwnerId = owners.Pick(rng, 0.03, 0.015),
                CreatedAt = created,
                ModifiedAt = Modified(rng, anchor, created, 0.2),
                // About 5 % are subsidiaries of an older company.
                ParentId = i > 10 && rng.Chance(0.05) ? Id(rng.Next(i), width) : null,
            };
        }

        // Children whose parent was deleted: the parent id points past the last company.
        var missingParents = Math.Max(2, n / 200);
        var order = Enumerable.Range(0, n).Where(i => !slots.Contains(i)).ToArray();
        rng.Shuffle(order);
        for (var k = 0; k < missingParents; k++)
        {
            var i = order[k];
            companies[i] = companies[i] with { ParentId = Id(n + k, width) };
        }

        var used = new HashSet<int>(order.Take(missingParents));
        var duplicates = new List<string[]>();
        var v = 0;
        foreach (var slot in slots.Order())
        {
            int original;
            var tries = 0;
            do original = rng.Next(slot);
            while ((slots.Contains(original) || used.Contains(original) || companies[original].Domain is null) && ++tries < 200);
            if (tries >= 200) continue;
            used.Add(original);
            used.Add(slot);
            var o = companies[original];
            var created = companies[slot].CreatedAt;
            companies[slot] = o with
            {
                Id = Id(slot, width),
                Name = DemoVariants.CompanyName(o.Name!, v++),
                OwnerId = owners.Pick(rng, 0, 0),
                ParentId = null,
                CreatedAt = created,
                ModifiedAt = Modified(rng, anchor, created, 0),
            };
            duplicates.Add([o.Id, companies[slot].Id]);
        }
        return (companies, duplicates);
    }

    public static string Id(int index, int width) => "co-" + (index + 1).ToString("D" + width, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// ModifiedAt of a static record: either stale (last touched more than 400 days before the anchor, only for
    /// records that old) or touched within the last 340 days. The gap keeps every record clear of the 365-day line.
    /// </summary>
    public static DateTimeOffset Modified(DemoRandom rng, DateTimeOffset anchor, DateTimeOffset created, double staleChance)
    {
        var staleLine = DemoTime.At(anchor, -400.0);
        if (created < staleLine && rng.Chance(staleChance)) return DemoTime.Between(rng, created, staleLine);
        var from = DemoTime.Max(created, DemoTime.At(anchor, -340.0));
        return DemoTime.Between(rng, from, anchor.AddSeconds(-1));
    }

    /// <summary>Distinct integers from [from, to), in the order drawn.</summary>
    public static HashSet<int> PickDistinct(DemoRandom rng, int from, int to, int count)
    {
        var set = new HashSet<int>();
        count = Math.Min(count, to - from);
        while (set.Count < count) set.Add(rng.Next(from, to));
        return set;
    }
}
