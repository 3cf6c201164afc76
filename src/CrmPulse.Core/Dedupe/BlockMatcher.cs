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

    /// <summary>Candidate pairs (i &lt; j, packed as i &lt;&lt; 32 | j), sorted and distinct.</summary>
    public static long[] Candidates(int count, Action<int, List<long>> keysOf, int maxBlockSize)
    {
        var hashes = new List<long>(count * 8);
        var owners = new List<int>(count * 8);
        var buffer = new List<long>(16);
        for (var i = 0; i < count; i++)
        {
            buffer.Clear();
            keysOf(i, buffer);
            foreach (var h in buffer)
            {
                hashes.Add(h);
                owners.Add(i);
            }
        }
        var keys = hashes.ToArray();
        var items = owners.ToArray();
        hashes.Clear();
        owners.Clear();
        Array.Sort(keys, items);

        var pairs = new List<long>(count * 2);
        for (var start = 0; start < keys.Length;)
        {
            var end = start + 1;
            while (end < keys.Length && keys[end] == keys[start]) end++;
            var size = end - start;
            if (size >= 2 && size <= maxBlockSize)
            {
                for (var x = start; x < end; x++)
                {
                    for (var y = x + 1; y < end; y++)
                    {
                        var (i, j) = items[x] < items[y] ? (items[x], items[y]) : (items[y], items[x]);
                        if (i != j) pairs.Add((long)i << 32 | (uint)j);
                    }
                }
            }
            start = end;
        }
        var all = pairs.ToArray();
        Array.Sort(all);
        var n = 0;
        for (var k = 0; k < all.Length; k++)
        {
            if (k == 0 || all[k] != all[k - 1]) all[n++] = all[k];
        }
        Array.Resize(ref all, n);
        return all;
    }

    /// <summary>Scores every candidate (in parallel) and keeps those at or above <paramref name="threshold"/>, in candidate order.</summary>
    public static List<Match> Score(long[] candidates, Func<int, int, double> score, double threshold)
    {
        var scores = new double[candidates.Length];
        Parallel.For(0, (candidates.Length + 4095) / 4096, chunk =>
        {
            var end = Math.Min(candidates.Length, (chunk + 1) * 4096);
            for (var k = chunk * 4096; k < end; k++)
            {
                scores[k] = score((int)(candidates[k] >> 32), (int)(candidates[k] & 0xFFFFFFFF));
            }
        });
        var matches = new List<Match>();
        for (var k = 0; k < candidates.Length; k++)
        {
            if (scores[k] >= threshold) matches.Add(new Match((int)(candidates[k] >> 32), (int)(candidates[k] & 0xFFFFFFFF), scores[k]));
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
