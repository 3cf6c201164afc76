using CrmPulse.Core.Dedupe;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Tests.Dedupe;

/// <summary>Extra fields (DedupeOptions.ExtraFields): compared by their kind, with the fixed weights.</summary>
public sealed class ExtraFieldTests
{
    // Two Grace Jensens of one city, nothing else known first 4 + last 6
    // + city 2 = 12 bits → 1 / (1 + 2^(9 − 12)) = 8/9 ≥ 0.8, one pair. Occupations "nurse" and "pilot" share no letter
    // (Jaro-Winkler 0): the extra field's disagreement, −2, leaves 10 bits → 2/3 < 0.8, two people. The same occupation
    // adds +1: 13 bits → 16/17.
    private static PersonRecord Grace(string id, string? occupation, string? gender = null) => new()
    {
        Id = id, FirstName = "Grace", LastName = "Jensen", City = "Oslo",
        Extra = new Dictionary<string, string?> { ["occupation"] = occupation, ["gender"] = gender },
    };

    private static DedupeOptions With(params (string Name, string Kind)[] fields)
    {
        var options = new DedupeOptions();
        foreach (var (name, kind) in fields) options.ExtraFields[name] = kind;
        return options;
    }

    [Fact]
    public void Without_the_extra_field_two_namesakes_of_one_city_are_one_person()
    {
        var result = Deduplicator.MatchPeople([Grace("1", "Nurse"), Grace("2", "pilot")], new DedupeOptions());

        var pair = Assert.Single(result.Pairs);
        Assert.Equal(8.0 / 9, pair.Score, 12);
    }

    [Fact]
    public void A_differing_text_field_separates_two_otherwise_similar_people()
    {
        var result = Deduplicator.MatchPeople([Grace("1", "Nurse"), Grace("2", "pilot")], With(("occupation", "text")));

        Assert.Empty(result.Pairs);
        Assert.Empty(result.Clusters);
    }

    [Fact]
    public void An_agreeing_extra_field_adds_its_small_weight_and_is_named_in_the_reason()
    {
        // "Nurse" and " nurse." are one value once normalized (lower-case words).
        var result = Deduplicator.MatchPeople([Grace("1", "Nurse"), Grace("2", " nurse.")], With(("occupation", "text")));

        var pair = Assert.Single(result.Pairs);
        Assert.Equal((16.0 / 17, "same name + address + occupation"), (pair.Score, pair.Reason), new ScoreAndReason());
    }

    [Fact]
    public void A_value_missing_on_one_side_gives_no_weight()
    {
        var result = Deduplicator.MatchPeople([Grace("1", "Nurse"), Grace("2", null)], With(("occupation", "text")));

        Assert.Equal(8.0 / 9, Assert.Single(result.Pairs).Score, 12);
    }

    [Fact]
    public void An_exact_field_differing_separates_them_and_a_date_field_one_digit_off_counts_half_way()
    {
        var exact = Deduplicator.MatchPeople([Grace("1", null, "F"), Grace("2", null, "m")], With(("gender", "exact")));
        Assert.Empty(exact.Pairs);

        // Date, one digit off: −2 + 3 · 0.5 = −0.5 → 11.5 bits → 1 / (1 + 2^(9 − 11.5)) = 0.8497.
        var a = Grace("1", null) with { Extra = new Dictionary<string, string?> { ["joined"] = "2019-04-12" } };
        var b = Grace("2", null) with { Extra = new Dictionary<string, string?> { ["joined"] = "2019-04-13" } };
        var date = Deduplicator.MatchPeople([a, b], With(("joined", "date")));
        Assert.Equal(1 / (1 + Math.Pow(2, 9 - 11.5)), Assert.Single(date.Pairs).Score, 12);
    }

    [Fact]
    public void The_kpi_pass_reads_extra_fields_from_the_contacts_custom_fields()
    {
        // The same two Grace Jensens as contacts: city and occupation are custom fields.
        static Contact Contact(string id, string occupation) => new()
        {
            Id = id, FirstName = "Grace", LastName = "Jensen", CreatedAt = DateTimeOffset.UnixEpoch,
            Custom = new Dictionary<string, string?> { ["city"] = "Oslo", ["occupation"] = occupation },
        };
        Contact[] contacts = [Contact("c1", "nurse"), Contact("c2", "pilot")];
        var names = new Dictionary<string, string>();

        Assert.Single(Deduplicator.FindContactClusters(contacts, names, new DedupeOptions()));
        Assert.Empty(Deduplicator.FindContactClusters(contacts, names, With(("occupation", "text"))));
    }

    [Theory]
    [InlineData("occupation", "number", "ExtraFields:occupation must be exact, text or date, was 'number'.")]
    [InlineData("city", "text", "ExtraFields:city: 'city' is compared already (a standard field); extra fields are other custom fields.")]
    public void Bad_extra_fields_are_named(string name, string kind, string expected)
    {
        Assert.Equal([expected], With((name, kind)).Validate());
    }

    [Fact]
    public void At_most_six_extra_fields()
    {
        var options = With([.. Enumerable.Range(1, 7).Select(i => ($"f{i}", "exact"))]);

        Assert.Equal(["ExtraFields: at most 6 extra fields, were 7."], options.Validate());
    }

    private sealed class ScoreAndReason : IEqualityComparer<(double, string)>
    {
        public bool Equals((double, string) x, (double, string) y) => Math.Abs(x.Item1 - y.Item1) < 1e-12 && x.Item2 == y.Item2;
        public int GetHashCode((double, string) obj) => 0;
    }
}
