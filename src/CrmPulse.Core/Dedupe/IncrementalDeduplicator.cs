using System.Collections.Concurrent;
using System.Globalization;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Dedupe;

/// <summary>
/// Deduplication that keeps its state between passes (<see cref="DedupeState"/>) and compares only the records added,
/// changed or deleted since, against their blocks, then clusters again only the components those changes touched. The
/// clusters are exactly those of a full match (<see cref="Deduplicator"/>): the same key, pair and score functions, the
/// same candidate pairs, the same clustering.
/// </summary>
/// <remarks>
/// <para>A record is changed when the fingerprint of what the matcher reads changed, not its modified time: a source may
/// edit a field without moving it (a File source has none), so every record's fingerprint is computed on each pass,
/// in one parallel walk that also reads its id. A pair of
/// unchanged records keeps its score; it is compared again only when it may have become a candidate since (a large
/// block's sorted window shifted over a change, a block shrank to a size compared in full), and a link of two unchanged
/// records is dropped when a change pushed it out of every window that proposed it.</para>
/// <para>A component of the links that no change touched clusters as before (clustering never crosses components); the
/// touched ones are clustered again from their stored links, unproposed pairs compared when clusters meet as in a full match.</para>
/// <para>The whole object is matched again when there is no state, the settings or <see cref="MatcherVersion"/> changed,
/// the record count crossed a power of two (the key bits that hold a record index change), the records are not in
/// ordinal id order (the mirror's order), or on request.</para>
/// </remarks>
public static class IncrementalDeduplicator
{
    /// <summary>
    /// The version of the matcher's rules in the stored states. Any change to what the matcher reads, its blocking keys,
    /// large-block order, candidate pairs, scoring or clustering MUST bump this: a state made by other rules is then
    /// matched again in full rather than mixed with the new rules.
    /// </summary>
    /// <remarks>6: the fitted model's early stop counts an exact birth date at its term-frequency weight (version 5
    /// bounded it by the field's average, so a pair with a rare, equal birth date just over the threshold could be left
    /// unmatched). Every measured result is unchanged (febrl1, febrl2, fake_1000, the benchmark's orgs); a state made by
    /// version 5 may lack such a pair, so it is matched again once.
    /// 7: four more contact blocking keys (the surname or the first name with the city, the first name's code or the
    /// city with the postcode); a record alone joins the cluster of its strongest match, and a pair with nothing but
    /// names to compare counts neither way when two groups meet (historical stand-in F1 0.794 → 0.880).
    /// 8: those four place keys only for a contact with neither an e-mail nor a phone (1M benchmark contacts: 6.04M →
    /// 3.26M candidates; historical stand-in F1 unchanged at 0.8804; fake_1000 0.9569 → 0.9491).
    /// 9: the same birth year, or an equal text or date extra field, supports a name match under fitted weights
    /// (historical stand-in F1 0.880 → 0.915); a lone name is also compared with the other record's other name (0.921).</remarks>
    public const int MatcherVersion = 9;

    /// <summary>What the stored state depends on besides the records: the matcher version and the options that change
    /// pairs or clusters (not <see cref="DedupeOptions.Incremental"/>; the weights' settings for contacts only, as
    /// companies always use the fixed weights).</summary>
    public static string SettingsFingerprint(string objectType, DedupeOptions options) => string.Join('|',
        $"v{MatcherVersion}", objectType == Deduplicator.CompanyKind.ObjectType ? objectType : string.Join('|', objectType,
            "wt=" + options.Weights,
            "ft=" + options.FittedThreshold.ToString("R", CultureInfo.InvariantCulture),
            "mf=" + options.MinRecordsForFit.ToString(CultureInfo.InvariantCulture)),
        "t=" + options.Threshold.ToString("R", CultureInfo.InvariantCulture),
        "b=" + options.MaxBlockSize.ToString(CultureInfo.InvariantCulture),
        "w=" + options.LargeBlockWindow.ToString(CultureInfo.InvariantCulture),
        "s=" + options.MinLinkShare.ToString("R", CultureInfo.InvariantCulture),
        "x=" + string.Join(',', options.Extras().Select(e => $"{e.Name}:{e.Kind}")));

