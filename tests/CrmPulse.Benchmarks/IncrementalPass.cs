using System.Diagnostics;
using System.Globalization;
using CrmPulse.Core.Dedupe;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using CrmPulse.Storage;

namespace CrmPulse.Benchmarks;

/// <summary>
/// Section 3: the whole KPI pass with incremental deduplication after a 1 % change (issue 21), next to DuckDB's SQL time,
/// and the comparisons it did against a full match's. The org's records are taken in id order, as the mirror loads them.
/// The change: 1 % of the contacts and companies, a third each added (half of the added contacts copies of others with
/// another id), edited in a field the matcher reads, deleted. Also: the state's cost in a SQLite store (written whole
/// once, read back, a pass's change written), which the daemon pays on each pass besides the pass itself.
/// </summary>
internal static class IncrementalPass
{
    /// <param name="snapshotHeap">The managed heap the org's snapshot holds (Program.cs measured it), for the memory figures.</param>
    /// <param name="lean">Each measure once, nothing that repeats another (the 5-million-contact run): no full pass of the
    /// changed org (the equality of the incremental passes with it is checked at smaller scales), no dedupe-alone full
    /// match, no store cost.</param>
    public static void Run(CrmSnapshot original, DuckDbReference duck, KpiOptions options, int rounds, Func<double, string> ratio,
        long snapshotHeap, bool lean = false)
    {
        Console.WriteLine("Incremental deduplication (section 3): the whole pass after a 1 % change, the stored matcher state of the pass before");
        var millions = original.Contacts.Count / 1e6;
        // The org in id order, as the mirror loads it (Program.cs generates it so: then no second copy is made here).
        var snapshot = InIdOrder(original.Contacts, c => c.Id) && InIdOrder(original.Companies, c => c.Id) ? original : original with
        {
            Contacts = ContactColumns.From(original.Contacts.OrderBy(c => c.Id, StringComparer.Ordinal).ToList()),
            Companies = CompanyColumns.From(original.Companies.OrderBy(c => c.Id, StringComparer.Ordinal).ToList()),
        };
        var (first, firstPass, stateHeap) = FirstPass(snapshot, options);
        Console.WriteLine($"  first pass (full match, state built): {firstPass.Describe()}; contacts: {first.Contacts!.Comparisons:N0} comparisons, " +
                          $"{first.Contacts.Clusters.Count:N0} clusters, {first.Contacts.State.Links.Count:N0} links; companies: {first.Companies!.Comparisons:N0} comparisons");
        Console.WriteLine($"    memory: snapshot {PeakSampler.Mb(snapshotHeap)} + peak growth {PeakSampler.Mb(firstPass.Growth)} = " +
                          $"{PeakSampler.Mb(snapshotHeap + firstPass.Growth)}, {PeakSampler.Gb((snapshotHeap + firstPass.Growth) / millions)} per million contacts; " +
                          $"the matcher state kept for the next pass: {PeakSampler.Mb(stateHeap)} of managed heap");
        Console.WriteLine($"    working set over the pass: {firstPass.Profile()}");
        Console.WriteLine($"    the state's arrays: contacts {Parts(first.Contacts.State)}; companies {Parts(first.Companies.State)}");
        var changed = Change(snapshot, 0.01, new Random(21));

        // Full pass of the changed org: the reference values and the full match's comparisons. With fitted weights it
        // scores with the first pass's model, as the incremental passes do (a new fit may weigh a pair otherwise).
        DedupeSession? fullSession = null;
        string? fullDigest = null;
        var fullSeconds = 0.0;
        if (!lean)
        {
            PeakSampler.Settle();
            var sw = Stopwatch.StartNew();
            fullSession = new DedupeSession { Full = true, ReuseModel = true, PreviousContacts = first.Contacts.State };
            fullDigest = Digest(KpiEngine.Compute(changed, OrgGenerator.AsOf, options, dedupe: fullSession));
            fullSeconds = sw.Elapsed.TotalSeconds;
        }

        var times = new List<(double Incremental, double Sql)>();
        DedupeSession? last = null;
        var (incrementalPeak, sqlPeak) = (0L, 0L);
        for (var round = 1; round <= rounds; round++)
        {
            var (pass, session, digest) = MeasureIncremental(changed, options, first);
            var sql = Sql(duck);
            times.Add((pass.Seconds, sql.Seconds));
            (incrementalPeak, sqlPeak) = (Math.Max(incrementalPeak, pass.Growth), Math.Max(sqlPeak, sql.Growth));
            last = session;
            Console.WriteLine($"  round {round}: whole pass with incremental dedupe {pass.Describe()}; DuckDB SQL {sql.Seconds:F2} s wall, {sql.Cpu:F2} s CPU, " +
                              $"peak +{PeakSampler.Mb(sql.Growth)}; " + (fullDigest is null ? "(no full pass of the changed org to compare with: --lean)"
                                  : digest == fullDigest ? "every sample and issue equal to the full pass's" : "DIFFERENT from the full pass!"));
        }
        var contacts = last!.Contacts!;
        var companies = last.Companies!;
        var (tInc, tSql) = (Median(times.Select(t => t.Incremental)), Median(times.Select(t => t.Sql)));
        Console.WriteLine($"  | measure | CrmPulse | DuckDB | ratio |");
        Console.WriteLine($"  | whole pass, incremental dedupe after a 1 % change (median) | {tInc:F2} s | {tSql:F2} s | {ratio(tInc / tSql)} |");
        if (!lean) Console.WriteLine($"  | whole pass, full dedupe of the same org (once) | {fullSeconds:F2} s | {tSql:F2} s | {ratio(fullSeconds / tSql)} |");
        Console.WriteLine($"  | whole pass, first (full match of every record) | {firstPass.Seconds:F2} s | {tSql:F2} s | {ratio(firstPass.Seconds / tSql)} |");
        // Memory of each side: what holds the data (the snapshot, and for an incremental pass the state it starts from;
        // DuckDB's tables) plus the working set its peak added.
        var duckData = duck.MemoryBytes();
        var (mFirst, mInc, mSql) = (snapshotHeap + firstPass.Growth, snapshotHeap + stateHeap + incrementalPeak, duckData + sqlPeak);
        Console.WriteLine($"  | memory, whole pass, incremental (snapshot + state + peak growth) | {PeakSampler.Mb(mInc)} | {PeakSampler.Mb(mSql)} | {ratio((double)mInc / mSql)} |");
        Console.WriteLine($"  | memory, whole pass, first (snapshot + peak growth) | {PeakSampler.Mb(mFirst)} | {PeakSampler.Mb(mSql)} | {ratio((double)mFirst / mSql)} |");
        Console.WriteLine($"  | memory per million contacts, incremental / first | {PeakSampler.Gb(mInc / millions)} / {PeakSampler.Gb(mFirst / millions)} | {PeakSampler.Gb(mSql / millions)} | |");
        var fullComparisons = fullSession?.Contacts!.Comparisons ?? first.Contacts.Comparisons;
        Console.WriteLine($"  comparisons: contacts {contacts.Comparisons:N0} of a full match's {fullComparisons:N0} " +
                          $"({100.0 * contacts.Comparisons / fullComparisons:F2} %{(fullSession is null ? ", the first pass's full match" : "")}), " +
                          $"companies {companies.Comparisons:N0} of {(fullSession?.Companies ?? first.Companies).Comparisons:N0}; " +
                          $"{contacts.Change.UpsertedRecords.Count:N0} contacts changed or added, {contacts.Change.DeletedRecords.Count:N0} deleted, " +
                          $"{contacts.Change.AddedClusters.Count:N0} clusters made again; load average {PeakSampler.LoadAverage()}");
        DedupeAlone(changed, options, first, full: !lean);
        if (!lean) StoreCost(first, last);
        Console.WriteLine();
    }

