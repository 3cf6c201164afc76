using CrmPulse.Core.Dedupe;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Tests.Dedupe;

/// <summary>The matcher reads contacts held as columns (ContactInputs) exactly as it reads them as records: the same
/// prepared values, fingerprints, keys and clusters.</summary>
public sealed class ContactInputsTests
{
    private static readonly DateTimeOffset T = new(2025, 6, 1, 9, 0, 0, TimeSpan.Zero);

    private static Dictionary<string, string?> Fields(params (string Key, string? Value)[] fields) =>
        fields.ToDictionary(f => f.Key, f => f.Value);

    /// <summary>Nulls and empty texts, nicknames, a title as a name, names and companies many contacts share, e-mails
    /// with capitals and spaces or not addresses at all, phones in several formats, custom fields under their aliases,
    /// an extra field, creation times at other offsets; <paramref name="notLatin1"/> adds an e-mail with a character above
    /// U+00FF (the e-mail column then holds strings, not bytes).</summary>
    private static List<Contact> Contacts(bool notLatin1) =>
    [
        new() { Id = "c01", FirstName = "Robert", LastName = "Miller", Email = "rob.miller@acme.com", Phone = "+1 (415) 555-0199",
            CompanyId = "co-1", CreatedAt = T, Custom = Fields(("city", "Springfield"), ("postal_code", "SW1A 1AA"), ("team", "Red")) },
        new() { Id = "c02", FirstName = "Bob", LastName = "Miller", Email = " Rob.Miller@ACME.com ", Phone = "415.555.0199",
            CompanyId = "co-1", CreatedAt = T.AddHours(-3).ToOffset(TimeSpan.FromHours(2)), Custom = Fields(("town", "springfield"), ("team", "red")) },
        new() { Id = "c03", FirstName = "Mr", LastName = "Miller", Email = "n/a", Phone = "12", CompanyId = "", CreatedAt = T.AddDays(1) },
        new() { Id = "c04", FirstName = null, LastName = null, Email = null, Phone = null, CompanyId = null, CreatedAt = T.AddDays(2) },
        new() { Id = "c05", FirstName = "", LastName = "", Email = "", Phone = "", CompanyId = "co-2", CreatedAt = T.AddDays(3),
            Custom = Fields(("street", "6 Tullaroop Street"), ("zip", "4883"), ("dob", "1962-01-31"), ("state", "VIC")) },
        new() { Id = "c06", FirstName = "Katherine", LastName = "O'Brien", Email = "kate@obrien.ie", Phone = "0871234567",
            CompanyId = "co-2", CreatedAt = T.AddMinutes(5).ToOffset(TimeSpan.FromHours(-5)),
            Custom = Fields(("street_address", "6 tullaroop st"), ("postcode", "4838"), ("birth_date", "19620131")) },
        new() { Id = "c07", FirstName = "Kate", LastName = "OBrien", Email = notLatin1 ? "kate@łódź.pl" : "Kate@Obrien.ie",
            Phone = "+353 87 123 4567", CompanyId = "co-2", CreatedAt = T.AddMinutes(5),
            Custom = Fields(("address", "6 Tullaroop Street"), ("postcode", "4883"), ("birthdate", "1962-01-31"), ("team", "")) },
        new() { Id = "c08", FirstName = "Zoë", LastName = "Smith", Email = "ZOË@example.com", Phone = "020 7946 0018",
            CompanyId = "co-3", CreatedAt = T.AddDays(4) },
        new() { Id = "c09", FirstName = "Zoe", LastName = "Smith", Email = "zoe@example.com", Phone = "+44 20 7946 0018",
            CompanyId = "co-3", CreatedAt = T.AddDays(5), Custom = Fields(("city", null), ("town", "  "), ("team", "blue")) },
        new() { Id = "c10", FirstName = "John", LastName = "Smith", Email = "jsmith@beta.org", Phone = "617 555 0123",
            CompanyId = "co-4", CreatedAt = T.AddDays(6) },
    ];