    /// <summary>The contact clusters, comparing only what changed since <paramref name="previous"/>.</summary>
    /// <param name="contacts">The contacts, in ordinal id order (the mirror's) for an incremental match.</param>
    /// <param name="full">Match everything again (a request); the result is the same, only the work differs (with fitted
    /// weights the model is fitted again, unless <paramref name="reuseModel"/>).</param>
    /// <param name="reuseModel">With <paramref name="full"/>: score with <paramref name="previous"/>'s fitted model instead of
    /// fitting a new one, when fitted weights apply and it has one (what an incremental pass from it must equal: a check).</param>
    public static IncrementalDedupeResult Contacts(IReadOnlyList<Contact> contacts, DedupeOptions options, DedupeState? previous, bool full = false,
        bool reuseModel = false) =>
        Contacts(contacts, options, previous, full,
            given: full && reuseModel && Deduplicator.UsesFittedWeights(contacts.Count, options) ? previous?.FittedModel : null);

    /// <summary>A full match of the contacts scored by a given fitted <paramref name="model"/> (not one fitted to them),
    /// with the state it leaves: what an incremental pass that kept <paramref name="model"/> must find, links included.</summary>
    internal static IncrementalDedupeResult ContactsWithModel(IReadOnlyList<Contact> contacts, DedupeOptions options, PersonModel model) =>
        Contacts(contacts, options, previous: null, full: true, given: model);

    private static IncrementalDedupeResult Contacts(IReadOnlyList<Contact> contacts, DedupeOptions options, DedupeState? previous, bool full,
        PersonModel? given)
    {
        var extras = options.Extras();
        var inputs = new ContactInputs(contacts, extras, new StringPool());
        // Fitted weights: fitted on a full match and kept with the state; an incremental pass scores with the stored model.
        var weights = given is not null
            ? new Weights<PreparedPerson>(_ => (_, _) => Deduplicator.PersonScoring(given, extras, options),
                model => Deduplicator.PersonScoring(model, extras, options))
            : Deduplicator.UsesFittedWeights(contacts.Count, options)
            ? new Weights<PreparedPerson>(records => Deduplicator.FitPeople(records, options, extras),
                model => Deduplicator.PersonScoring(model, extras, options))
            : null;
        return Run(Deduplicator.PersonKind(extras), inputs.Count, inputs.Id, (contacts as ContactColumns)?.Ids, inputs.Fingerprint, inputs.Prepare,
            options, previous, full, weights);
    }

    /// <summary>Fitted weights: how a full match fits them, and the scoring of a stored model.</summary>
    private sealed record Weights<T>(Func<T[], Func<long[], int, Deduplicator.Fitted<T>?>?> Fit, Func<PersonModel, Deduplicator.Fitted<T>> Scoring);

    /// <summary>The company clusters, comparing only what changed since <paramref name="previous"/>.</summary>
    /// <remarks>Companies held as columns are read without a record per company (<see cref="CompanyInputs"/>).</remarks>
    public static IncrementalDedupeResult Companies(IReadOnlyList<Company> companies, DedupeOptions options, DedupeState? previous, bool full = false)
    {
        var inputs = new CompanyInputs(companies);
        return Run(Deduplicator.CompanyKind, inputs.Count, inputs.Id, (companies as CompanyColumns)?.Ids, inputs.Fingerprint, inputs.Prepare,
            options, previous, full);
    }

