using CrmPulse.Core.Dedupe;

namespace CrmPulse.Core.Tests.Dedupe;

/// <summary>A prepared person's phone is its last nine digits (seven or more) packed in an int rather than a string:
/// the digits, equality, the phone key, the comparison levels and the score must be what the digits as text give.</summary>
public sealed class PreparedPhoneTests
{
    private static PreparedPerson Person(string id, string? phone) =>
        new(new PersonRecord { Id = id, FirstName = "Ann", LastName = "Lee", Phone = phone }, company: null);

    [Theory]
    [InlineData("+44 20 7946 0018", "079460018")] // twelve digits: the last nine, a leading zero kept
    [InlineData("020 7946 0018", "079460018")]
    [InlineData("999-999-999", "999999999")] // the largest value nine digits hold
    [InlineData("000-0001", "0000001")] // seven digits, all but one zero
    [InlineData("0000 0001", "00000001")]
    [InlineData("123-4567", "1234567")]
    [InlineData("12-345", null)] // under seven digits: no phone
    [InlineData("n/a", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void The_phone_is_its_last_nine_digits(string? raw, string? digits)
    {
        var p = Person("a", raw);

        Assert.Equal(digits, p.Phone);
        Assert.Equal(digits is not null, p.HasPhone);
        Assert.Equal(digits ?? "", p.PhoneDigits(stackalloc char[9]).ToString());
    }

    [Fact]
    public void Phones_are_equal_when_their_digits_are_and_the_length_counts()
    {
        // "0000001" and "000000001" have one value (1) but are two phones, as their texts are.
        var (seven, eight, nine) = (Person("a", "000 0001"), Person("b", "0000 0001"), Person("c", "000 000 001"));
        var (london, local) = (Person("d", "+44 20 7946 0018"), Person("e", "020 7946 0018"));

        Assert.False(seven.SamePhone(eight));
        Assert.False(seven.SamePhone(nine));
        Assert.False(eight.SamePhone(nine));
        Assert.True(london.SamePhone(local));
        Assert.False(london.SamePhone(Person("f", "020 7946 0019")));
    }

    [Fact]
    public void The_phone_key_is_the_hash_of_its_digits()
    {
        var keys = new long[PreparedPerson.MaxKeys];
        var n = Person("a", "+44 20 7946 0018").AddKeys(keys);

        Assert.Contains(Text.KeyHash('p', "079460018"), keys[..n]);
        Assert.DoesNotContain(Text.KeyHash('p', "079460018"), keys[..Person("b", "0000 0001").AddKeys(keys)]);
    }

    [Theory]
    [InlineData("020 7946 0018", "+44 20 7946 0018", 1)] // the same digits
    [InlineData("020 7946 0018", "020 7946 0019", 2)] // one substitution
    [InlineData("020 7946 0018", "020 7946 1800", 3)] // more
    [InlineData("0000001", "000000001", 3)] // two insertions apart
    [InlineData("1234567", "12345678", 2)] // one insertion
    [InlineData("020 7946 0018", null, 0)]
    public void Phone_levels_are_those_of_the_digits_as_text(string? x, string? y, byte level)
    {
        var levels = new PersonLevels([]);

        Assert.Equal(level, levels.CheapLevel(PersonLevels.Phone, Person("a", x), Person("b", y)));
        Assert.Equal(level, PersonLevels.ExactOrOneEdit(Person("a", x).Phone, Person("b", y).Phone));
    }
}
