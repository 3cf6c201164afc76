using System.Numerics;

namespace CrmPulse.Core.Dedupe;

/// <summary>
/// The record-independent part of deduplication: blocking, scoring of the candidate pairs, clustering.
/// </summary>
/// <remarks>
/// Near-linear by construction: each record yields a few blocking-key hashes; one sort of (hash, record) groups them;
/// a block of k records yields k(k−1)/2 candidates, and a block larger than <see cref="DedupeOptions.MaxBlockSize"/>
/// (a shared switchboard number, "John Smith") yields only each record with its next
/// <see cref="DedupeOptions.LargeBlockWindow"/> in name order, so candidates are at most about records × keys ×
/// MaxBlockSize / 2. Candidates are scored in parallel; pairs at or above the threshold are joined into clusters
/// that do not chain (<see cref="Clusters"/>).
/// </remarks>
internal static class BlockMatcher
{
    /// <summary>A pair at or above the threshold, by record index (Left &lt; Right).</summary>
    public readonly record struct Match(int Left, int Right, double Score);

    /// <summary>Writes a record's blocking-key hashes into the span (at most its length) and returns how many.</summary>
    public delegate int KeyWriter(int index, Span<long> keys);

    /// <summary>Candidate pairs (i &lt; j, packed as i &lt;&lt; 32 | j), sorted and distinct: the first
    /// <c>Count</c> entries of <c>Pairs</c>.</summary>
    /// <param name="maxKeys">The most keys one record may have.</param>
    /// <remarks>
    /// Each key is one long: the key's hash with its low bits replaced by the record's index (20 bits for a million
    /// records), so that one sort of one array groups the keys, each block in record order. Two keys that differ only
    /// in those low bits fall into one block. With 44 bits left for at most five million keys, fewer than one such
    /// collision is expected per run (n² / 2⁴⁵ ≈ 0.7); its effect is a few more candidates to score, or, should the
    /// joined block exceed the cap, that block windowed.
    /// </remarks>
    /// <param name="window">In a block larger than <paramref name="maxBlockSize"/>, each record is paired with the next
    /// <paramref name="window"/> records in <paramref name="sortKeyOf"/> order (a sorted neighbourhood: linear in the
    /// block, and alike names sit together); 0 skips such blocks.</param>
    /// <param name="sortKeyOf">The order of a large block's records (e.g. their names' letters); none keeps record order.</param>
    public static (long[] Pairs, int Count) Candidates(int count, int maxKeys, KeyWriter keysOf, int maxBlockSize,
        int window = 0, Func<int, long>? sortKeyOf = null, DedupeTrace? trace = null)
    {
        // The keys stay in their chunks: only those that can be in a block are copied out to be sorted (BlockKeys).
        var (chunks, keyCounts) = RecordKeyChunks(count, maxKeys, keysOf);
        return Candidates(BlockKeys(chunks, keyCounts, into: null), keyCounts.Length, maxBlockSize, window, sortKeyOf, trace);
    }

    /// <summary>As <see cref="Candidates(int, int, KeyWriter, int, int, Func{int, long}?, DedupeTrace?)"/>, from every
    /// record's keys already written (<see cref="RecordKeys"/>).</summary>
    /// <param name="recordKeys">The keys in record order, <paramref name="keyCounts"/>[i] of them for record i.</param>
    /// <param name="reuse">Sort the keys in <paramref name="recordKeys"/>'s own room (the caller is done with it);
    /// otherwise they are copied and left as they are (the incremental matcher keeps them in its state).</param>
    public static (long[] Pairs, int Count) Candidates(long[] recordKeys, int[] keyCounts, bool reuse, int maxBlockSize,
        int window = 0, Func<int, long>? sortKeyOf = null, DedupeTrace? trace = null) =>
        Candidates(BlockKeys([recordKeys], keyCounts, into: reuse ? recordKeys : null), keyCounts.Length, maxBlockSize, window, sortKeyOf, trace);

