using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Tests.Demo;

/// <summary>The planted duplicate clusters: what makes them duplicates, and that they are the only exact or normalized ones.</summary>
[Collection(DefaultDemoOrgCollection.Name)]
public sealed class DemoDuplicateTests(DefaultDemoOrg org)
{
    /// <summary>The trimmed, lower-cased e-mail when it looks like an address ("n/a" and "x@y" are no key).</summary>
    private static string? NormEmail(Contact c) =>
        c.Email?.Trim().ToLowerInvariant() is { } e && e.Split('@') is [{ Length: > 0 }, var domain] && domain.Contains('.') ? e : null;

    private static string? Digits(Contact c) => c.Phone is null || c.Phone.Count(char.IsAsciiDigit) < 7 ? null : new string(c.Phone.Where(char.IsAsciiDigit).ToArray());

    /// <summary>Edit distance counting a swap of two adjacent letters as one edit (optimal string alignment).</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }

    [Fact]
    public void Each_contact_copy_keeps_the_company_and_the_email_or_the_phone_and_differs_in_one_planted_way()
    {
        var byId = org.Contacts.ToDictionary(c => c.Id);
        var kinds = new HashSet<string>();
        Assert.InRange(org.Facts.DuplicateContactClusters.Count, 200, 300); // 300 copies, one cluster in five has two
        Assert.Equal(300, org.Facts.DuplicateContactClusters.Sum(c => c.Count - 1)); // 1.5 % of 20000
        foreach (var cluster in org.Facts.DuplicateContactClusters)
        {
            var original = byId[cluster[0]];
            foreach (var copy in cluster.Skip(1).Select(id => byId[id]))
            {
                Assert.Equal(original.CompanyId, copy.CompanyId);
                Assert.True(copy.CreatedAt >= original.CreatedAt, copy.Id);
                var sameEmail = NormEmail(copy) is { } e && e == NormEmail(original);
                var samePhone = Digits(copy) is { } p && p == Digits(original);
                Assert.True(sameEmail || samePhone, copy.Id);
                Assert.NotEqual((original.FirstName, original.LastName, original.Email, original.Phone), (copy.FirstName, copy.LastName, copy.Email, copy.Phone));
                if (copy.FirstName == original.LastName && copy.LastName == original.FirstName) kinds.Add("swapped names");
                else if (copy.FirstName == original.FirstName && Distance(copy.LastName!, original.LastName!) == 1) kinds.Add("last name typo");
                else if (copy.LastName == original.LastName && Distance(copy.FirstName!, original.FirstName!) == 1) kinds.Add("first name typo");
                else if (copy.FirstName == original.FirstName && copy.LastName == original.LastName && copy.Email != original.Email) kinds.Add("email case/space");
                else Assert.Fail($"{copy.Id} is not a planted kind of copy of {original.Id}");
                if (samePhone && copy.Phone != original.Phone) kinds.Add("phone format");
            }
        }
        Assert.Equal(["email case/space", "first name typo", "last name typo", "phone format", "swapped names"], kinds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void No_contacts_outside_the_clusters_share_an_email_a_phone_or_a_name_at_the_same_company()
    {
        var clusterOf = org.Facts.DuplicateContactClusters.SelectMany((c, i) => c.Select(id => (id, i))).ToDictionary(x => x.id, x => x.i);
        void OnlyWithinClusters(string what, Func<Contact, string?> key)
        {
            foreach (var group in org.Contacts.Where(c => key(c) is not null).GroupBy(key).Where(g => g.Count() > 1))
            {
                var clusters = group.Select(c => clusterOf.TryGetValue(c.Id, out var i) ? i : -1).Distinct().ToList();
                Assert.True(clusters.Count == 1 && clusters[0] >= 0, $"{what} '{group.Key}' shared by {string.Join(", ", group.Select(c => c.Id))}");
            }
        }
        OnlyWithinClusters("e-mail", NormEmail);
        OnlyWithinClusters("phone", Digits);
        OnlyWithinClusters("name at company", c => string.Join("|", new[] { c.FirstName, c.LastName }.Order(StringComparer.Ordinal)) + "@" + c.CompanyId);
    }

    [Fact]
    public void Company_copies_share_the_domain_under_another_spelling_of_the_name_and_no_other_companies_share_a_domain()
    {
        var clusters = org.Facts.DuplicateCompanyClusters;
        Assert.Equal(40, clusters.Count); // 1 % of 4000
        var byId = org.Companies.ToDictionary(c => c.Id);
        foreach (var cluster in clusters)
        {
            var (original, copy) = (byId[cluster[0]], byId[cluster[1]]);
            Assert.Equal(original.Domain, copy.Domain);
            Assert.NotEqual(original.Name, copy.Name);
            Assert.StartsWith(original.Name![..4].ToUpperInvariant(), copy.Name!.ToUpperInvariant());
        }
        var shared = org.Companies.Where(c => c.Domain is not null).GroupBy(c => c.Domain).Where(g => g.Count() > 1)
            .Select(g => g.Select(c => c.Id).Order(StringComparer.Ordinal).ToList()).OrderBy(g => g[0], StringComparer.Ordinal);
        Assert.Equal(clusters.Select(c => c.Order(StringComparer.Ordinal).ToList()).OrderBy(g => g[0], StringComparer.Ordinal), shared);
    }

    /// <summary>The product's matcher (default options) finds exactly the planted clusters, survivor first, and nothing else.</summary>
    [Fact]
    public void The_matcher_finds_exactly_the_planted_clusters_and_no_others()
    {
        var names = org.Companies.Where(c => c.Name is not null).ToDictionary(c => c.Id, c => c.Name!);
        static List<List<string>> Canonical(IEnumerable<IEnumerable<string>> clusters) =>
            clusters.Select(c => c.Order(StringComparer.Ordinal).ToList()).OrderBy(c => c[0], StringComparer.Ordinal).ToList();

        var contacts = CrmPulse.Core.Dedupe.Deduplicator.FindContactClusters(org.Contacts, names, new CrmPulse.Core.Dedupe.DedupeOptions());
        var companies = CrmPulse.Core.Dedupe.Deduplicator.FindCompanyClusters(org.Companies, new CrmPulse.Core.Dedupe.DedupeOptions());

        Assert.Equal(Canonical(org.Facts.DuplicateContactClusters), Canonical(contacts.Select(c => c.RecordIds)));
        Assert.Equal(Canonical(org.Facts.DuplicateCompanyClusters), Canonical(companies.Select(c => c.RecordIds)));
        // The original (first in the facts) is the oldest record, so it is the survivor.
        var survivors = org.Facts.DuplicateContactClusters.Select(c => c[0]).Order(StringComparer.Ordinal);
        Assert.Equal(survivors, contacts.Select(c => c.SurvivorId).Order(StringComparer.Ordinal));
    }
}