    /// <param name="idColumn">The records' ids as one array of the snapshot's columns (null: records one by one): the new
    /// state keeps that array rather than a copy (the columns are never written once built, and the state points at
    /// the same id strings either way), so a pass does not allocate a reference per record for it.</param>
    private static IncrementalDedupeResult Run<T>(Deduplicator.MatchKind<T> kind, int n, Func<int, string> idOf, string[]? idColumn,
        Func<int, long> fingerprintOf, Func<int, T> prepare, DedupeOptions options, DedupeState? previous, bool full, Weights<T>? weights = null)
    {
        var settings = SettingsFingerprint(kind.ObjectType, options);
        var mask = BlockMatcher.OwnerMask(n);
        // One walk over the records (on every core) reads what the pass needs of each: its id, its fingerprint, and
        // whether the ids are in order. Reading a million records is the most of an incremental pass's own work (each
        // is a few objects apart in memory): they are read once.
        var shared = idColumn?.Length == n;
        var ids = shared ? idColumn! : new string[n];
        var fingerprints = new long[n];
        var inIdOrder = true;
        Parallel.ForEach(Ranges(n), Parallelism.OnCores, range =>
        {
            var previousId = range.Item1 > 0 ? idOf(range.Item1 - 1) : null;
            for (var i = range.Item1; i < Math.Min(range.Item2, n); i++)
            {
                var id = idOf(i);
                if (!shared) ids[i] = id;
                fingerprints[i] = fingerprintOf(i);
                if (previousId is not null && string.CompareOrdinal(previousId, id) >= 0) inIdOrder = false;
                previousId = id;
            }
        });
        var reason = full ? "requested"
            : previous is null ? "no stored state"
            : previous.Settings != settings ? "the settings or the matcher changed"
            : previous.OwnerMask != mask ? "the record count crossed a power of two"
            : (previous.Model is not null) != (weights is not null) ? "the weights changed between fitted and fixed"
            : !inIdOrder ? "the records are not in id order"
            : null;
        var result = reason is null
            ? Incremental(kind, n, ids, fingerprints, prepare, options, previous!, mask, settings, weights)
            : Full(kind, n, ids, fingerprints, prepare, options, mask, settings, reason, weights);
        return result with { InIdOrder = inIdOrder };
    }

    /// <summary>[0, n) in a few ranges per core, for the loops over every record.</summary>
    private static OrderablePartitioner<Tuple<int, int>> Ranges(int n) =>
        Partitioner.Create(0, Math.Max(n, 1), Math.Max(4096, n / (4 * Environment.ProcessorCount) + 1));

    private static IncrementalDedupeResult Full<T>(Deduplicator.MatchKind<T> kind, int n, string[] ids, long[] fingerprints,
        Func<int, T> prepare, DedupeOptions options, long mask, string settings, string reason, Weights<T>? weights)
    {
        var records = new T[n];
        Parallel.For(0, n, Parallelism.OnCores, i => records[i] = prepare(i));
        // Every record's keys, one after the other, are both the state's and what the match sorts into blocks: written
        // once, before the match (the match sorts a copy).
        var (keys, keyCounts) = BlockMatcher.RecordKeys(n, kind.MaxKeys, (i, span) => kind.KeysOf(records[i], span));
        var sortKeys = new long[n];
        if (kind.SortKeyOf is { } sortKeyOf) Parallel.For(0, n, Parallelism.OnCores, i => sortKeys[i] = sortKeyOf(records[i]));
        var fit = weights?.Fit(records);
        Deduplicator.Fitted<T>? fitted = null;
        var result = Deduplicator.Match(kind, records, options, withPairs: false, out var matches,
            fit is null ? null : (candidates, count) => fitted = fit(candidates, count), recordKeys: (keys, keyCounts));
        var links = matches.Select(m => Link(ids[m.Left], ids[m.Right], m.Score)).ToList();
        var state = new DedupeState(settings, mask, ids, fingerprints, sortKeys, DedupeState.Starts(keyCounts, n), keys, links, result.Clusters,
            fitted?.Model?.ToJson(), fitted?.Model, inIdOrder: false);
        return new IncrementalDedupeResult(result.Clusters, state, new DedupeStateChange { Full = true }, result.Candidates, reason);
    }

    private static DedupeLink Link(string a, string b, double score) =>
        string.CompareOrdinal(a, b) <= 0 ? new DedupeLink(a, b, score) : new DedupeLink(b, a, score);

    private static long Pack(int i, int j) => i <= j ? (long)i << 32 | (uint)j : (long)j << 32 | (uint)i;

    /// <summary>A block that a change touched (or that a link at risk shares): its entries now, and what changed in it.</summary>
    private sealed class Block
    {
        /// <summary>The records with this key now, in record order (a record with the key twice: twice).</summary>
        public readonly List<int> Entries = [];

        /// <summary>Whether a change touched the block (else it is here for a link at risk only).</summary>
        public bool Touched;

        /// <summary>Entries of changed records now, and of changed or deleted records before.</summary>
        public int ChangedNow, ChangedBefore;

        /// <summary>Where each entry a change added or removed sorts in a block windowed before and now: its sort key's top
        /// bits, then its id (record order is id order, before and now); null in the other blocks, most of them.</summary>
        public List<(long Order, string Id)>? ChangedOrders;

