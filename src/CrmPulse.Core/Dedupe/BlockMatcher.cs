namespace CrmPulse.Core.Dedupe;

/// <summary>
/// The record-independent part of deduplication: blocking, scoring of the candidate pairs, clustering.
/// </summary>
/// <remarks>
/// Near-linear by construction: each record yields a few blocking-key hashes; one sort of (hash, record) groups them;
/// a block of k records yields k(k−1)/2 candidates and blocks larger than <see cref="DedupeOptions.MaxBlockSize"/>
/// (a shared switchboard number, "John Smith") are skipped, so candidates are at most about records × keys ×
/// MaxBlockSize / 2. Candidates are scored in parallel; pairs at or above the threshold are joined into clusters
/// (connected components, union-find).
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
    public static (long[] Pairs, int Count) Candidates(int count, int maxKeys, KeyWriter keysOf, int maxBlockSize)
    {
        // Keys are written in parallel into one slot of maxKeys per record, then packed in place (a record's keys
        // never move forward), so the big arrays are allocated once, never grown and copied.
        var keys = new long[(long)count * maxKeys];
        var perRecord = new int[count];
        Parallel.For(0, (count + 1023) / 1024, chunk =>
        {
            for (var i = chunk * 1024; i < Math.Min(count, (chunk + 1) * 1024); i++)
            {
                perRecord[i] = keysOf(i, keys.AsSpan(i * maxKeys, maxKeys));
            }
        });
        var total = 0;
        for (var i = 0; i < count; i++) total += perRecord[i];
        var owners = new int[total];
        for (int i = 0, n = 0; i < count; i++)
        {
            for (var k = 0; k < perRecord[i]; k++, n++)
            {
                keys[n] = keys[i * maxKeys + k];
                owners[n] = i;
            }
        }
        Array.Sort(keys, owners, 0, total);

        // Count first, so that the pair array is allocated at its size.
        long pairCount = 0;
        ForEachBlock(keys, total, maxBlockSize, (start, end) => pairCount += (long)(end - start) * (end - start - 1) / 2);
        var pairs = new long[pairCount];
        var p = 0;
        ForEachBlock(keys, total, maxBlockSize, (start, end) =>
        {
            for (var x = start; x < end; x++)
            {
                for (var y = x + 1; y < end; y++)
                {
                    var (i, j) = owners[x] < owners[y] ? (owners[x], owners[y]) : (owners[y], owners[x]);
                    pairs[p++] = (long)i << 32 | (uint)j; // a record with one key twice pairs with itself: dropped below
                }
            }
        });
        Array.Sort(pairs);
        var distinct = 0;
        for (var k = 0; k < pairs.Length; k++)
        {
            var (i, j) = ((int)(pairs[k] >> 32), (int)(pairs[k] & 0xFFFFFFFF));
            if (i != j && (distinct == 0 || pairs[k] != pairs[distinct - 1])) pairs[distinct++] = pairs[k];
        }
        return (pairs, distinct);
    }

    /// <summary>Calls <paramref name="block"/> with [start, end) of each run of equal keys of 2..max entries.</summary>
    private static void ForEachBlock(long[] keys, int total, int max, Action<int, int> block)
    {
        for (var start = 0; start < total;)
        {
            var end = start + 1;
            while (end < total && keys[end] == keys[start]) end++;
            if (end - start >= 2 && end - start <= max) block(start, end);
            start = end;
        }
    }

    /// <summary>Scores the candidates (in parallel) and keeps those at or above <paramref name="threshold"/>, in candidate order.</summary>
    public static List<Match> Score(long[] candidates, int count, Func<int, int, double> score, double threshold)
    {
        const int chunkSize = 4096;
        var found = new List<Match>?[(count + chunkSize - 1) / chunkSize];
        Parallel.For(0, found.Length, chunk =>
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

    /// <summary>The connected components of the matches with two or more records, each as record indexes.</summary>
    public static List<List<int>> Components(int count, IReadOnlyList<Match> matches)
    {
        var parent = new int[count];
        for (var i = 0; i < count; i++) parent[i] = i;
        int Find(int x)
        {
            while (parent[x] != x)
            {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            return x;
        }
        foreach (var m in matches)
        {
            var (a, b) = (Find(m.Left), Find(m.Right));
            if (a != b) parent[Math.Max(a, b)] = Math.Min(a, b);
        }
        var groups = new Dictionary<int, List<int>>();
        var added = new bool[count];
        void Add(int i)
        {
            if (added[i]) return;
            added[i] = true;
            var root = Find(i);
            if (!groups.TryGetValue(root, out var list)) groups[root] = list = [];
            list.Add(i);
        }
        foreach (var m in matches)
        {
            Add(m.Left);
            Add(m.Right);
        }
        return groups.Values.ToList();
    }
}
