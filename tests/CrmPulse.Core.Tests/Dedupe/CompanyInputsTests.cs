using CrmPulse.Core.Dedupe;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Tests.Dedupe;

/// <summary>The matcher reads companies held as columns (CompanyInputs) exactly as it reads them as records: the same
/// prepared values, fingerprints, keys and clusters, without a Company per row.</summary>
public sealed class CompanyInputsTests
{
    private static readonly DateTimeOffset T = new(2025, 6, 1, 9, 0, 0, TimeSpan.Zero);

    private static Dictionary<string, string?> Fields(params (string Key, string? Value)[] fields) =>
        fields.ToDictionary(f => f.Key, f => f.Value);

    /// <summary>Legal forms in capitals and with commas, a name that is only noise, domains as URLs, with "www.", an
    /// e-mail or no dot, blank and missing names and domains, phones, cities and postcodes under both names, parents,
    /// creation times at other offsets, a name longer than the stack buffer; <paramref name="notLatin1"/> adds a name
    /// with a character above U+00FF (the name column then holds strings, not bytes).</summary>
    private static List<Company> Companies(bool notLatin1)
    {
        List<Company> companies =
        [
            new() { Id = "co1", Name = "Acme Inc.", Domain = "https://www.Acme.com/about", CreatedAt = T,
                Custom = Fields(("phone", "+1 (415) 555-0199"), ("city", "Springfield")) },
            new() { Id = "co2", Name = "ACME, INC", Domain = " sales@acme.com ", CreatedAt = T.AddHours(-3).ToOffset(TimeSpan.FromHours(2)),
                Custom = Fields(("phone", "415.555.0199"), ("city", "springfield")) },
            new() { Id = "co3", Name = "The Company", Domain = "localhost", ParentId = "co1", CreatedAt = T.AddDays(1),
                Custom = Fields(("postal_code", "SW1A 1AA"), ("phone", "12")) },
            new() { Id = "co4", Name = null, Domain = null, CreatedAt = T.AddDays(2) },
            new() { Id = "co5", Name = "", Domain = "   ", CreatedAt = T.AddDays(3), Custom = Fields(("city", null), ("postcode", "  ")) },
            new() { Id = "co6", Name = "Lodz Holdings GmbH", Domain = "WWW.lodz.pl.", ParentId = "co9",
                CreatedAt = T.AddMinutes(5).ToOffset(TimeSpan.FromHours(-5)), Custom = Fields(("postcode", "90-001")) },
            new() { Id = "co7", Name = "Lodz Holdings", Domain = "http://lodz.pl:8080", CreatedAt = T.AddDays(4), Custom = Fields(("postcode", "90 001")) },
            new() { Id = "co8", Name = new string('x', 150) + " and " + new string('y', 150) + " Ltd", Domain = "long.example", CreatedAt = T.AddDays(5) },
        ];
        if (notLatin1) companies.Add(new() { Id = "co9", Name = "Łódź-Łańcut sp. z o.o.", Domain = "łódź.pl", CreatedAt = T.AddDays(6) });
        return companies;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Columns_and_records_give_the_same_prepared_values_fingerprints_and_keys(bool notLatin1)
    {
        var records = Companies(notLatin1);
        var columns = CompanyColumns.From(records);
        var fromColumns = new CompanyInputs(columns);
        var fromRecords = new CompanyInputs(records);

        Assert.Equal(records.Count, fromColumns.Count);
        var keysA = new long[PreparedCompany.MaxKeys];
        var keysB = new long[PreparedCompany.MaxKeys];
        for (var i = 0; i < records.Count; i++)
        {
            var a = fromColumns.Prepare(i);
            var b = fromRecords.Prepare(i);
            Assert.Equal(Describe(new PreparedCompany(records[i])), Describe(a));
            Assert.Equal(Describe(b), Describe(a));
            Assert.Equal(keysB[..b.AddKeys(keysB)], keysA[..a.AddKeys(keysA)]);
            Assert.Equal(records[i].Id, fromColumns.Id(i));
            Assert.Equal(fromRecords.Fingerprint(i), fromColumns.Fingerprint(i));
            // The fingerprint as stored states before the columns were read hash it, so those states stay valid.
            var c = records[i];
            Assert.Equal(Fingerprint.Start.Add(c.Id).Add(c.CreatedAt.UtcTicks).Add(c.ParentId).Add(c.Name).Add(c.Domain)
                .Add(c.Custom.GetValueOrDefault("phone")).Add(c.Custom.GetValueOrDefault("city"))
                .Add(c.Custom.GetValueOrDefault("postcode")).Add(c.Custom.GetValueOrDefault("postal_code")).Value, fromColumns.Fingerprint(i));
        }
        // Hand-checked values, so that the comparison above is of something.
        var acme = fromColumns.Prepare(1);
        Assert.Equal(("acme", "acme.com", "155550199", "springfield"), (acme.Name, acme.Domain, acme.Phone, acme.City));
        Assert.Equal(T.AddHours(-3), acme.CreatedAt);
        Assert.Equal(TimeSpan.FromHours(2), acme.CreatedAt.Offset);
        Assert.Equal(("acme", "acme.com"), (fromColumns.Prepare(0).Name, fromColumns.Prepare(0).Domain));
        // Only noise keeps its words; no dot, no domain; two digits, no phone; the postcode without its space.
        var company = fromColumns.Prepare(2);
        Assert.Equal(("the company", null, null, "sw1a1aa", "co1"), (company.Name, company.Domain, company.Phone, company.Postcode, company.ParentId));
        Assert.True(fromColumns.Prepare(4) is { Name: null, Domain: null, City: null, Postcode: null });
        var lodz = fromColumns.Prepare(5);
        Assert.Equal(("lodz", "lodz.pl", "90001"), (lodz.Name, lodz.Domain, lodz.Postcode));
        Assert.Equal(("lodz", "lodz.pl"), (fromColumns.Prepare(6).Name, fromColumns.Prepare(6).Domain));
        Assert.Equal(new string('x', 150) + " " + new string('y', 150), fromColumns.Prepare(7).Name);
        if (notLatin1) Assert.Equal(("łódź łańcut sp z o o", "łódź.pl"), (fromColumns.Prepare(8).Name, fromColumns.Prepare(8).Domain));
        // Keys: domain, name, phone, and the first word's Soundex code with the city (A250 for "acme").
        Assert.Equal([Text.KeyHash('d', "acme.com"), Text.KeyHash('n', "acme"), Text.KeyHash('p', "155550199"), Text.KeyHash('s', "A250", "springfield")],
            keysA[..acme.AddKeys(keysA)]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Columns_and_records_give_the_same_clusters_and_state(bool notLatin1)
    {
        var records = Companies(notLatin1);
        var columns = CompanyColumns.From(records);
        var options = new DedupeOptions();

        var full = IncrementalOrg.Render(Deduplicator.FindCompanyClusters(columns, options));
        Assert.Equal(IncrementalOrg.Render(Deduplicator.FindCompanyClusters(records, options)), full);
        // Acme twice (domain, name, phone), co2 the survivor (created first); Lodz Holdings twice (domain, name, postcode).
        Assert.Equal(["co2,co1", "co6,co7"], full.Select(c => c.Split(" | ")[0]));

        var a = IncrementalDeduplicator.Companies(columns, options, previous: null);
        var b = IncrementalDeduplicator.Companies(records, options, previous: null);
        Assert.Equal(full, IncrementalOrg.Render(a.Clusters));
        Assert.Equal(IncrementalOrg.Render(b.Clusters), IncrementalOrg.Render(a.Clusters));
        Assert.Equal(b.State.Ids, a.State.Ids);
        Assert.Equal(b.State.Fingerprints, a.State.Fingerprints);
        Assert.Equal(b.State.Keys, a.State.Keys);
        Assert.Equal(b.State.Links, a.State.Links);

        // A state made from records is read against columns as unchanged.
        var again = IncrementalDeduplicator.Companies(columns, options, b.State);
        Assert.Equal(0, again.Comparisons);
        Assert.True(again.Change.IsEmpty);
    }

    private static string Describe(PreparedCompany c) => string.Join("|",
        new[] { c.Id, c.CreatedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture), c.ParentId, c.Name, c.Domain, c.Phone, c.City, c.Postcode }
            .Select(v => v ?? "<null>"));
}