        /// <summary>Whether the block was larger than <paramref name="maxBlock"/> (compared in a sorted window) before and
        /// is now: only then does a change's place in its order matter.</summary>
        public bool WindowedBeforeAndNow(int maxBlock) => Entries.Count > maxBlock && Entries.Count - ChangedNow + ChangedBefore > maxBlock;

        /// <summary>The block's pairs now, when a link at risk asked (large blocks only).</summary>
        public HashSet<long>? Pairs;
    }

    private static IncrementalDedupeResult Incremental<T>(Deduplicator.MatchKind<T> kind, int n, string[] ids, long[] fingerprints,
        Func<int, T> prepare, DedupeOptions options, DedupeState old, long mask, string settings, Weights<T>? weights)
    {
        // With fitted weights, the model of the last full match, unchanged: the links are what a full match with it finds.
        var (threshold, linkFloor) = (options.Threshold, Deduplicator.LinkFloor);
        if (weights is not null && old.FittedModel is { } model)
        {
            var scoring = weights.Scoring(model);
            (kind, threshold, linkFloor) = (scoring.Apply(kind), scoring.Threshold, scoring.LinkFloor);
        }
        // 1. The changes: both lists are in id order, joined in one walk. A fingerprint holds the id: equal fingerprints
        // are the same record, unchanged, without reading the two ids (equal fingerprints are taken as unchanged anyway).
        // Only the changes are listed: the unchanged records come in runs that were neighbours before too, kept as
        // (new index, old index, length), so that nothing is held per record but the new state's own arrays.
        var changed = new bool[n];
        var changedList = new List<int>();
        var changedBefore = new List<int>(); // each changed record's old index, −1 for an added one
        var deleted = new List<int>();
        var runs = new List<(int New, int Old, int Length)>();
        int a = 0, b = 0, runNew = 0, runOld = 0, runLength = 0;
        while (a < n || b < old.Count)
        {
            var c = a == n ? 1 : b == old.Count ? -1 : fingerprints[a] == old.Fingerprints[b] ? 0 : string.CompareOrdinal(ids[a], old.Ids[b]);
            if (c > 0)
            {
                deleted.Add(b++);
                continue;
            }
            if (c < 0 || fingerprints[a] != old.Fingerprints[b])
            {
                changed[a] = true;
                changedList.Add(a++);
                changedBefore.Add(c < 0 ? -1 : b++);
                continue;
            }
            if (runLength > 0 && a == runNew + runLength && b == runOld + runLength) runLength++;
            else
            {
                if (runLength > 0) runs.Add((runNew, runOld, runLength));
                (runNew, runOld, runLength) = (a, b, 1);
            }
            a++;
            b++;
        }
        if (runLength > 0) runs.Add((runNew, runOld, runLength));
        if (changedList.Count == 0 && deleted.Count == 0)
            return new IncrementalDedupeResult(old.Clusters, old, new DedupeStateChange(), 0, null);

        // 2. The changed records' new keys and sort keys; the new state's records.
        var prepared = new Prepared<T>(prepare);
        prepared.Add(changedList);
        var newKeys = new Dictionary<int, long[]>(changedList.Count);
        var newSort = new Dictionary<int, long>(changedList.Count);
        Span<long> buffer = stackalloc long[kind.MaxKeys];
        foreach (var i in changedList)
        {
            ref readonly var record = ref prepared.Get(i);
            newKeys[i] = buffer[..kind.KeysOf(record, buffer)].ToArray();
            newSort[i] = kind.SortKeyOf?.Invoke(record) ?? 0;
        }
        // An unchanged record's keys and sort key are where the state had them: a run is copied at once, records in
        // order, runs and changed records alternating.
        var total = 0;
        foreach (var (_, r, length) in runs) total += old.KeyStarts[r + length] - old.KeyStarts[r];
        foreach (var i in changedList) total += newKeys[i].Length;
        var keys = new PackedKeys(total, mask);
        var sortKeys = new PackedKeys(n, mask);
        var starts = new int[n + 1];
        for (int i = 0, run = 0, c = 0, k = 0; i < n;)
        {
            if (c < changedList.Count && changedList[c] == i)
            {
                foreach (var key in newKeys[i]) keys.Set(k++, key);
                sortKeys.Set(i, OrderOf(newSort[i]));
                starts[++i] = k;
                c++;
                continue;
            }
            var (from, r, length) = runs[run++];
            if (from != i) throw new InvalidOperationException("The incremental matcher lost a record between its changes and its runs.");
            var (start, end) = (old.KeyStarts[r], old.KeyStarts[r + length]);
            keys.CopyFrom(old.Keys, start, k, end - start);
            sortKeys.CopyFrom(old.SortKeys, r, i, length);
            for (var x = 1; x <= length; x++) starts[i + x] = k + old.KeyStarts[r + x] - start;
            k += end - start;
            i += length;
        }
        var next = new DedupeState(settings, mask, ids, fingerprints, sortKeys, starts, keys, old.Model, old.FittedModel);

        // 3. The blocks a change touched: every key of a changed record, now and before, and of a deleted record.
        var block = ~mask;
        long OrderOf(long sortKey) => sortKey & ~mask & long.MaxValue;
        // Two buffers for a record's keys read from a state (a stored record has at most the kind's keys).
        var (keysA, keysB) = (new long[kind.MaxKeys], new long[kind.MaxKeys]);
        var blocks = new Dictionary<long, Block>();
        Block At(long key) => blocks.TryGetValue(key & block, out var x) ? x : blocks[key & block] = new Block();
        // Every key a change added or removed, with where its entry sorts and whether it was there before.
        void ForEachChange(Action<long, long, string, bool> visit)
        {
            for (var c = 0; c < changedList.Count; c++)
            {
                var i = changedList[c];
                foreach (var k in newKeys[i]) visit(k, OrderOf(sortKeys[i]), ids[i], false);
                var r = changedBefore[c];
                if (r < 0) continue;
                foreach (var k in old.KeysOf(r, keysA)) visit(k, OrderOf(old.SortKeys[r]), ids[i], true);
            }
            foreach (var r in deleted)
            {
                foreach (var k in old.KeysOf(r, keysA)) visit(k, OrderOf(old.SortKeys[r]), old.Ids[r], true);
            }
        }
        ForEachChange((k, _, _, before) =>
        {
            var x = At(k);
            x.Touched = true;
            if (before) x.ChangedBefore++;
        });

        // 4. The stored links: dropped with a changed or deleted record; at risk when both records are unchanged but share
        // a touched block (a window may have moved away from them): their other shared blocks are read too.
        // A link's records are found in the new ids (in id order) by binary search: no map from old to new index per record.
        var links = new Dictionary<long, double>(old.Links.Count, BlockMatcher.PairHash.Instance);
        var touched = new HashSet<int>();
        var removedLinks = new List<DedupeLink>();
        var atRisk = new List<(int A, int B, long[] Shared, DedupeLink Link)>();
        foreach (var link in old.Links)
        {
            var (ia, ib) = (IndexIn(ids, link.LeftId), IndexIn(ids, link.RightId));
            if (ia < 0 || ib < 0 || changed[ia] || changed[ib])
            {
                removedLinks.Add(link);
                if (ia >= 0) touched.Add(ia);
                if (ib >= 0) touched.Add(ib);
                continue;
            }
            var pair = Pack(ia, ib);
            links[pair] = link.Score;
            var ka = next.KeysOf(ia, keysA);
            var kb = next.KeysOf(ib, keysB);
            if (!SharesTouchedBlock(ka, kb, block, blocks)) continue;
            var shared = SharedBlocks(ka, kb, block);
            atRisk.Add((ia, ib, shared, link));
            foreach (var k in shared) At(k);
        }

        // 5. One walk over every record's keys fills the blocks read. A bit per hashed block first: the few thousand
        // blocks read set about one bit in a thousand, so nearly every key is passed over without a dictionary look-up.
        var filter = new ulong[1 << (FilterBits - 6)];
        foreach (var key in blocks.Keys) filter[FilterSlot(key) >> 6] |= 1UL << FilterSlot(key);
        for (var i = 0; i < n; i++)
        {
            for (var e = starts[i]; e < starts[i + 1]; e++)
            {
                var k = keys[e] & block;
                var slot = FilterSlot(k);
                if ((filter[slot >> 6] & (1UL << slot)) == 0 || !blocks.TryGetValue(k, out var x)) continue;
                x.Entries.Add(i);
                if (changed[i]) x.ChangedNow++;
            }
        }

        // 6. The pairs to compare: each changed record with its blocks' candidates, and the pairs of unchanged records
        // that may not have been candidates before.
        var (maxBlock, window) = (options.MaxBlockSize, options.LargeBlockWindow);
        Func<int, long> sortKeyOf = i => sortKeys[i];
        // Packed pairs hash with PairHash: the default (i ^ j) is tiny for neighbours, as duplicates often are.
        var toScore = new HashSet<long>(BlockMatcher.PairHash.Instance);
        // Where the changes sort, in the few blocks where that matters (a list per touched block cost ~120 bytes each).
        ForEachChange((k, order, id, _) =>
        {
            var x = blocks[k & block];
            if (x.WindowedBeforeAndNow(maxBlock)) (x.ChangedOrders ??= []).Add((order, id));
        });
        foreach (var x in blocks.Values)
        {
            if (!x.Touched) continue;
            var size = x.Entries.Count;
            var sizeBefore = size - x.ChangedNow + x.ChangedBefore;
            if (size <= maxBlock && sizeBefore <= maxBlock)
            {
                // Compared in full now and before: its new pairs are those of a changed record, each changed entry with
                // every other (the block's every pair, as PairsOf lists them, would be made only to drop most).
                if (size < 2) continue;
                foreach (var i in x.Entries)
                {
                    if (!changed[i]) continue;
                    foreach (var j in x.Entries)
                    {
                        if (i != j) toScore.Add(Pack(i, j));
                    }
                }
                continue;
            }
            x.ChangedOrders?.Sort(ByOrderThenId);
            foreach (var pair in PairsOf(x, mask, maxBlock, window, sortKeyOf))
            {
                var (i, j) = ((int)(pair >> 32), (int)(pair & 0xFFFFFFFF));
                if (i == j) continue;
                if (changed[i] || changed[j])
                {
                    toScore.Add(pair);
                    continue;
                }
                // Both unchanged: a candidate before when the block was compared in full then, or when it was a large block
                // then and now and no change sits between the two in its sort order (nothing moved the window between them).
                var maybeNew = sizeBefore > maxBlock
                               && (size <= maxBlock || ChangeBetween(x.ChangedOrders!, (OrderOf(sortKeys[i]), ids[i]), (OrderOf(sortKeys[j]), ids[j])));
                if (maybeNew && !links.ContainsKey(pair)) toScore.Add(pair);
            }
        }

        // 7. A link at risk stays when some block the two share still proposes them.
        foreach (var (ia, ib, shared, link) in atRisk)
        {
            var pair = Pack(ia, ib);
            var kept = false;
            foreach (var k in shared)
            {
                var x = blocks[k];
                var size = x.Entries.Count;
                if (size < 2 || size > BlockMatcher.BlockLimit(maxBlock, window)) continue;
                if (size <= maxBlock || (x.Pairs ??= PairsOf(x, mask, maxBlock, window, sortKeyOf).ToHashSet(BlockMatcher.PairHash.Instance)).Contains(pair))
                {
                    kept = true;
                    break;
                }
            }
            if (kept) continue;
            links.Remove(pair);
            removedLinks.Add(link);
            touched.Add(ia);
            touched.Add(ib);
        }

        // 8. Compare, as the full match does (lower record index first).
        var candidates = toScore.ToArray();
        Array.Sort(candidates);
        prepared.Add(candidates.SelectMany(p => new[] { (int)(p >> 32), (int)(p & 0xFFFFFFFF) }));
        var found = BlockMatcher.Score(candidates, candidates.Length,
            (i, j) => kind.Score(prepared.Get(i), prepared.Get(j), threshold), threshold);
        var addedLinks = new List<DedupeLink>(found.Count);
        foreach (var m in found)
        {
            links[Pack(m.Left, m.Right)] = m.Score;
            addedLinks.Add(Link(ids[m.Left], ids[m.Right], m.Score));
            touched.Add(m.Left);
            touched.Add(m.Right);
        }
        foreach (var i in changedList) touched.Add(i);

        // 9. Cluster again the components of the links that hold a touched record.
        // The links as two sorted arrays of packed pairs, (i, j) and (j, i): a record's neighbours are a range of each
        // (a list per linked record cost about 200 bytes a record).
        var forward = new long[links.Count];
        var backward = new long[links.Count];
        var filled = 0;
        foreach (var pair in links.Keys)
        {
            forward[filled] = pair;
            backward[filled++] = pair << 32 | (pair >>> 32);
        }
        Array.Sort(forward);
        Array.Sort(backward);
        var component = new HashSet<int>();
        var queue = new Queue<int>();
        foreach (var i in touched)
        {
            if (Linked(forward, i) >= 0 || Linked(backward, i) >= 0)
            {
                component.Add(i);
                queue.Enqueue(i);
            }
        }
        while (queue.Count > 0)
        {
            var i = queue.Dequeue();
            Reach(forward, i, component, queue);
            Reach(backward, i, component, queue);
        }
        var matches = links.Where(l => component.Contains((int)(l.Key >> 32)))
            .OrderBy(l => l.Key)
            .Select(l => new BlockMatcher.Match((int)(l.Key >> 32), (int)(l.Key & 0xFFFFFFFF), l.Value))
            .ToList();
        prepared.Add(component);
        var reclustered = Deduplicator.Cluster(kind, i => prepared.Get(i), matches, options, linkFloor);

        // 10. The clusters no change reached stay as they were.
        var gone = touched.Select(i => ids[i]).Concat(component.Select(i => ids[i])).Concat(deleted.Select(r => old.Ids[r]))
            .ToHashSet(StringComparer.Ordinal);
        var clusters = new List<DuplicateCluster>(old.Clusters.Count + reclustered.Count);
        var removedClusters = new List<string>();
        foreach (var cluster in old.Clusters)
        {
            if (AnyIn(cluster.RecordIds, gone)) removedClusters.Add(cluster.SurvivorId);
            else clusters.Add(cluster);
        }
        clusters.AddRange(reclustered);
        clusters.Sort((x, y) => string.CompareOrdinal(x.SurvivorId, y.SurvivorId));

        var removedSet = removedLinks.ToHashSet(ReferenceEqualityComparer.Instance);
        var keptLinks = old.Links.Where(l => !removedSet.Contains(l)).Concat(addedLinks).ToList();
        var state = next.With(keptLinks, clusters);
        var change = new DedupeStateChange
        {
            UpsertedRecords = changedList,
            DeletedRecords = deleted.Select(r => old.Ids[r]).ToList(),
            RemovedLinks = removedLinks,
            AddedLinks = addedLinks,
            RemovedClusters = removedClusters,
            AddedClusters = reclustered,
        };
        return new IncrementalDedupeResult(clusters, state, change, candidates.Length, null);
    }

