using CrmPulse.Core.Dedupe;

namespace CrmPulse.Core.Tests.Dedupe;

public sealed class PersonScorerTests
{
    private static PreparedPerson P(PersonRecord r) => new(r, PreparedPerson.CompanyKey(r));

    [Fact]
    public void The_early_stop_never_changes_which_pairs_reach_the_threshold()
    {
        // Every candidate pair of febrl2 (5,000 records): scored fully and with the early stop at 0.8.
        var (people, _) = AccuracyData.Load("febrl2.csv");
        var prepared = people.Select(P).ToArray();
        var (pairs, count) = BlockMatcher.Candidates(prepared.Length, PreparedPerson.MaxKeys, (i, k) => prepared[i].AddKeys(k), 50);

        var stopped = 0;
        for (var k = 0; k < count; k++)
        {
            var (a, b) = (prepared[(int)(pairs[k] >> 32)], prepared[(int)(pairs[k] & 0xFFFFFFFF)]);
            var (full, fast) = (PersonScorer.Score(a, b), PersonScorer.Score(a, b, 0.8));
            if (full >= 0.8) Assert.Equal(full, fast);
            else Assert.True(fast < 0.8, $"{a.Id} / {b.Id}: {fast} from a full score of {full}");
            if (fast != full) stopped++;
        }
        // Febrl records carry up to nine fields, so many candidates keep a high bound and only about a third stop early
        // here (CRM contacts, with fewer fields, stop more often).
        Assert.True(stopped >= count / 4, $"the early stop should spare a quarter of the candidates or more, spared {stopped} of {count}");
    }

    [Fact]
    public void Namesakes_with_numbered_emails_at_one_provider_are_two_people()
    {
        // name 10, e-mail: same letters once digits and dots are left out → a numbered namesake, disagreement −2 → 8.
        var a = P(new PersonRecord { Id = "a", FirstName = "Mary", LastName = "Fitz", Email = "mary.fitz@outlook.com" });
        var b = P(new PersonRecord { Id = "b", FirstName = "Mary", LastName = "Fitz", Email = "maryfitz15@outlook.com" });

        Assert.Equal(1 / (1 + Math.Pow(2, 9 - 8)), PersonScorer.Score(a, b), 12);
    }

    [Fact]
    public void A_personal_address_beside_a_work_address_is_no_evidence_against_the_pair()
    {
        // The benchmark's "other e-mail" copy: name 10 + the same company id 2 = 12 bits → 1/(1 + 2^−3). Before, the
        // two addresses took the e-mail's −2 (10 bits, 2/3: missed). A personal provider beside any other domain is a
        // second mailbox of one person, like a missing e-mail: 0.
        var work = P(new PersonRecord { Id = "a", FirstName = "Thomas", LastName = "Cromholt", CompanyId = "co1", Email = "thomas.cromholt@meadowgrove.example" });
        var home = P(new PersonRecord { Id = "b", FirstName = "Thomas", LastName = "Cromholt", CompanyId = "co1", Email = "thomascromholt14@yahoo.com" });
        var gmail = P(new PersonRecord { Id = "c", FirstName = "Thomas", LastName = "Cromholt", CompanyId = "co1", Email = "tom.c@gmail.com" });
        // Two company domains that differ still count against the pair: 12 − 2 = 10 → 2/3.
        var other = P(new PersonRecord { Id = "d", FirstName = "Thomas", LastName = "Cromholt", CompanyId = "co1", Email = "thomas.cromholt@otherco.example" });

        Assert.Equal(1 / (1 + Math.Pow(2, -3)), PersonScorer.Score(work, home), 12);
        Assert.Equal("same name + company", PersonScorer.Reason(work, home));
        Assert.Equal(1 / (1 + Math.Pow(2, -3)), PersonScorer.Score(home, gmail), 12);
        Assert.Equal(2.0 / 3, PersonScorer.Score(work, other), 12);
        // At one provider a numbered user name is still a namesake (the rule above): 12 − 2 = 10.
        var numbered = P(new PersonRecord { Id = "e", FirstName = "Thomas", LastName = "Cromholt", CompanyId = "co1", Email = "thomas.cromholt7@yahoo.com" });
        Assert.Equal(2.0 / 3, PersonScorer.Score(home, numbered), 12);
    }