    private static DedupeOptions Options(bool extra)
    {
        // Fixed weights: a hand-built set is far below the size fitted weights need.
        var options = new DedupeOptions { Weights = DedupeWeights.Fixed };
        if (extra) options.ExtraFields["team"] = "exact";
        return options;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Columns_and_records_give_the_same_prepared_values_fingerprints_and_keys(bool notLatin1, bool extra)
    {
        var records = Contacts(notLatin1);
        var columns = ContactColumns.From(records);
        var extras = Options(extra).Extras();
        var fromColumns = new ContactInputs(columns, extras, new StringPool());
        var fromRecords = new ContactInputs(records, extras, new StringPool());

        Assert.Equal(records.Count, fromColumns.Count);
        var keysA = new long[PreparedPerson.MaxKeys];
        var keysB = new long[PreparedPerson.MaxKeys];
        for (var i = 0; i < records.Count; i++)
        {
            var a = fromColumns.Prepare(i);
            var b = fromRecords.Prepare(i);
            var direct = Deduplicator.PrepareContact(records[i], extras, pool: null);
            Assert.Equal(Describe(b, extras.Count), Describe(a, extras.Count));
            Assert.Equal(Describe(direct, extras.Count), Describe(a, extras.Count));
            Assert.Equal(keysB[..b.AddKeys(keysB)], keysA[..a.AddKeys(keysA)]);
            Assert.Equal(records[i].Id, fromColumns.Id(i));
            Assert.Equal(Deduplicator.ContactFingerprint(records[i], extras), fromColumns.Fingerprint(i));
            Assert.Equal(fromRecords.Fingerprint(i), fromColumns.Fingerprint(i));
        }
        // A few hand-checked values, so that the comparison above is of something: a nickname's formal name, an e-mail
        // trimmed and lower-cased, a phone's last nine digits, a company by its id, a city under an alias, the instant.
        var bob = fromColumns.Prepare(1);
        Assert.Equal(("bob", "robert", "rob.miller@acme.com", "155550199", "#co-1", "springfield"),
            (bob.First, bob.FirstCanonical, bob.Email, bob.Phone, bob.Company, bob.City));
        Assert.Equal(T.AddHours(-3), bob.CreatedAt);
        // A title is no name, "n/a" no e-mail, two digits no phone, an empty company id no company.
        var title = fromColumns.Prepare(2);
        Assert.Equal("miller", title.Last);
        Assert.True(title.First is null && title.Email is null && title.Phone is null && title.Company is null);
        Assert.Equal(("zoë", "zoë@example.com", "sw1a1aa"), (fromColumns.Prepare(7).First, fromColumns.Prepare(7).Email, fromColumns.Prepare(0).Postcode));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void Columns_and_records_give_the_same_clusters_and_state(bool notLatin1, bool extra)
    {
        var records = Contacts(notLatin1);
        var columns = ContactColumns.From(records);
        var options = Options(extra);
        var names = new Dictionary<string, string>();

        var full = IncrementalOrg.Render(Deduplicator.FindContactClusters(columns, names, options));
        Assert.Equal(IncrementalOrg.Render(Deduplicator.FindContactClusters(records, names, options)), full);
        // Robert/Bob Miller (phone, e-mail); Katherine/Kate O'Brien (phone, address, birth date), joined by c05, nameless
        // but at their company, street, postcode and birth date; Zoë/Zoe Smith (phone, company).
        Assert.Equal(["c02,c01", "c06,c07,c05", "c08,c09"], full.Select(c => c.Split(" | ")[0]));

        var a = IncrementalDeduplicator.Contacts(columns, options, previous: null);
        var b = IncrementalDeduplicator.Contacts(records, options, previous: null);
        Assert.Equal(full, IncrementalOrg.Render(a.Clusters));
        Assert.Equal(IncrementalOrg.Render(b.Clusters), IncrementalOrg.Render(a.Clusters));
        Assert.Equal(b.State.Ids, a.State.Ids);
        Assert.Equal(b.State.Fingerprints, a.State.Fingerprints);
        Assert.Equal(b.State.SortKeys, a.State.SortKeys);
        Assert.Equal(b.State.Keys, a.State.Keys);
        Assert.Equal(b.State.Links, a.State.Links);

        // A state made from records is read against columns as unchanged (and the other way round).
        var again = IncrementalDeduplicator.Contacts(columns, options, b.State);
        Assert.Equal(0, again.Comparisons);
        Assert.True(again.Change.IsEmpty);
    }

    /// <summary>E-mails read from a one-byte column and rewritten (capitals, spaces) are kept as slices of shared blocks,
    /// not as a string each: a string costs its text's two bytes a character plus 22 bytes of header, length and
    /// terminator, which at a million contacts was about 85 MB of the first full match's memory.</summary>
    [Fact]
    public void Emails_read_from_columns_cost_their_characters_not_a_string_each()
    {
        const int count = 20_000;
        var records = Enumerable.Range(0, count).Select(i => new Contact
        {
            Id = $"c{i:D5}", Email = $" Person.{i:D5}@Example.com", CreatedAt = T,
        }).ToList();
        var columns = ContactColumns.From(records);
        var inputs = new ContactInputs(columns, [], new StringPool());
        var prepared = new PreparedPerson[count];
        prepared[0] = inputs.Prepare(0); // the first call may set up what every call shares
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < count; i++) prepared[i] = inputs.Prepare(i);
        var perContact = (double)(GC.GetAllocatedBytesForCurrentThread() - before) / count;

        var emailChars = "person.00000@example.com".Length;
        Assert.Equal("person.01234@example.com", prepared[1234].Email);
        Assert.True(perContact < 2 * emailChars + 8, $"{perContact:F1} bytes per contact for e-mails of {emailChars} characters");
    }

    private static string Describe(PreparedPerson p, int extras)
    {
        var values = new List<string?>
        {
            p.Id, p.CreatedAt?.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture), p.First, p.Last, p.FirstCanonical,
            p.Email, p.EmailLocal.ToString(), p.EmailDomain.ToString(), p.Phone, p.Company, p.Street, p.City, p.Postcode, p.State,
            p.BirthDate, p.SortKey().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        for (var e = 0; e < extras; e++) values.Add(p.Extra(e));
        return string.Join("|", values.Select(v => v ?? "<null>"));
    }
}