    /// <summary>The bits of the filter of the blocks read (2²² bits: 512 KB).</summary>
    private const int FilterBits = 22;

    /// <summary>A block's bit in the filter (the top bits of a multiplicative hash: blocks are keys with their low bits cleared).</summary>
    private static int FilterSlot(long block) => (int)((ulong)block * 0x9E3779B97F4A7C15UL >> (64 - FilterBits));

    /// <summary>The first of record <paramref name="i"/>'s pairs (packed, <paramref name="i"/> in the high half) in
    /// <paramref name="sorted"/>, or −1 when it has none.</summary>
    private static int Linked(long[] sorted, int i)
    {
        var at = Array.BinarySearch(sorted, (long)i << 32);
        at = at < 0 ? ~at : at;
        return at < sorted.Length && sorted[at] >>> 32 == i ? at : -1;
    }

    /// <summary>Adds record <paramref name="i"/>'s neighbours in <paramref name="sorted"/> (packed pairs, <paramref name="i"/>
    /// in the high half) to <paramref name="component"/>, and those new to it to <paramref name="queue"/>.</summary>
    private static void Reach(long[] sorted, int i, HashSet<int> component, Queue<int> queue)
    {
        for (var at = Linked(sorted, i); at >= 0 && at < sorted.Length && sorted[at] >>> 32 == i; at++)
        {
            var j = (int)(sorted[at] & 0xFFFFFFFF);
            if (component.Add(j)) queue.Enqueue(j);
        }
    }

