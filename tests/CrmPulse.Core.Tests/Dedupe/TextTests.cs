using CrmPulse.Core.Dedupe;

namespace CrmPulse.Core.Tests.Dedupe;

public sealed class TextTests
{
    [Theory]
    [InlineData("Robert", "R163")]   // r-1(b)-6(r)-3(t)
    [InlineData("Rupert", "R163")]   // vowels drop: p=1, r=6, t=3
    [InlineData("Ashcraft", "A261")] // h between s and c does not separate them: s=2, c=2 coded once
    [InlineData("Tymczak", "T522")]  // m=5, c=2 (z=2 joins it), k=2 after a vowel counts again
    [InlineData("Pfister", "P236")]  // f=1 has the first letter's code and is dropped
    [InlineData("Lee", "L000")]      // padded with zeros
    public void Soundex_follows_the_american_rules(string word, string code) => Assert.Equal(code, Text.Soundex(word));

    [Theory]
    [InlineData("martha", "marhta", 0.9611)] // 6 matches, 1 transposition: jaro 0.9444, prefix 3 → +0.0167
    [InlineData("dwayne", "duane", 0.84)]    // 4 matches, 0 transpositions: jaro 0.8222, prefix 1 → +0.0178
    [InlineData("dixon", "dicksonx", 0.8133)]
    [InlineData("abc", "xyz", 0)]
    public void Jaro_winkler_gives_the_textbook_values(string a, string b, double expected) =>
        Assert.Equal(expected, Text.JaroWinkler(a, b), 4);

    [Theory]
    [InlineData("martha", "marhta", 0.9611)]
    [InlineData("dwayne", "duane", 0.84)]
    [InlineData("dixon", "dicksonx", 0.8133)]
    [InlineData("abc", "xyz", 0)]
    public void The_bit_mask_jaro_winkler_gives_the_textbook_values(string a, string b, double expected) =>
        Assert.Equal(expected, Text.JaroWinklerShort(a, b), 4);

    /// <summary>The bit-mask matcher must pick the same matches as the textbook loop (the first unmatched equal
    /// character in the window), so every score is the same double: compared bit for bit on strings of a small alphabet
    /// (many repeated characters, so many choices) at every length up to 64 and across the 64/65 boundary.</summary>
    [Fact]
    public void The_bit_mask_jaro_winkler_equals_the_textbook_loop_bit_for_bit()
    {
        var random = new Random(17);
        string Word(int length, string alphabet) => new([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])]);
        var compared = 0;
        foreach (var alphabet in new[] { "ab", "abc", "aeiou", "abcdefghijklmnopqrstuvwxyz" })
        {
            for (var n = 0; n < 4000; n++)
            {
                var a = Word(random.Next(1, 65), alphabet);
                // Half the time a near copy (a typo or two), so that high similarities are covered too.
                var b = random.Next(2) == 0 ? Word(random.Next(1, 65), alphabet)
                    : new string([.. a.Select(c => random.Next(8) == 0 ? alphabet[random.Next(alphabet.Length)] : c)]);
                Assert.Equal(BitConverter.DoubleToInt64Bits(Text.JaroWinklerScalar(a, b)), BitConverter.DoubleToInt64Bits(Text.JaroWinkler(a, b)));
                Assert.Equal(BitConverter.DoubleToInt64Bits(Text.JaroWinklerScalar(a, b)), BitConverter.DoubleToInt64Bits(Text.JaroWinklerShort(a, b)));
                compared++;
            }
        }
        // Over 64 characters the textbook loop is used.
        var longA = new string('a', 70) + "b";
        var longB = "b" + new string('a', 70);
        Assert.Equal(Text.JaroWinklerScalar(longA, longB), Text.JaroWinkler(longA, longB));
        Assert.Equal(16000, compared);
    }

    [Theory]
    [InlineData("19610312", "19610312", true)]
    [InlineData("19610312", "19610313", true)]  // one digit replaced
    [InlineData("19610312", "19601312", true)]  // neighbours swapped
    [InlineData("2144", "21445", true)]         // one inserted
    [InlineData("19610312", "19620313", false)] // two digits
    [InlineData("2144", "4412", false)]
    public void Within_one_edit_allows_one_slip_of_the_keyboard(string a, string b, bool expected) =>
        Assert.Equal(expected, Text.WithinOneEdit(a, b));
}