    /// <summary>The candidates of <paramref name="blockKeys"/> (<see cref="BlockKeys"/>) of <paramref name="count"/> records.</summary>
    private static (long[] Pairs, int Count) Candidates(ArraySegment<long> blockKeys, int count, int maxBlockSize, int window,
        Func<int, long>? sortKeyOf, DedupeTrace? trace)
    {
        var ownerMask = OwnerMask(count);
        var keys = blockKeys.AsSpan();
        keys.Sort();

        // Count first, so that the pair array is allocated at its size.
        long pairCount = 0;
        int largest = 0;
        long windowed = 0;
        ForEachBlock(keys, ~ownerMask, BlockLimit(maxBlockSize, window), (start, end) =>
        {
            pairCount += PairCount(end - start, maxBlockSize, window);
            largest = Math.Max(largest, end - start);
            if (end - start > maxBlockSize) windowed += end - start;
        });
        if (trace is not null) (trace.LargestBlock, trace.WindowedKeys) = (largest, windowed);
        var pairs = new long[pairCount];
        var p = 0;
        ForEachBlock(keys, ~ownerMask, BlockLimit(maxBlockSize, window),
            (start, end) => p += BlockPairs(blockKeys.AsSpan(start, end - start), ownerMask, maxBlockSize, window, sortKeyOf, pairs.AsSpan(p)));
        Array.Sort(pairs);
        var distinct = 0;
        for (var k = 0; k < pairs.Length; k++)
        {
            var (i, j) = ((int)(pairs[k] >> 32), (int)(pairs[k] & 0xFFFFFFFF));
            if (i != j && (distinct == 0 || pairs[k] != pairs[distinct - 1])) pairs[distinct++] = pairs[k];
        }
        return (pairs, distinct);
    }

    /// <summary>Every record's blocking keys, one record after the other, and how many each has.</summary>
    /// <remarks>Written in chunks (<see cref="RecordKeyChunks"/>), then copied into one array allocated at its size (most
    /// records have far fewer than <paramref name="maxKeys"/>).</remarks>
    public static (long[] Keys, int[] Counts) RecordKeys(int count, int maxKeys, KeyWriter keysOf)
    {
        var (chunkKeys, counts) = RecordKeyChunks(count, maxKeys, keysOf);
        var keys = new long[chunkKeys.Sum(c => (long)c.Length)];
        for (int c = 0, k = 0; c < chunkKeys.Length; c++)
        {
            chunkKeys[c].CopyTo(keys, k);
            k += chunkKeys[c].Length;
            chunkKeys[c] = null!; // garbage as soon as copied
        }
        return (keys, counts);
    }

    /// <summary>Every record's blocking keys, in chunks of records one after the other (their concatenation is the keys
    /// in record order), and how many each record has.</summary>
    /// <remarks>Written in parallel, a chunk of records at a time into a buffer per thread, each chunk kept at its size.</remarks>
    private static (long[][] Chunks, int[] Counts) RecordKeyChunks(int count, int maxKeys, KeyWriter keysOf)
    {
        const int chunkSize = 4096;
        var counts = new int[count];
        var chunkKeys = new long[(count + chunkSize - 1) / chunkSize][];
        Parallel.For(0, chunkKeys.Length, Parallelism.OnCores, () => new long[chunkSize * maxKeys], (chunk, _, buffer) =>
        {
            // One buffer per worker thread, reused for each of its chunks.
            var n = 0;
            for (var i = chunk * chunkSize; i < Math.Min(count, (chunk + 1) * chunkSize); i++) n += counts[i] = keysOf(i, buffer.AsSpan(n, maxKeys));
            chunkKeys[chunk] = buffer[..n];
            return buffer;
        }, static _ => { });
        return (chunkKeys, counts);
    }