    /// <summary>Whether any of <paramref name="ids"/> is in <paramref name="set"/> (without an enumerator and a delegate per cluster).</summary>
    private static bool AnyIn(IReadOnlyList<string> ids, HashSet<string> set)
    {
        for (var x = 0; x < ids.Count; x++)
        {
            if (set.Contains(ids[x])) return true;
        }
        return false;
    }

    /// <summary>The index of <paramref name="id"/> among <paramref name="ids"/> (in ordinal order), or −1.</summary>
    private static int IndexIn(string[] ids, string id) => Array.BinarySearch(ids, id, StringComparer.Ordinal) is var i and >= 0 ? i : -1;

    /// <summary>Whether two records share a block that a change touched (<see cref="SharedBlocks"/> without a list: most
    /// links share none).</summary>
    private static bool SharesTouchedBlock(ReadOnlySpan<long> a, ReadOnlySpan<long> b, long block, Dictionary<long, Block> blocks)
    {
        foreach (var x in a)
        {
            foreach (var y in b)
            {
                if ((x & block) == (y & block) && blocks.TryGetValue(x & block, out var found) && found.Touched) return true;
            }
        }
        return false;
    }

    /// <summary>The blocks (keys above the index bits) two records share, each once.</summary>
    private static long[] SharedBlocks(ReadOnlySpan<long> a, ReadOnlySpan<long> b, long block)
    {
        var shared = new List<long>();
        foreach (var x in a)
        {
            foreach (var y in b)
            {
                if ((x & block) == (y & block) && !shared.Contains(x & block)) shared.Add(x & block);
            }
        }
        return shared.ToArray();
    }