    /// <summary>The first pass of a daemon (a full match that builds the state), and the managed heap the state holds.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (DedupeSession First, PeakSampler.Figures Pass, long StateHeap) FirstPass(CrmSnapshot snapshot, KpiOptions options)
    {
        PeakSampler.Settle();
        var before = GC.GetTotalMemory(true);
        var first = new DedupeSession();
        var (pass, _) = Reported("first pass: ", before, () => KpiEngine.Compute(snapshot, OrgGenerator.AsOf, options, dedupe: first), digest: false);
        PeakSampler.Settle();
        return (first, pass, GC.GetTotalMemory(true) - before);
    }

    /// <summary>What a state's arrays hold (the ids are the snapshot's own array, not counted), and its links and clusters.</summary>
    private static string Parts(DedupeState state) =>
        $"{state.Keys.Count:N0} keys {PeakSampler.Mb(state.Keys.Bytes)}, sort keys {PeakSampler.Mb(state.SortKeys.Bytes)}, " +
        $"fingerprints {PeakSampler.Mb(state.Fingerprints.Length * 8L)}, key starts {PeakSampler.Mb((state.Count + 1) * 4L)}; " +
        $"{state.Links.Count:N0} links, {state.Clusters.Count:N0} clusters (about {PeakSampler.Mb(ClusterBytes(state.Clusters))})" +
        (state.Model is { } model ? $"; fitted model, as JSON {PeakSampler.Mb(model.Length * 2L)}" : "");

