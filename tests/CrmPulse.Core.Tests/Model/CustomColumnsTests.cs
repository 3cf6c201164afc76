using CrmPulse.Core.Model;

namespace CrmPulse.Core.Tests.Model;

/// <summary>Custom fields held as columns (<see cref="CustomColumns"/>) read back as the very fields, order and values
/// each record had, share their repeated values, and records compare their custom fields by value.</summary>
public sealed class CustomColumnsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    // Each value a new string, as a store reads it, so that sharing is the columns' doing.
    private static Dictionary<string, string?> Fields(params (string Key, string? Value)[] pairs) =>
        pairs.ToDictionary(p => new string(p.Key.AsSpan()), p => p.Value is null ? null : new string(p.Value.AsSpan()), StringComparer.Ordinal);

    private static Contact Person(string id, IReadOnlyDictionary<string, string?>? custom = null) =>
        new() { Id = id, CreatedAt = T0, ModifiedAt = T0, Custom = custom ?? CrmRecord.EmptyFields };

    private static readonly Contact[] Records =
    [
        Person("c0"),
        Person("c1", Fields(("city", "Lyon"), ("postcode", "69001"))),
        // The same fields in the other order; a field present with a null value.
        Person("c2", Fields(("postcode", "75001"), ("city", null))),
        Person("c3", Fields(("city", "Lyon"))),
        // An empty dictionary: no fields, as a record without any.
        Person("c4", Fields()),
        Person("c5", Fields(("city", "Lyon"), ("postcode", "69001"))),
        // A field no record had before, alone.
        Person("c6", Fields(("tier", "gold"))),
        Person("c7"),
    ];

    [Fact]
    public void Every_row_reads_back_its_fields_in_their_order_with_null_values_apart_from_absent_fields()
    {
        var columns = ContactColumns.From(Records);

        for (var i = 0; i < Records.Length; i++)
        {
            Assert.Equal(Records[i].Custom.ToArray(), columns.Custom(i).ToArray());
            Assert.Equal(Records[i], columns[i]);
        }
        Assert.Equal(["postcode", "city"], columns.Custom(2).Keys);
        Assert.True(columns.Custom(2).ContainsKey("city"));
        Assert.Null(columns.Custom(2)["city"]);
        Assert.False(columns.Custom(3).ContainsKey("postcode"));
        Assert.Empty(columns.Custom(0));
        Assert.Empty(columns.Custom(4));
        Assert.Empty(columns.Custom(7));
        Assert.Equal(["tier"], columns.Custom(6).Keys);
    }

    [Fact]
    public void A_field_read_by_column_is_null_where_a_row_lacks_it_or_its_value_is_null()
    {
        var columns = ContactColumns.From(Records);

        Assert.Equal([null, "Lyon", null, "Lyon", null, "Lyon", null, null], Enumerable.Range(0, 8).Select(i => columns.CustomField("city")![i]));
        Assert.Equal([null, null, null, null, null, null, "gold", null], Enumerable.Range(0, 8).Select(i => columns.CustomField("tier")![i]));
        Assert.Null(columns.CustomField("street"));
        Assert.Null(ContactColumns.From([Person("a"), Person("b", Fields())]).CustomField("city"));
    }

    [Fact]
    public void Repeated_values_and_key_lists_are_held_once()
    {
        var columns = ContactColumns.From(Records);

        // Three records' own "Lyon" strings are one string in the columns, and one value of the field's table.
        Assert.Same(columns.Custom(1)["city"], columns.Custom(3)["city"]);
        Assert.Same(columns.Custom(1)["city"], columns.Custom(5)["city"]);
        Assert.Equal(["Lyon"], columns.CustomField("city")!.Values);
        Assert.Equal(["69001", "75001"], columns.CustomField("postcode")!.Values);
        Assert.Same(columns.Custom(1).Keys, columns.Custom(5).Keys);
    }

    [Fact]
    public void A_field_met_first_past_the_builders_capacity_reads_null_on_every_row_before()
    {
        var builder = new ContactColumns.Builder(capacity: 1);
        for (var i = 0; i < 40; i++) builder.Add(Person($"c{i}", i == 37 ? Fields(("late", "x"), ("late2", null)) : null));
        var columns = builder.Build();

        Assert.Equal(40, columns.Count);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => i == 37 ? "x" : null), Enumerable.Range(0, 40).Select(i => columns.CustomField("late")![i]));
        Assert.Equal(["late", "late2"], columns.Custom(37).Keys);
        Assert.Empty(columns.Custom(36));
        Assert.Empty(columns.Custom(39));
    }

    [Fact]
    public void Companies_and_deals_hold_their_custom_fields_as_columns_too()
    {
        var company = new Company { Id = "co1", Name = "Acme", Custom = Fields(("phone", "+33 1 23 45 67 89"), ("city", null)) };
        var deal = new Deal { Id = "d1", Name = "Big", Custom = Fields(("region", "EMEA")) };

        var companies = CompanyColumns.From([company, new Company { Id = "co2", Name = "Other" }]);
        var deals = DealColumns.From([new Deal { Id = "d0", Name = "Small" }, deal]);

        Assert.Equal(company, companies[0]);
        Assert.Equal(["phone", "city"], companies.Custom(0).Keys);
        Assert.Empty(companies.Custom(1));
        Assert.Equal(deal, deals[1]);
        Assert.Null(deals.CustomField("region")![0]);
        Assert.Equal("EMEA", deals.CustomField("region")![1]);
    }

    [Fact]
    public void Records_compare_their_custom_fields_by_keys_order_and_values()
    {
        var dictionary = Person("c1", Fields(("city", "Lyon"), ("postcode", null)));
        var compact = Person("c1", CompactFields.Of([new("city", "Lyon"), new("postcode", null)]));

        Assert.Equal(dictionary, compact);
        Assert.Equal(compact, dictionary);
        Assert.Equal(dictionary.GetHashCode(), compact.GetHashCode());
        Assert.NotEqual(dictionary, Person("c1", Fields(("postcode", null), ("city", "Lyon"))));
        Assert.NotEqual(dictionary, Person("c1", Fields(("city", "Lyon"))));
        Assert.NotEqual(dictionary, Person("c1", Fields(("city", "Lyon"), ("postcode", ""))));
        Assert.NotEqual(dictionary, Person("c1", Fields(("city", "lyon"), ("postcode", null))));
        Assert.Equal(Person("c1"), Person("c1", Fields()));
        // The other members still count, and a company is no contact.
        Assert.NotEqual(dictionary, dictionary with { OwnerId = "u1" });
        Assert.NotEqual<CrmRecord>(new Company { Id = "c1", CreatedAt = T0, ModifiedAt = T0 }, Person("c1"));
    }

    [Fact]
    public void A_key_given_twice_in_a_row_is_refused_with_its_name_and_row()
    {
        var builder = new ContactColumns.Builder();
        builder.Add(Person("c0"));
        var twice = new TwiceKeyed();

        var e = Assert.Throws<ArgumentException>(() => builder.Add(Person("c1", twice)));
        Assert.Contains("'city'", e.Message, StringComparison.Ordinal);
        Assert.Contains("row 1", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A dictionary that lists a key twice (no real one does; a faulty implementation could).</summary>
    private sealed class TwiceKeyed : IReadOnlyDictionary<string, string?>
    {
        private readonly KeyValuePair<string, string?>[] _pairs = [new("city", "a"), new("city", "b")];
        public string? this[string key] => _pairs.First(p => p.Key == key).Value;
        public IEnumerable<string> Keys => _pairs.Select(p => p.Key);
        public IEnumerable<string?> Values => _pairs.Select(p => p.Value);
        public int Count => _pairs.Length;
        public bool ContainsKey(string key) => _pairs.Any(p => p.Key == key);
        public IEnumerator<KeyValuePair<string, string?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string?>>)_pairs).GetEnumerator();
        public bool TryGetValue(string key, out string? value) => (value = ContainsKey(key) ? this[key] : null) is not null || ContainsKey(key);
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