    /// <summary>
    /// The keys that can be in a block of two or more, each with its record's index in the low bits (unsorted): the keys
    /// of <paramref name="segments"/> (whose concatenation is every record's keys in record order) less most of those no
    /// other record shares.
    /// </summary>
    /// <remarks>
    /// Most keys are one record's own (its e-mail, its phone) and make no pair, yet they were copied and sorted with the
    /// rest. Two bit sets over a hash of the key (without the owner's bits) — seen once, seen again — say which keys may
    /// be shared; only those are copied out. A key two records share always has its second bit set, so every block is
    /// kept whole and the candidates are the same; a key alone whose bit another key set stays, a block of one, which
    /// yields nothing. With four bits per key about one such key in five stays.
    /// </remarks>
    /// <param name="into">An array to write the keys into, from its start (the only segment, done with: written in its
    /// own room, each key at or before where it was read); null allocates one at the size needed.</param>
    private static ArraySegment<long> BlockKeys(IReadOnlyList<long[]> segments, int[] keyCounts, long[]? into)
    {
        var ownerMask = OwnerMask(keyCounts.Length);
        long total = 0;
        foreach (var segment in segments) total += segment.Length;
        var bits = Math.Max(6, 64 - BitOperations.LeadingZeroCount((ulong)Math.Max(total * 4 - 1, 1)));
        var (once, again) = (new ulong[(1L << bits) / 64], new ulong[(1L << bits) / 64]);
        foreach (var segment in segments)
        {
            foreach (var key in segment)
            {
                var h = Slot(key, ownerMask, bits);
                ref var seen = ref once[h >> 6];
                if ((seen & 1UL << (int)h) != 0) again[h >> 6] |= 1UL << (int)h;
                else seen |= 1UL << (int)h;
            }
        }
        var shared = 0;
        foreach (var segment in segments)
        {
            foreach (var key in segment)
            {
                var h = Slot(key, ownerMask, bits);
                shared += (int)(again[h >> 6] >> (int)h & 1);
            }
        }
        var keys = into ?? new long[shared];
        var (s, at, k) = (0, 0, 0);
        for (var i = 0; i < keyCounts.Length; i++)
        {
            for (var c = 0; c < keyCounts[i]; c++)
            {
                while (at == segments[s].Length) (s, at) = (s + 1, 0);
                var key = segments[s][at++];
                var h = Slot(key, ownerMask, bits);
                if ((again[h >> 6] & 1UL << (int)h) != 0) keys[k++] = (key & ~ownerMask) | (uint)i;
            }
        }
        return new ArraySegment<long>(keys, 0, k);
    }

    /// <summary>The bit of a key (without its owner's bits) in <see cref="BlockKeys"/>'s sets of 2^<paramref name="bits"/>.</summary>
    private static ulong Slot(long key, long ownerMask, int bits) => (ulong)(key & ~ownerMask) * 0x9E3779B97F4A7C15UL >> (64 - bits);

    /// <summary>The low bits of a key that hold the record's index, for <paramref name="count"/> records.</summary>
    public static long OwnerMask(int count) =>
        (1L << Math.Max(1, 64 - BitOperations.LeadingZeroCount((ulong)Math.Max(count - 1, 1)))) - 1;

    /// <summary>The largest block that yields pairs: any size with a window, else <paramref name="maxBlockSize"/>.</summary>
    public static int BlockLimit(int maxBlockSize, int window) => window > 0 ? int.MaxValue : maxBlockSize;

    /// <summary>How many pairs (before dropping a record's pairs with itself) a block of <paramref name="size"/> keys yields.</summary>
    public static long PairCount(int size, int maxBlockSize, int window)
    {
        if (size < 2 || size > BlockLimit(maxBlockSize, window)) return 0;
        var k = (long)size;
        var w = Math.Min(window, k - 1);
        return k <= maxBlockSize ? k * (k - 1) / 2 : k * w - w * (w + 1) / 2;
    }

