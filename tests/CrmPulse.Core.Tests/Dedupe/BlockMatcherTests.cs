using CrmPulse.Core.Dedupe;

namespace CrmPulse.Core.Tests.Dedupe;

public sealed class BlockMatcherTests
{
    private static List<(int, int)> Pairs(long[][] keysPerRecord, int maxBlockSize = 50)
    {
        var (pairs, count) = BlockMatcher.Candidates(keysPerRecord.Length, 4, (i, span) =>
        {
            keysPerRecord[i].CopyTo(span);
            return keysPerRecord[i].Length;
        }, maxBlockSize);
        return pairs.Take(count).Select(p => ((int)(p >> 32), (int)(p & 0xFFFFFFFF))).ToList();
    }

    [Fact]
    public void Records_sharing_a_key_are_paired_once_in_order_whatever_the_low_bits_of_the_hash()
    {
        // Hashes with every low bit set (-1 is all ones): the record index replaces those bits, the key stays the key.
        const long a = -1, b = 0x7000_0000_0000_0000, c = 0x1234_5678_9ABC_DEF0;
        var pairs = Pairs([
            [a, b],    // 0
            [c],       // 1
            [a],       // 2
            [b, a, a], // 3: one key twice pairs with nobody new (no self-pair), and 0–3 is listed once
            [],        // 4: no keys
            [c],       // 5
        ]);
        Assert.Equal([(0, 2), (0, 3), (1, 5), (2, 3)], pairs);
    }

    [Fact]
    public void A_block_larger_than_the_cap_gives_no_candidates()
    {
        const long common = 42L << 40, rare = 7L << 40;
        long[][] records = [[common, rare], [common], [common], [common, rare]];
        Assert.Equal([(0, 3)], Pairs(records, maxBlockSize: 3));
        Assert.Equal(6, Pairs(records, maxBlockSize: 4).Count); // one block of 4 records: 6 pairs (0–3 shares both keys, counted once)
    }
}