    /// <summary>The block's candidate pairs now, as the full match proposes them (<see cref="BlockMatcher.BlockPairs"/>).</summary>
    private static long[] PairsOf(Block x, long mask, int maxBlock, int window, Func<int, long> sortKeyOf)
    {
        var entries = new long[x.Entries.Count];
        for (var e = 0; e < entries.Length; e++) entries[e] = x.Entries[e];
        var pairs = new long[BlockMatcher.PairCount(entries.Length, maxBlock, window)];
        var count = BlockMatcher.BlockPairs(entries, mask, maxBlock, window, sortKeyOf, pairs);
        return count == pairs.Length ? pairs : pairs[..count];
    }

    /// <summary>A large block's order: the sort key's top bits, ties by record index, which is id order in both passes'
    /// record lists (both are in id order).</summary>
    private static readonly Comparer<(long Order, string Id)> ByOrderThenId = Comparer<(long Order, string Id)>.Create(
        static (a, b) => a.Order != b.Order ? a.Order.CompareTo(b.Order) : string.CompareOrdinal(a.Id, b.Id));

    /// <summary>Whether a changed entry sorts strictly between two unchanged records of a large block (only such an
    /// entry changes how many entries lie between them, so whether they are within the window of each other).</summary>
    private static bool ChangeBetween(List<(long Order, string Id)> sortedChanges, (long Order, string Id) x, (long Order, string Id) y)
    {
        var (lo, hi) = ByOrderThenId.Compare(x, y) <= 0 ? (x, y) : (y, x);
        var at = sortedChanges.BinarySearch(lo, ByOrderThenId);
        at = at < 0 ? ~at : at + 1;
        while (at < sortedChanges.Count && ByOrderThenId.Compare(sortedChanges[at], lo) == 0) at++;
        return at < sortedChanges.Count && ByOrderThenId.Compare(sortedChanges[at], hi) < 0;
    }

    /// <summary>Records prepared on demand, by index (only those a pass reads: a million are never prepared for a few hundred changes).</summary>
    private sealed class Prepared<T>(Func<int, T> prepare)
    {
        private readonly Dictionary<int, int> _slot = [];
        private T[] _items = new T[16];

        public ref readonly T Get(int i) => ref _items[_slot[i]];

        /// <summary>Prepares the records not prepared yet (in parallel).</summary>
        public void Add(IEnumerable<int> indexes)
        {
            var missing = indexes.Where(i => !_slot.ContainsKey(i)).Distinct().ToArray();
            if (missing.Length == 0) return;
            var start = _slot.Count;
            if (start + missing.Length > _items.Length) Array.Resize(ref _items, Math.Max(_items.Length * 2, start + missing.Length));
            var items = _items;
            Parallel.For(0, missing.Length, Parallelism.OnCores, k => items[start + k] = prepare(missing[k]));
            for (var k = 0; k < missing.Length; k++) _slot[missing[k]] = start + k;
        }
    }
}