    /// <summary>
    /// Writes the candidate pairs of one block (i &lt;= j, packed as i &lt;&lt; 32 | j; a record with one key twice
    /// pairs with itself, which the caller drops) and returns how many (<see cref="PairCount"/>). The full match and the
    /// incremental one (<see cref="IncrementalDeduplicator"/>) both call this, so that they propose the same pairs.
    /// </summary>
    /// <param name="block">The block's keys in record order, the record's index in the low bits (<paramref name="ownerMask"/>).</param>
    public static int BlockPairs(ReadOnlySpan<long> block, long ownerMask, int maxBlockSize, int window, Func<int, long>? sortKeyOf,
        Span<long> pairs)
    {
        var p = 0;
        if (block.Length < 2 || block.Length > BlockLimit(maxBlockSize, window)) return 0;
        if (block.Length > maxBlockSize)
        {
            // Sorted neighbourhood: the block's records in sort order, each with the next `window`.
            // The sort key's top bits above the record index, so that one sort orders the block, ties by record.
            var members = new long[block.Length];
            for (var x = 0; x < block.Length; x++)
            {
                var i = block[x] & ownerMask;
                members[x] = WindowOrder(sortKeyOf, (int)i, ownerMask);
            }
            Array.Sort(members);
            for (var x = 0; x < members.Length; x++) members[x] &= ownerMask;
            for (var x = 0; x < members.Length; x++)
            {
                for (var y = x + 1; y <= Math.Min(x + window, members.Length - 1); y++)
                {
                    var (i, j) = members[x] <= members[y] ? (members[x], members[y]) : (members[y], members[x]);
                    pairs[p++] = i << 32 | j;
                }
            }
            return p;
        }
        for (var x = 0; x < block.Length; x++)
        {
            var i = block[x] & ownerMask;
            for (var y = x + 1; y < block.Length; y++)
            {
                // Sorted by record within the block: i <= j. A record with one key twice pairs with itself: dropped later.
                pairs[p++] = i << 32 | (block[y] & ownerMask);
            }
        }
        return p;
    }

    /// <summary>Where record <paramref name="i"/> sorts in a large block: its sort key's top bits, then its index.</summary>
    public static long WindowOrder(Func<int, long>? sortKeyOf, int i, long ownerMask) =>
        (sortKeyOf is null ? 0 : sortKeyOf(i) & ~ownerMask & long.MaxValue) | (uint)i;

    /// <summary>Calls <paramref name="block"/> with [start, end) of each run of 2..max keys equal under <paramref name="keyMask"/>.</summary>
    private static void ForEachBlock(ReadOnlySpan<long> keys, long keyMask, int max, BlockAction block)
    {
        for (var start = 0; start < keys.Length;)
        {
            var key = keys[start] & keyMask;
            var end = start + 1;
            while (end < keys.Length && (keys[end] & keyMask) == key) end++;
            if (end - start >= 2 && end - start <= max) block(start, end);
            start = end;
        }
    }

    private delegate void BlockAction(int start, int end);

    /// <summary>Scores the candidates (in parallel) and keeps those at or above <paramref name="threshold"/>, in candidate order.</summary>
    public static List<Match> Score(long[] candidates, int count, Func<int, int, double> score, double threshold)
    {
        const int chunkSize = 4096;
        var found = new List<Match>?[(count + chunkSize - 1) / chunkSize];
        Parallel.For(0, found.Length, Parallelism.OnCores, chunk =>
        {
            List<Match>? local = null;
            for (var k = chunk * chunkSize; k < Math.Min(count, (chunk + 1) * chunkSize); k++)
            {
                var (i, j) = ((int)(candidates[k] >> 32), (int)(candidates[k] & 0xFFFFFFFF));
                var s = score(i, j);
                if (s >= threshold) (local ??= []).Add(new Match(i, j, s));
            }
            found[chunk] = local;
        });
        var matches = new List<Match>();
        foreach (var local in found)
        {
            if (local is not null) matches.AddRange(local);
        }
        return matches;
    }