    [Fact]
    public void A_differing_user_name_adds_nothing_when_the_names_differ_too()
    {
        // first 4 + last (treson/treison: Jaro-Winkler ≥ 0.95 → all of 6) = 10. The user names at one domain look
        // like a typo (a positive e-mail weight), but the names differ, so the e-mail adds 0: W = 10 → 1/(1 + 2^−1) = 2/3.
        var a = P(new PersonRecord { Id = "a", FirstName = "Emily", LastName = "Treson", Email = "emily.treson@acme.com" });
        var b = P(new PersonRecord { Id = "b", FirstName = "Emily", LastName = "Treison", Email = "emily.treison@acme.com" });

        Assert.Equal(2.0 / 3, PersonScorer.Score(a, b), 12);
    }

    [Fact]
    public void A_first_of_january_placeholder_is_the_year_only()
    {
        // "james", 1831-01-01 twice: first 4 + a full date 7 was 11 bits (0.80, a match). The date is the year only:
        // first 4 + year 3 = 7 → 1/(1 + 2^2) = 0.2.
        var a = P(new PersonRecord { Id = "a", FirstName = "James", BirthDate = "1831-01-01" });
        var b = P(new PersonRecord { Id = "b", FirstName = "James", BirthDate = "1831-01-01" });
        // Against a full date of that year: names 10 + year 3 = 13 → 1/(1 + 2^−4); another year: 10 − 3 = 7.
        var full = P(new PersonRecord { Id = "c", FirstName = "James", LastName = "Hardy", BirthDate = "1831-06-12" });
        var sameYear = P(new PersonRecord { Id = "d", FirstName = "James", LastName = "Hardy", BirthDate = "1831-01-01" });
        var otherYear = P(new PersonRecord { Id = "e", FirstName = "James", LastName = "Hardy", BirthDate = "1832-01-01" });
        // A full date still counts in full: 10 + 7 = 17.
        var twin = P(new PersonRecord { Id = "f", FirstName = "James", LastName = "Hardy", BirthDate = "1831-06-12" });

        Assert.Equal(0.2, PersonScorer.Score(a, b), 12);
        Assert.Equal(1 / (1 + Math.Pow(2, -4)), PersonScorer.Score(full, sameYear), 12);
        Assert.Equal("same name + birth year", PersonScorer.Reason(full, sameYear));
        Assert.Equal(0.2, PersonScorer.Score(full, otherYear), 12);
        Assert.Equal(1 / (1 + Math.Pow(2, -8)), PersonScorer.Score(full, twin), 12);
    }

    [Fact]
    public void A_title_in_a_name_field_is_no_name()
    {
        // "Sir Baronet" twice with one birth date: the names were 4 + 6 and the date 7 = 17 bits. Titles name no one:
        // the date alone, 7 bits → 0.2. A real name beside a title still counts: "Sir" "Hardy" → last name 6 + 7 = 13.
        var a = P(new PersonRecord { Id = "a", FirstName = "Sir", LastName = "Baronet", BirthDate = "1850-03-04" });
        var b = P(new PersonRecord { Id = "b", FirstName = "sir", LastName = "BARONET", BirthDate = "1850-03-04" });
        var c = P(new PersonRecord { Id = "c", FirstName = "Sir", LastName = "Hardy", BirthDate = "1850-03-04" });
        var d = P(new PersonRecord { Id = "d", FirstName = "Mr.", LastName = "Hardy", BirthDate = "1850-03-04" });

        Assert.Equal((null, null), (a.First, a.Last));
        Assert.Equal(0.2, PersonScorer.Score(a, b), 12);
        Assert.Equal(1 / (1 + Math.Pow(2, -4)), PersonScorer.Score(c, d), 12);
    }
}
