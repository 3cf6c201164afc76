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
    public static void Run(CrmSnapshot original, DuckDbReference duck, KpiOptions options, int rounds, Func<double, string> ratio)
    {
        Console.WriteLine("Incremental deduplication (section 3): the whole pass after a 1 % change, the stored matcher state of the pass before");
        var snapshot = original with
        {
            Contacts = ContactColumns.From(original.Contacts.OrderBy(c => c.Id, StringComparer.Ordinal).ToList()),
            Companies = CompanyColumns.From(original.Companies.OrderBy(c => c.Id, StringComparer.Ordinal).ToList()),
        };
        var sw = Stopwatch.StartNew();
        var first = new DedupeSession();
        KpiEngine.Compute(snapshot, OrgGenerator.AsOf, options, dedupe: first);
        Console.WriteLine($"  first pass (full match, state built): {sw.Elapsed.TotalSeconds:F2} s; contacts: {first.Contacts!.Comparisons:N0} comparisons, " +
                          $"{first.Contacts.Clusters.Count:N0} clusters, {first.Contacts.State.Links.Count:N0} links; companies: {first.Companies!.Comparisons:N0} comparisons");
        var changed = Change(snapshot, 0.01, new Random(21));

        // Full pass of the changed org: the reference values and the full match's comparisons. With fitted weights it
        // scores with the first pass's model, as the incremental passes do (a new fit may weigh a pair otherwise).
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        sw.Restart();
        var fullSession = new DedupeSession { Full = true, ReuseModel = true, PreviousContacts = first.Contacts.State };
        var full = KpiEngine.Compute(changed, OrgGenerator.AsOf, options, dedupe: fullSession);
        var fullSeconds = sw.Elapsed.TotalSeconds;
        var fullDigest = Digest(full);
        full = null;

        var times = new List<(double Incremental, double Sql)>();
        DedupeSession? last = null;
        for (var round = 1; round <= rounds; round++)
        {
            var (seconds, session, digest) = MeasureIncremental(changed, options, first);
            var sql = Sql(duck);
            times.Add((seconds, sql));
            last = session;
            Console.WriteLine($"  round {round}: whole pass with incremental dedupe {seconds:F2} s; DuckDB SQL {sql:F2} s; " +
                              (digest == fullDigest ? "every sample and issue equal to the full pass's" : "DIFFERENT from the full pass!"));
        }
        var contacts = last!.Contacts!;
        var companies = last.Companies!;
        var (tInc, tSql) = (Median(times.Select(t => t.Incremental)), Median(times.Select(t => t.Sql)));
        Console.WriteLine($"  | measure | CrmPulse | DuckDB | ratio |");
        Console.WriteLine($"  | whole pass, incremental dedupe after a 1 % change (median) | {tInc:F2} s | {tSql:F2} s | {ratio(tInc / tSql)} |");
        Console.WriteLine($"  | whole pass, full dedupe of the same org (once) | {fullSeconds:F2} s | {tSql:F2} s | {ratio(fullSeconds / tSql)} |");
        Console.WriteLine($"  comparisons: contacts {contacts.Comparisons:N0} of a full match's {fullSession.Contacts!.Comparisons:N0} " +
                          $"({100.0 * contacts.Comparisons / fullSession.Contacts.Comparisons:F2} %), companies {companies.Comparisons:N0} of " +
                          $"{fullSession.Companies!.Comparisons:N0} ({100.0 * companies.Comparisons / Math.Max(1, fullSession.Companies.Comparisons):F2} %); " +
                          $"{contacts.Change.UpsertedRecords.Count:N0} contacts changed or added, {contacts.Change.DeletedRecords.Count:N0} deleted, " +
                          $"{contacts.Change.AddedClusters.Count:N0} clusters made again");
        DedupeAlone(changed, options, first);
        StoreCost(first, last);
        Console.WriteLine();
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (double Seconds, DedupeSession Session, string Digest) MeasureIncremental(CrmSnapshot changed, KpiOptions options, DedupeSession first)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var session = new DedupeSession { PreviousContacts = first.Contacts!.State, PreviousCompanies = first.Companies!.State };
        var sw = Stopwatch.StartNew();
        var result = KpiEngine.Compute(changed, OrgGenerator.AsOf, options, dedupe: session);
        var seconds = sw.Elapsed.TotalSeconds;
        return (seconds, session, Digest(result));
    }

    /// <summary>The contact deduplication alone: incremental from the first pass's state, and a full match.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void DedupeAlone(CrmSnapshot changed, KpiOptions options, DedupeSession first)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var (sw, cpu) = (Stopwatch.StartNew(), Cpu());
        IncrementalDeduplicator.Contacts(changed.Contacts, options.Dedupe, first.Contacts!.State);
        var (incremental, incrementalCpu) = (sw.Elapsed.TotalSeconds, Cpu() - cpu);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        (sw, cpu) = (Stopwatch.StartNew(), Cpu());
        Deduplicator.FindContactClusters(changed.Contacts, new Dictionary<string, string>(), options.Dedupe);
        Console.WriteLine($"  contact deduplication alone: incremental {incremental:F2} s wall, {incrementalCpu:F2} s CPU; " +
                          $"full match {sw.Elapsed.TotalSeconds:F2} s wall, {Cpu() - cpu:F2} s CPU");
    }

    private static double Cpu()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime.TotalSeconds;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static double Sql(DuckDbReference duck)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var sw = Stopwatch.StartNew();
        duck.Compute();
        return sw.Elapsed.TotalSeconds;
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
    private static CrmSnapshot Change(CrmSnapshot s, double share, Random random)
    {
        var contacts = s.Contacts.ToList();
        var count = (int)(contacts.Count * share);
        for (var k = 0; k < count; k++)
        {
            switch (k % 3)
            {
                case 0:
                    var source = contacts[random.Next(contacts.Count)];
                    contacts.Add(k % 2 == 0
                        ? source with { Id = $"c9{k:D8}" }
                        : source with { Id = $"c9{k:D8}", FirstName = "Zed", Email = $"zed{k}@example.org", Phone = null });
                    break;
                case 1:
                    var at = random.Next(contacts.Count);
                    contacts[at] = k % 2 == 0
                        ? contacts[at] with { LastName = contacts[at].LastName + "e" }
                        : contacts[at] with { Email = $"new{k}@example.org", Phone = null };
                    break;
                default:
                    contacts.RemoveAt(random.Next(contacts.Count));
                    break;
            }
        }
        var companies = s.Companies.ToList();
        for (var k = 0; k < (int)(companies.Count * share); k++)
        {
            var at = random.Next(companies.Count);
            switch (k % 3)
            {
                case 0: companies.Add(companies[at] with { Id = $"co9{k:D8}" }); break;
                case 1: companies[at] = companies[at] with { Name = companies[at].Name + " Group" }; break;
                default: companies.RemoveAt(at); break;
            }
        }
        return s with
        {
            Contacts = ContactColumns.From(contacts.OrderBy(c => c.Id, StringComparer.Ordinal).ToList()),
            Companies = CompanyColumns.From(companies.OrderBy(c => c.Id, StringComparer.Ordinal).ToList()),
        };
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