    /// <summary>About what clusters hold besides the ids (shared with the snapshot): the bytes a copy of them allocates,
    /// each reason text copied once.</summary>
    private static long ClusterBytes(IReadOnlyList<DuplicateCluster> clusters)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var copy = new List<DuplicateCluster>(clusters.Count);
        foreach (var c in clusters)
        {
            var ids = new List<string>(c.RecordIds);
            var reasons = new string?[ids.Count - 1];
            for (var k = 1; k < ids.Count; k++)
            {
                if (c.Reasons.TryGetValue(ids[k], out var r)) reasons[k - 1] = texts.TryGetValue(r, out var t) ? t : texts[r] = new string(r.AsSpan());
            }
            copy.Add(new DuplicateCluster(c.Object, ids) { Reasons = DuplicateReasons.Of(ids, reasons, texts) });
        }
        var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(copy);
        return bytes;
    }

    private static bool InIdOrder<T>(IReadOnlyList<T> items, Func<T, string> id)
    {
        for (var i = 1; i < items.Count; i++)
        {
            if (string.CompareOrdinal(id(items[i - 1]), id(items[i])) > 0) return false;
        }
        return true;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (PeakSampler.Figures Pass, DedupeSession Session, string Digest) MeasureIncremental(CrmSnapshot changed, KpiOptions options, DedupeSession first)
    {
        PeakSampler.Settle();
        var session = new DedupeSession { PreviousContacts = first.Contacts!.State, PreviousCompanies = first.Companies!.State };
        var (pass, digest) = Reported("", GC.GetTotalMemory(false), () => KpiEngine.Compute(changed, OrgGenerator.AsOf, options, dedupe: session), digest: true);
        return (pass, session, digest!);
    }

    /// <summary>Runs a pass as a measure, then prints what the managed heap held at its end over <paramref name="liveBefore"/>
    /// (<see cref="PeakSampler.HeapAtEnd"/>), with the pass's result alive; in a method of its own, so that nothing of the
    /// result outlives it (the caller measures the heap after it).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (PeakSampler.Figures Pass, string? Digest) Reported(string label, long liveBefore, Func<KpiResult> compute, bool digest)
    {
        KpiResult? result = null;
        var pass = PeakSampler.Run(() => result = compute());
        Console.WriteLine($"    {label}{PeakSampler.HeapAtEnd(liveBefore, result)}");
        return (pass, digest ? Digest(result!) : null);
    }

    /// <summary>The incremental pass's deduplication side broken down (issue 21): the contact and the company deduplication
    /// alone, incremental from the first pass's state, each with the managed heap its result (the new state) holds; the
    /// duplicate family alone reading the clusters (found before it); and (unless <paramref name="full"/> is false) a full
    /// match of the contacts.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void DedupeAlone(CrmSnapshot changed, KpiOptions options, DedupeSession first, bool full)
    {
        var (incremental, contactState) = Held(() => IncrementalDeduplicator.Contacts(changed.Contacts, options.Dedupe, first.Contacts!.State));
        Console.WriteLine($"  contact deduplication alone, incremental: {incremental.Describe()}; its result holds {PeakSampler.Mb(contactState)}");
        var (companies, companyState) = Held(() => IncrementalDeduplicator.Companies(changed.Companies, options.Dedupe, first.Companies!.State));
        Console.WriteLine($"  company deduplication alone, incremental: {companies.Describe()}; its result holds {PeakSampler.Mb(companyState)}");
        DuplicateFamily(changed, options, first);
        if (!full) return;
        PeakSampler.Settle();
        var match = PeakSampler.Run(() => Deduplicator.FindContactClusters(changed.Contacts, new Dictionary<string, string>(), options.Dedupe));
        Console.WriteLine($"  contact deduplication alone, full match: {match.Describe()}");
    }

    /// <summary>A measure, and the managed heap its result holds after a full collection (the rest was temporary).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (PeakSampler.Figures Figures, long Held) Held(Func<object> run)
    {
        PeakSampler.Settle();
        var before = GC.GetTotalMemory(true);
        object? result = null;
        var figures = PeakSampler.Run(() => result = run());
        var held = GC.GetTotalMemory(true) - before;
        GC.KeepAlive(result);
        return (figures, held);
    }

    /// <summary>The families' side of the clusters: <see cref="DuplicateKpis"/> alone (its issues included), the clusters
    /// found incrementally before the measure.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void DuplicateFamily(CrmSnapshot changed, KpiOptions options, DedupeSession first)
    {
        var context = new KpiContext(changed, OrgGenerator.AsOf, options,
            new DedupeSession { PreviousContacts = first.Contacts!.State, PreviousCompanies = first.Companies!.State });
        _ = (context.ContactClusters, context.CompanyClusters);
        PeakSampler.Settle();
        var output = new KpiOutput(changed.Source, OrgGenerator.AsOf);
        var family = PeakSampler.Run(() => new DuplicateKpis().Compute(context, output));
        Console.WriteLine($"  duplicate family alone (clusters found before): {family.Describe()}; {output.Issues.Count:N0} issues");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static PeakSampler.Figures Sql(DuckDbReference duck)
    {
        PeakSampler.Settle();
        return PeakSampler.Run(() => duck.Compute());
    }

    /// <summary>What keeping the state costs in a SQLite store: written whole (the first pass), read (each pass), a pass's change written.</summary>
    private static void StoreCost(DedupeSession first, DedupeSession incremental)
    {
        var folder = Directory.CreateTempSubdirectory("crmpulse-bench-");
        try
        {
            using var store = SqliteStore.OpenAsync(Path.Combine(folder.FullName, "bench.db"), TimeProvider.System, CancellationToken.None).GetAwaiter().GetResult();
            var sw = Stopwatch.StartNew();
            var gContacts = store.SaveDedupeStateAsync("bench", "contact", first.Contacts!.State, first.Contacts.Change, null, CancellationToken.None).GetAwaiter().GetResult();
            var gCompanies = store.SaveDedupeStateAsync("bench", "company", first.Companies!.State, first.Companies.Change, null, CancellationToken.None).GetAwaiter().GetResult();
            var writeAll = sw.Elapsed.TotalSeconds;
            sw.Restart();
            var contacts = store.LoadDedupeStateAsync("bench", "contact", CancellationToken.None).GetAwaiter().GetResult();
            var companies = store.LoadDedupeStateAsync("bench", "company", CancellationToken.None).GetAwaiter().GetResult();
            var read = sw.Elapsed.TotalSeconds;
            sw.Restart();
            store.SaveDedupeStateAsync("bench", "contact", incremental.Contacts!.State, incremental.Contacts.Change, gContacts, CancellationToken.None).GetAwaiter().GetResult();
            store.SaveDedupeStateAsync("bench", "company", incremental.Companies!.State, incremental.Companies.Change, gCompanies, CancellationToken.None).GetAwaiter().GetResult();
            var writeChange = sw.Elapsed.TotalSeconds;
            Console.WriteLine($"  state in a SQLite store: written whole {writeAll:F2} s, read {read:F2} s ({contacts!.Count + companies!.Count:N0} records), " +
                              $"a pass's change written {writeChange:F2} s (a daemon reads the state once per process and keeps it); file {new FileInfo(Path.Combine(folder.FullName, "bench.db")).Length / 1048576.0:N0} MB");
        }
        finally
        {
            SqliteStoreCleanup(folder);
        }
    }

    private static void SqliteStoreCleanup(DirectoryInfo folder)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Delete(recursive: true);
    }

    /// <summary>The org with <paramref name="share"/> of its contacts and companies changed: added, edited, deleted.</summary>
    /// <remarks>In one walk over the records in id order (a list's RemoveAt per deletion was quadratic: minutes at five
    /// million contacts), each contact read from the columns and let go, the changed org's columns built as it goes.</remarks>
    private static CrmSnapshot Change(CrmSnapshot s, double share, Random random)
    {
        var contacts = new ContactColumns.Builder(s.Contacts.Count + (int)(s.Contacts.Count * share));
        foreach (var c in Changed(s.Contacts, share, random, c => c.Id, (source, k) => k % 2 == 0
                ? source with { Id = $"c9{k:D8}" }
                : source with { Id = $"c9{k:D8}", FirstName = "Zed", Email = $"zed{k}@example.org", Phone = null },
            (c, k) => k % 2 == 0 ? c with { LastName = c.LastName + "e" } : c with { Email = $"new{k}@example.org", Phone = null }))
        {
            contacts.Add(c);
        }
        var companies = Changed(s.Companies, share, random, c => c.Id, (source, k) => source with { Id = $"co9{k:D8}" },
            (c, _) => c with { Name = c.Name + " Group" }).ToList();
        return s with { Contacts = contacts.Build(), Companies = CompanyColumns.From(companies) };
    }

    /// <summary>
    /// <paramref name="records"/> (in id order) with <paramref name="share"/> of them changed, in id order: the k-th change
    /// adds a copy of a random record (k % 3 == 0), edits one (1) or deletes one (2); each record is edited or deleted at
    /// most once.
    /// </summary>
    private static IEnumerable<T> Changed<T>(IReadOnlyList<T> records, double share, Random random, Func<T, string> id,
        Func<T, int, T> add, Func<T, int, T> edit)
    {
        var count = (int)(records.Count * share);
        var added = new List<T>();
        var edited = new Dictionary<int, T>();
        var deleted = new HashSet<int>();
        for (var k = 0; k < count; k++)
        {
            var at = random.Next(records.Count);
            if (k % 3 == 0)
            {
                added.Add(add(records[at], k));
                continue;
            }
            while (edited.ContainsKey(at) || deleted.Contains(at)) at = random.Next(records.Count);
            if (k % 3 == 1) edited[at] = edit(records[at], k);
            else deleted.Add(at);
        }
        added.Sort((a, b) => string.CompareOrdinal(id(a), id(b)));
        var next = 0;
        for (var i = 0; i < records.Count; i++)
        {
            if (deleted.Contains(i)) continue;
            var record = edited.TryGetValue(i, out var e) ? e : records[i];
            for (; next < added.Count && string.CompareOrdinal(id(added[next]), id(record)) < 0; next++) yield return added[next];
            yield return record;
        }
        for (; next < added.Count; next++) yield return added[next];
    }

    private static double Median(IEnumerable<double> xs)
    {
        var a = xs.Order().ToArray();
        return a.Length % 2 == 1 ? a[a.Length / 2] : (a[a.Length / 2 - 1] + a[a.Length / 2]) / 2;
    }

    /// <summary>A digest of a pass: every sample and every issue with its text.</summary>
    private static string Digest(KpiResult result)
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        void Line(string text) => sha.AppendData(System.Text.Encoding.UTF8.GetBytes(text + "\n"));
        foreach (var s in result.Samples) Line(string.Create(CultureInfo.InvariantCulture, $"{s.Kpi}|{s.Source}|{s.Dimensions.Key}|{s.Value:R}|{s.Basis}"));
        foreach (var i in result.Issues) Line($"{i.Kpi}|{i.Object}|{i.RecordId}|{i.OwnerId}|{i.Team}|{i.Field}|{i.Detail}");
        return Convert.ToHexString(sha.GetHashAndReset())[..16];
    }
}
