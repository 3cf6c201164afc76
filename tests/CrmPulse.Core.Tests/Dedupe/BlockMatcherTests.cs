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
    public void Candidates_from_keys_already_written_are_those_of_the_writer_and_leave_the_keys_as_they_were()
    {
        // The full match that builds the incremental state writes every record's keys once, keeps them in record order
        // for the state, and makes the candidates from a sorted copy (BlockMatcher.RecordKeys, then Candidates).
        const long a = -1, b = 0x7000_0000_0000_0000, c = 0x1234_5678_9ABC_DEF0;
        long[][] perRecord = [[a, b], [c], [a], [b, a, a], [], [c]];
        var (keys, counts) = BlockMatcher.RecordKeys(perRecord.Length, 4, (i, span) =>
        {
            perRecord[i].CopyTo(span);
            return perRecord[i].Length;
        });
        Assert.Equal(perRecord.SelectMany(k => k).ToArray(), keys);
        Assert.Equal(perRecord.Select(k => k.Length).ToArray(), counts);

        var written = keys.ToArray();
        var (pairs, count) = BlockMatcher.Candidates(keys, counts, reuse: false, maxBlockSize: 50);

        Assert.Equal(written, keys);
        Assert.Equal([(0, 2), (0, 3), (1, 5), (2, 3)], pairs.Take(count).Select(p => ((int)(p >> 32), (int)(p & 0xFFFFFFFF))));
        Assert.Equal(Pairs(perRecord), pairs.Take(count).Select(p => ((int)(p >> 32), (int)(p & 0xFFFFFFFF))));
    }

    [Fact]
    public void Only_keys_that_records_share_are_copied_and_sorted_and_every_pair_is_found()
    {
        // 100,000 records with four keys each: three their own (an e-mail, a phone), one shared with the next record.
        // The keys alone are 3.2 MB; copying them all to sort them cost that much again on every full match.
        const int count = 100_000;
        var keys = new long[count * 4];
        var counts = new int[count];
        var random = new Random(7);
        for (var i = 0; i < count; i++)
        {
            counts[i] = 4;
            for (var k = 0; k < 3; k++) keys[i * 4 + k] = random.NextInt64() | 1L << 62;
            keys[i * 4 + 3] = (long)(i / 2 + 1) << 40;
        }
        var written = keys.ToArray();
        BlockMatcher.Candidates(keys, counts, reuse: false, maxBlockSize: 50); // JIT and statics out of the figure

        var before = GC.GetAllocatedBytesForCurrentThread();
        var (pairs, found) = BlockMatcher.Candidates(keys, counts, reuse: false, maxBlockSize: 50);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(written, keys);
        Assert.Equal(Enumerable.Range(0, count / 2).Select(i => (long)(2 * i) << 32 | (uint)(2 * i + 1)), pairs.Take(found));
        Assert.True(allocated < keys.Length * sizeof(long), $"{allocated:N0} bytes allocated for {keys.Length * sizeof(long):N0} bytes of keys");
    }

    [Fact]
    public void A_block_larger_than_the_cap_gives_no_candidates()
    {
        const long common = 42L << 40, rare = 7L << 40;
        long[][] records = [[common, rare], [common], [common], [common, rare]];
        Assert.Equal([(0, 3)], Pairs(records, maxBlockSize: 3));
        Assert.Equal(6, Pairs(records, maxBlockSize: 4).Count); // one block of 4 records: 6 pairs (0–3 shares both keys, counted once)
    }

    private static List<int[]> Clusters(double minLinkShare, params (int L, int R, double S)[] matches) =>
        BlockMatcher.Clusters(matches.Select(m => new BlockMatcher.Match(m.L, m.R, m.S)).ToList(), minLinkShare)
            .Select(c => c.Order().ToArray()).OrderBy(c => c[0]).ToList();

    [Fact]
    public void One_weak_link_between_two_pairs_does_not_chain_them_into_one_cluster()
    {
        // 0–1 and 2–3 are strong pairs; 1–2 is one weak bridge: 1 of the 4 pairs between {0,1} and {2,3} (0.25).
        (int, int, double)[] chain = [(0, 1, 0.99), (2, 3, 0.98), (1, 2, 0.81)];

        Assert.Equal([[0, 1], [2, 3]], Clusters(0.5, chain));
        Assert.Equal([[0, 1, 2, 3]], Clusters(0, chain));      // plain connected components
        Assert.Equal([[0, 1, 2, 3]], Clusters(0.25, chain));   // a quarter is enough at 0.25
        // A pair blocking never proposed, compared when the clusters meet and found to hold (0–2): 2 of 4.
        var joined = BlockMatcher.Clusters(chain.Select(m => new BlockMatcher.Match(m.Item1, m.Item2, m.Item3)).ToList(), 0.5, (i, j) => (i, j) == (0, 2));
        Assert.Equal([0, 1, 2, 3], Assert.Single(joined).Order());
    }

    [Fact]
    public void A_record_alone_joins_the_cluster_of_its_strongest_match_and_two_groups_need_the_share()
    {
        // {0,1,2} is a triangle and {4,5} a pair when 2–4 arrives: 1 of the 6 pairs between them (< 0.5), apart.
        // 3 matches only 0 (1 of 3): alone, it joins by that match (before MatcherVersion 7 it was held to half of
        // the cluster and left out).
        (int, int, double)[] matches = [(0, 1, 0.99), (0, 2, 0.99), (1, 2, 0.97), (4, 5, 0.96), (2, 4, 0.9), (0, 3, 0.85)];

        Assert.Equal([[0, 1, 2, 3], [4, 5]], Clusters(0.5, matches));
    }

    [Fact]
    public void Two_groups_are_held_to_the_pairs_between_them_that_can_be_judged()
    {
        // {0,1,2} and {3,4}, linked by 0–3 only. When the other five pairs do not hold (false): 1 of 6, apart. When
        // they cannot be judged (null: nothing but names to compare), 1 of 1: one cluster. One that does not hold and
        // four that cannot be judged: 1 of 2, enough at 0.5.
        var matches = new (int L, int R, double S)[] { (0, 1, 0.99), (0, 2, 0.99), (1, 2, 0.97), (3, 4, 0.95), (0, 3, 0.9) }
            .Select(m => new BlockMatcher.Match(m.L, m.R, m.S)).ToList();
        static List<int[]> Sorted(List<List<int>> clusters) => clusters.Select(c => c.Order().ToArray()).OrderBy(c => c[0]).ToList();

        Assert.Equal([[0, 1, 2], [3, 4]], Sorted(BlockMatcher.Clusters(matches, 0.5, (_, _) => false)));
        Assert.Equal([[0, 1, 2, 3, 4]], Sorted(BlockMatcher.Clusters(matches, 0.5, (_, _) => null)));
        Assert.Equal([[0, 1, 2, 3, 4]], Sorted(BlockMatcher.Clusters(matches, 0.5, (i, j) => (i, j) == (1, 3) ? false : null)));
    }
}