    /// <summary>Hashes a packed pair (i &lt;&lt; 32 | j) by mixing all its bits. long's own hash is i ^ j, which is tiny
    /// for the pairs of records next to each other (a file sorted by person: every duplicate pair) and puts them in a
    /// few buckets; on a 50,000-row historical file that made clustering take minutes.</summary>
    internal sealed class PairHash : IEqualityComparer<long>
    {
        public static readonly PairHash Instance = new();

        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long pair) => (int)((ulong)pair * 0x9E3779B97F4A7C15UL >> 32);
    }

    /// <summary>
    /// The clusters of the matches (two or more records each, as record indexes): the matches are taken strongest
    /// first; a record not yet in a cluster joins the cluster of its match, and a match between two clusters of two or
    /// more joins them only when at least <paramref name="minLinkShare"/> of the pairs between them that can be judged
    /// matched (or, for a pair that is not among the matches, <paramref name="agree"/> says it holds: true; does not
    /// hold: false; cannot be judged: null).
    /// </summary>
    /// <remarks>
    /// Two pairs of two need two of their four pairs at 0.5. At 0 this is plain connected components (union-find),
    /// where one wrong link merges two people and a chain of look-alikes grows into a cluster of dozens; above it a
    /// bridge of one weak link between two groups stays a bridge. A record alone is not held to the share: it joins by
    /// its strongest match, as a heavily corrupted record of a large cluster matches few of its members (on the
    /// historical stand-in, holding it to half of them left about 950 such records alone: F1 0.838 against 0.880, at
    /// precision 0.9981 against 0.9974); a wrong one adds its own pairs, never a second group. A pair that cannot be
    /// judged (nothing but names to compare) counts neither way: a group is held to the pairs that can say something
    /// (README "Deduplication" has the figures).
    /// </remarks>
    public static List<List<int>> Clusters(IReadOnlyList<Match> matches, double minLinkShare, Func<int, int, bool?>? agree = null)
    {
        var linked = new HashSet<long>(matches.Count, PairHash.Instance);
        foreach (var m in matches) linked.Add((long)m.Left << 32 | (uint)m.Right);
        var clusterOf = new Dictionary<int, List<int>>();
        var order = Enumerable.Range(0, matches.Count).ToArray();
        // Strongest first; ties in candidate order (Left, Right), so the result does not depend on the sort's stability.
        Array.Sort(order, (x, y) => matches[y].Score.CompareTo(matches[x].Score) is var c && c != 0 ? c : x.CompareTo(y));
        foreach (var k in order)
        {
            var m = matches[k];
            var a = clusterOf.GetValueOrDefault(m.Left) ?? [m.Left];
            var b = clusterOf.GetValueOrDefault(m.Right) ?? [m.Right];
            if (ReferenceEquals(a, b)) continue;
            // A record alone joins the cluster of its strongest match (it comes first in this order): the rule guards
            // the merge of two groups, where one wrong link would join two people's records at once.
            if (a.Count > 1 && b.Count > 1 && minLinkShare > 0)
            {
                long links = 0, judged = 0;
                foreach (var x in a)
                {
                    foreach (var y in b)
                    {
                        var (i, j) = x < y ? (x, y) : (y, x);
                        var holds = linked.Contains((long)i << 32 | (uint)j) ? true : agree is null ? false : agree(i, j);
                        if (holds is null) continue;
                        judged++;
                        if (holds.Value) links++;
                    }
                }
                if (links < minLinkShare * judged) continue;
            }
            if (a.Count < b.Count) (a, b) = (b, a);
            if (a.Count == 1) clusterOf[a[0]] = a;
            a.AddRange(b);
            foreach (var x in b) clusterOf[x] = a;
        }
        var seen = new HashSet<List<int>>(ReferenceEqualityComparer.Instance);
        var clusters = new List<List<int>>();
        foreach (var m in matches)
        {
            if (clusterOf.TryGetValue(m.Left, out var c) && seen.Add(c)) clusters.Add(c);
        }
        return clusters;
    }
}
