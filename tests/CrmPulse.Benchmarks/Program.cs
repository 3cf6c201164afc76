using System.Diagnostics;
using System.Globalization;
using CrmPulse.Benchmarks;
using CrmPulse.Core.Dedupe;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;

// CrmPulse scale benchmark: generates a seeded org (1,000,000 contacts, 200,000 companies, 300,000 deals,
// 3,000,000 activities, 2,000 users; --quick is 1/20 of that, --scale X any share) and measures the whole KPI pass and the contact
// deduplication at three sizes. Run: dotnet run -c Release --project tests/CrmPulse.Benchmarks [-- --quick] [--seed N]

// --console URL: times the console pages of a running CrmPulse instead (ConsoleTiming.cs).
if (Array.IndexOf(args, "--console") is var consoleAt and >= 0)
    return await ConsoleTiming.RunAsync(consoleAt + 1 < args.Length ? args[consoleAt + 1] : "http://127.0.0.1:5080");
// --cluster: 1, 2 and 3 CrmPulse nodes on one real PostgreSQL, and the failover after a SIGKILL (ClusterBench.cs).
if (args.Contains("--cluster")) return await ClusterBench.RunAsync(args);

var quick = args.Contains("--quick");
// --kpi-only: the KPI passes and the per-family table only (a shorter loop while tuning the pass).
var kpiOnly = args.Contains("--kpi-only");
// --lean: each measure once, nothing that repeats another (the run at 5 million contacts, --scale 5): the org in id order
// as the mirror loads it (section 3 then needs no second copy), section 2's rounds without the whole pass (section 3
// measures it: the first pass's full match and the incremental pass), section 3 without the full pass of the changed
// org, the dedupe-alone full match and the store cost, and no per-family table.
var lean = args.Contains("--lean");
PeakSampler.Decommit = lean;
var seedAt = Array.IndexOf(args, "--seed");
var seed = seedAt >= 0 && seedAt + 1 < args.Length ? int.Parse(args[seedAt + 1], CultureInfo.InvariantCulture) : 42;
if (args.Any(a => a is "--help" or "-h"))
{
    Console.WriteLine("Usage: dotnet run -c Release --project tests/CrmPulse.Benchmarks [-- --quick] [--scale X] [--seed N] [--kpi-only] [--dedupe-only [--dedupe-misses] [--weights fixed|fitted] [--max-block N] [--dedupe-density fixed|constant|both]] [--rounds N] [--family ClassName [--integration FIELD=VALUE]] [--unjudged-phones] [--store] [--cluster [--quick] [--nodes 1,2,3] [--sources N] [--contacts N]] [--incremental-only] [--lean] [--heap-limit G] [--snapshot-breakdown] [--digests] [--no-reference [--without-duplicates]]");
    return 0;
}
var scaleAt = Array.IndexOf(args, "--scale");
var scale = scaleAt >= 0 && scaleAt + 1 < args.Length ? double.Parse(args[scaleAt + 1], CultureInfo.InvariantCulture) : quick ? 0.05 : 1.0;
Console.WriteLine($"CrmPulse benchmark: scale {scale} (seed {seed}), {Environment.ProcessorCount} cores, .NET {Environment.Version}, " +
                  $"GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, large-object threshold " +
                  $"{AppContext.GetData("System.GC.LOHThreshold") ?? "default"} (a new 3 MB array is in generation {GC.GetGeneration(new byte[3 << 20])})");

// Other work on the machine slows every figure: say how busy it was.
Console.WriteLine($"Load average (1, 5, 15 min): {LoadAverage()}");
// --store: the KPI pass (store read + pass + write) on SQLite against PostgreSQL, nothing else (StoreBench.cs).
if (args.Contains("--store"))
    return await StoreBench.RunAsync(seed, scale, Array.IndexOf(args, "--rounds") is var r and >= 0 && r + 1 < args.Length ? int.Parse(args[r + 1], CultureInfo.InvariantCulture) : 3);

// --dedupe-density fixed|constant|both: the names of the dedupe's orgs under a million contacts (DedupeOnly.NameDensity).
if (DedupeOnly.Densities(args, out var densityError) is not { } densities)
{
    Console.Error.WriteLine(densityError);
    return 2;
}
// --dedupe-only: section 2's dedupe figures alone, on contacts and companies generated at each size (DedupeOnly.cs).
if (args.Contains("--dedupe-only")) return DedupeOnly.Run(seed, scale, densities, args.Contains("--dedupe-misses"));

var sw = Stopwatch.StartNew();
var generator = new OrgGenerator(seed, scale);
var snapshot = Generate(generator, sw, judgePhones: !args.Contains("--unjudged-phones"), idOrder: lean);
// What the generator left (its records, the builders' grown arrays) is not the daemon's, which reads its snapshot from
// the store: an aggressive collection compacts the heap and gives the freed memory back to the system, so that no
// measure below starts from, or grows into, memory the generator had the GC commit. The working set after it is the
// snapshot and the runtime, as a daemon's would be after loading its snapshot.
var workingSetGenerated = Environment.WorkingSet;
GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
var snapshotHeap = GC.GetTotalMemory(true);
Console.WriteLine($"Managed heap holding the snapshot: {Mb(snapshotHeap)}; working set {Mb(workingSetGenerated)} after generation, " +
                  $"{Mb(Environment.WorkingSet)} after an aggressive collection (GC heap committed {Mb(GC.GetGCMemoryInfo().TotalCommittedBytes)}); " +
                  $"the generator's peak working set: {Mb(Peak())}");
// --snapshot-breakdown: the snapshot's heap per column (SnapshotBreakdown.cs), then nothing else.
if (args.Contains("--snapshot-breakdown"))
{
    SnapshotBreakdown.Print(snapshot, snapshotHeap);
    return 0;
}
// --heap-limit G: from here on the GC heap may commit at most G GB per million contacts (GCHeapHardLimit, set after
// generation, whose records would not fit): whether the passes fit in that much, rather than what the GC chose to
// keep committed with a whole machine free. A pass that does not fit ends the run with an OutOfMemoryException.
if (Array.IndexOf(args, "--heap-limit") is var limitAt and >= 0 && limitAt + 1 < args.Length)
{
    if (!double.TryParse(args[limitAt + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var perMillion) || perMillion <= 0)
    {
        Console.Error.WriteLine($"--heap-limit: '{args[limitAt + 1]}' is not a positive number of GB per million contacts (e.g. 0.8)");
        return 2;
    }
    var limit = (ulong)(perMillion * (1L << 30) * snapshot.Contacts.Count / 1e6);
    AppContext.SetData("GCHeapHardLimit", limit);
    GC.RefreshMemoryLimit();
    Console.WriteLine($"GC heap limited to {Mb((long)limit)} ({args[limitAt + 1]} GB per million contacts): the GC now sees {Mb(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes)} available");
}
Console.WriteLine();

// --digests: every family's digest, each family once on one context, in catalog order (to check a change to the
// snapshot or the pass leaves every value, issue and text as it was, against a build of main).
if (args.Contains("--digests"))
{
    var digestContext = new KpiContext(snapshot, OrgGenerator.AsOf, new KpiOptions());
    foreach (var family in KpiCatalog.Families)
    {
        var output = new KpiOutput("bench", OrgGenerator.AsOf);
        family.Compute(digestContext, output);
        Console.WriteLine($"  {family.GetType().Name,-24} {output.Samples.Count,9:N0} samples {output.Issues.Count,10:N0} issues, digest {Digest(output)}");
    }
    return 0;
}
// --family NAME[,NAME…]: each family alone, three times on fresh contexts (nothing else runs), to profile one family:
// its time, what it allocated, the working set its peak added (with --lean from a working set of live data only) and
// the managed heap its output holds at the end, with a digest of the output.
if (Array.IndexOf(args, "--family") is var familyAt and >= 0 && familyAt + 1 < args.Length)
{
    // --integration FIELD=VALUE: one integration recognised by that field (the generated org configures none, so
    // IntegrationKpis has nothing to do without it; "owner=u0000007" finds records of all three objects).
    var familyOptions = Array.IndexOf(args, "--integration") is var integrationAt and >= 0 && integrationAt + 1 < args.Length
                        && args[integrationAt + 1].Split('=', 2) is [var sourceField, var sourceValue]
        ? new KpiOptions { Integrations = [new IntegrationFieldRule("bench", sourceField, sourceValue, TimeSpan.FromHours(1))] }
        : new KpiOptions();
    foreach (var name in args[familyAt + 1].Split(','))
    {
        var alone = KpiCatalog.Families.Single(f => f.GetType().Name == name);
        for (var run = 1; run <= 3; run++) MeasureFamily(alone, run, snapshot, snapshotHeap, familyOptions);
    }
    Console.WriteLine($"Load average {LoadAverage()}");
    return 0;
}

// --no-reference: the passes alone, without DuckDB (whose load takes minutes at 5 million contacts on a busy machine);
// with --without-duplicates, only the pass without the families that read duplicate clusters. Time and memory
// (snapshot heap + peak growth) per round, and memory per million contacts.
var roundsArg = Array.IndexOf(args, "--rounds") is var ra and >= 0 && ra + 1 < args.Length ? int.Parse(args[ra + 1], CultureInfo.InvariantCulture) : 3;
if (args.Contains("--no-reference"))
{
    var passOptions = new KpiOptions();
    var millionContacts = snapshot.Contacts.Count / 1e6;
    for (var round = 1; round <= roundsArg; round++)
    {
        Console.WriteLine($"Round {round} of {roundsArg}:");
        if (!args.Contains("--without-duplicates"))
        {
            var full = MeasurePass(round == 1 ? "first" : $"round {round}", snapshot, snapshotHeap, passOptions);
            Console.WriteLine($"  whole pass: memory {Mb(snapshotHeap + full.Peak - full.Baseline)} (snapshot + peak growth), " +
                              $"{Gb((snapshotHeap + full.Peak - full.Baseline) / millionContacts)} per million contacts");
        }
        var noDup = MeasureWithoutDuplicates(snapshot, passOptions);
        var memory = snapshotHeap + noDup.Peak - noDup.Baseline;
        Console.WriteLine($"  pass without duplicate families: {noDup.Seconds:F2} s wall, {noDup.Cpu:F2} s CPU, memory {Mb(memory)} " +
                          $"(snapshot + peak growth), {Gb(memory / millionContacts)} per million contacts; load average {LoadAverage()}");
    }
    Console.WriteLine($"Process peak working set: {Mb(Peak())} ({Gb(Peak() / millionContacts)} per million contacts); load average {LoadAverage()}");
    return 0;
}

// 1. The reference: the same org in an in-memory DuckDB database, the KPIs that need no duplicate clusters as SQL
// (DuckDbReference.cs). Its memory is DuckDB's own (duckdb_memory(): the tables and a query's state).
var options = new KpiOptions();
using var duck = new DuckDbReference(OrgGenerator.AsOf, options);
sw.Restart();
var workingSetBeforeLoad = Environment.WorkingSet;
duck.Load(snapshot);
var duckData = duck.MemoryBytes();
Console.WriteLine($"DuckDB: loaded in {sw.Elapsed.TotalSeconds:F1} s; its tables hold {Mb(duckData)} (working set +{Mb(Environment.WorkingSet - workingSetBeforeLoad)}); " +
                  $"the SQL covers {DuckDbReference.Covered.Count} KPIs (adoption, activity, data quality but the score, pipeline)");
Console.WriteLine();

// 2. Rounds, interleaved: the whole KPI pass as the daemon runs it (the dedupe of contacts and companies included),
// the pass without the families that read duplicate clusters, and DuckDB's SQL. The first round of a process also
// compiles the code (JIT); the daemon repeats its passes, so the later rounds show the steady state. Each measure
// runs in its own (synchronous) method, so that nothing of it outlives it: in this async Main a local is a field of
// the state machine, and a pass's result (about 200 MB of issues) would stay reachable during the next.
// Memory of each side: what holds the data (the snapshot's managed heap; DuckDB's tables) plus the working set the
// computation adds at its peak (both live in this process, so their working sets cannot be told apart otherwise).
var rounds = roundsArg;
// --incremental-only: section 3 alone (IncrementalPass.cs), the whole pass with incremental deduplication after a 1 % change.
if (args.Contains("--incremental-only"))
{
    IncrementalPass.Run(snapshot, duck, options, Math.Min(rounds, 2), r => $"{r:F2}×", snapshotHeap, lean);
    return 0;
}
var measured = new List<(Measured? Full, Measured NoDup, Measured Sql)>();
for (var round = 1; round <= rounds; round++)
{
    Console.WriteLine($"Round {round} of {rounds}:");
    var full = lean ? null : MeasurePass(round == 1 ? "first" : $"round {round}", snapshot, snapshotHeap, options);
    var noDup = MeasureWithoutDuplicates(snapshot, options);
    var sql = MeasureSql(duck);
    measured.Add((full, noDup, sql));
    Console.WriteLine($"  pass without duplicate families: {noDup.Seconds:F2} s wall, {noDup.Cpu:F2} s CPU, peak +{Mb(noDup.Peak - noDup.Baseline)}; " +
                      $"DuckDB SQL: {sql.Seconds:F2} s wall, {sql.Cpu:F2} s CPU, peak +{Mb(sql.Peak - sql.Baseline)}");
    if (round == 1)
    {
        var sqlValues = sql.Values!;
        foreach (var (name, m) in new[] { ("whole pass", full), ("pass without duplicate families", noDup) })
        {
            if (m is null) continue;
            var differences = DuckDbReference.Compare(m.Samples, sqlValues);
            Console.WriteLine(differences.Count == 0
                ? $"  {name} = SQL: all {sqlValues.Count:N0} samples of the {DuckDbReference.Covered.Count} covered KPIs equal"
                : $"  {name} ≠ SQL: {differences.Count:N0} of {sqlValues.Count:N0} samples differ:\n    " + string.Join("\n    ", differences.Take(40)));
        }
    }
}
// Medians of the rounds after the first (all rounds when there is only one).
var steady = measured.Count > 1 ? measured.Skip(1).ToList() : measured;
static double Median(IEnumerable<double> xs)
{
    var a = xs.Order().ToArray();
    return a.Length % 2 == 1 ? a[a.Length / 2] : (a[a.Length / 2 - 1] + a[a.Length / 2]) / 2;
}
var (tNoDup, tSql) = (Median(steady.Select(m => m.NoDup.Seconds)), Median(steady.Select(m => m.Sql.Seconds)));
long MemoryOf(Measured m, long data) => data + m.Peak - m.Baseline;
// With --lean, memory is the highest of every round; each round starts from a working set that holds only live data
// (PeakSampler.Decommit), so every round's growth is what the pass needs (the first also compiles the code).
var memoryRounds = lean ? measured : steady;
var (mNoDup, mSql) = (memoryRounds.Max(m => MemoryOf(m.NoDup, snapshotHeap)), memoryRounds.Max(m => MemoryOf(m.Sql, duckData)));
var (cNoDup, cSql) = (Median(steady.Select(m => m.NoDup.Cpu)), Median(steady.Select(m => m.Sql.Cpu)));
// Memory per million contacts (the org grows with them: 3 activities, 0.3 deals, 0.2 companies each): the goal is
// at most 0.8 GB, so that ten million contacts fit on a 24 GB machine with room.
var millions = snapshot.Contacts.Count / 1e6;
Console.WriteLine();
Console.WriteLine($"Side by side ({steady.Count} round(s) after the first; time: median; memory: data + peak growth, the highest{(lean ? " of every round" : "")}):");
Console.WriteLine($"  | measure | CrmPulse | DuckDB | ratio |");
if (!lean)
{
    var tFull = Median(steady.Select(m => m.Full!.Seconds));
    Console.WriteLine($"  | whole pass | {tFull:F2} s | {tSql:F2} s | {tFull / tSql:F2}× |");
}
Console.WriteLine($"  | pass without the duplicate families | {tNoDup:F2} s | {tSql:F2} s | {tNoDup / tSql:F2}× |");
if (!lean)
{
    // CPU time does not grow when other work takes the cores: on a shared machine it is the steadier comparison.
    var cFull = Median(steady.Select(m => m.Full!.Cpu));
    Console.WriteLine($"  | whole pass, CPU time | {cFull:F2} s | {cSql:F2} s | {cFull / cSql:F2}× |");
}
Console.WriteLine($"  | pass without the duplicate families, CPU time | {cNoDup:F2} s | {cSql:F2} s | {cNoDup / cSql:F2}× |");
if (!lean)
{
    var mFull = steady.Max(m => MemoryOf(m.Full!, snapshotHeap));
    Console.WriteLine($"  | memory, whole pass | {Mb(mFull)} | {Mb(mSql)} | {(double)mFull / mSql:F2}× |");
    Console.WriteLine($"  | memory per million contacts, whole pass | {Gb(mFull / millions)} | {Gb(mSql / millions)} | |");
}
Console.WriteLine($"  | memory, pass without the duplicate families | {Mb(mNoDup)} | {Mb(mSql)} | {(double)mNoDup / mSql:F2}× |");
Console.WriteLine($"  | memory per million contacts, pass without the duplicate families | {Gb(mNoDup / millions)} | {Gb(mSql / millions)} | |");
Console.WriteLine($"  (snapshot heap {Mb(snapshotHeap)}, DuckDB tables {Mb(duckData)}; load average {LoadAverage()})");
Console.WriteLine();
IncrementalPass.Run(snapshot, duck, options, 2, r => $"{r:F2}×", snapshotHeap, lean); // section 3 (IncrementalPass.cs)
if (lean)
{
    Console.WriteLine($"Process peak working set: {Mb(Peak())} ({Gb(Peak() / millions)} per million contacts, DuckDB's tables and the generator's records included); load average {LoadAverage()}");
    return 0;
}

// Where the pass spends its time: the families one after another on one fresh context (a family pays for what it
// is the first to use: the data-quality score for the duplicate clusters).
var context = new KpiContext(snapshot, OrgGenerator.AsOf, options);
foreach (var family in KpiCatalog.Families)
{
    var before = GC.GetTotalAllocatedBytes(true);
    sw.Restart();
    var cpu = Cpu();
    family.Compute(context, new KpiOutput("bench", OrgGenerator.AsOf));
    Console.WriteLine($"  {family.GetType().Name,-24} {sw.Elapsed.TotalSeconds,7:F2} s wall {Cpu() - cpu,7:F2} s CPU " +
                      $"{Mb(GC.GetTotalAllocatedBytes(true) - before),9} allocated");
}
Console.WriteLine();
if (kpiOnly)
{
    Console.WriteLine($"Process peak working set: {Mb(Peak())}; load average {LoadAverage()}");
    return 0;
}

// 2. Contact deduplication alone at three sizes: the growth shows whether it stays near-linear.
// The company deduplication of each size's org is measured with it.
foreach (var density in densities) DedupeOnly.MeasureContacts(seed, scale, density, (generator, snapshot.Contacts, snapshot.Companies));

var entity = DedupeOnly.Entities(generator); // planted entity per record (MeasureContacts printed the accuracy), used below
if (quick)
{
    // At the quick scale, show the work done and a few matches that were not planted (to judge them by eye).
    var companyNames = snapshot.Companies.Where(c => c.Name is not null).ToDictionary(c => c.Id, c => c.Name!);
    var people = snapshot.Contacts.Select(c => PersonRecord.FromContact(c, c.CompanyId is { } id ? companyNames.GetValueOrDefault(id) : null)).ToList();
    var run = Deduplicator.MatchPeople(people, new DedupeOptions());
    var byId = snapshot.Contacts.ToDictionary(c => c.Id);
    Console.WriteLine($"Candidate pairs compared: {run.Candidates:N0} ({(double)run.Candidates / people.Count:F1} per contact)");
    foreach (var p in run.Pairs.Where(p => !(entity.TryGetValue(p.LeftId, out var e) && entity.GetValueOrDefault(p.RightId) == e)).Take(8))
    {
        string Show(Contact c) => $"{c.FirstName} {c.LastName} <{c.Email}> {c.Phone} {c.CompanyId} {c.Custom.GetValueOrDefault("city")}";
        Console.WriteLine($"  not planted: {p.Score:F3} {p.Reason}: {Show(byId[p.LeftId])} | {Show(byId[p.RightId])}");
    }
}
Console.WriteLine($"Process peak working set: {Mb(Peak())}; load average {LoadAverage()}");
return 0;

// The org as the daemon's store loads it, in its own method: Main never holds the generated records, whose contacts
// the snapshot then holds as columns (a reference to the records left in Main's frame would keep them alive).
[System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
static CrmSnapshot Generate(OrgGenerator generator, Stopwatch sw, bool judgePhones, bool idOrder)
{
    var snapshot = generator.Generate();
    Console.WriteLine($"Generated in {sw.Elapsed.TotalSeconds:F1} s: {snapshot.Users.Count:N0} users, {snapshot.Logins.Count:N0} logins, " +
                      $"{snapshot.Contacts.Count:N0} contacts, {snapshot.Companies.Count:N0} companies, {snapshot.Deals.Count:N0} deals, " +
                      $"{snapshot.Activities.Count:N0} activities; planted {generator.ContactTruth.Count:N0} duplicate contacts.");
    // A sync judges each phone once, as its contact enters the mirror (SourceRunner), and the daemon's snapshot carries the
    // verdicts: so does this one, unless --unjudged-phones (then every pass parses every phone, as before 2026-12-03's fix).
    if (judgePhones)
    {
        sw.Restart();
        DataQualityChecks.JudgePhones((List<Contact>)snapshot.Contacts, new DataQualityOptions());
        Console.WriteLine($"Phones judged as a sync judges them (once per contact entering the mirror, on every core): {sw.Elapsed.TotalSeconds:F1} s");
    }
    // Contacts, companies and deals as columns, as the daemon's store loads them (ContactColumns, CompanyColumns,
    // DealColumns); with idOrder in id order, as the mirror reads them. Each record is let go as it enters its columns
    // (Drain), so the generator never holds a whole copy of the org as records and as columns at once.
    var (contacts, companies, deals) = ((List<Contact>)snapshot.Contacts, (List<Company>)snapshot.Companies, (List<Deal>)snapshot.Deals);
    if (idOrder)
    {
        contacts.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        companies.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
    }
    var contactColumns = new ContactColumns.Builder(contacts.Count);
    Drain(contacts, contactColumns.Add);
    var companyColumns = new CompanyColumns.Builder(companies.Count);
    Drain(companies, companyColumns.Add);
    var dealColumns = new DealColumns.Builder(deals.Count);
    Drain(deals, dealColumns.Add);
    return snapshot with { Contacts = contactColumns.Build(), Companies = companyColumns.Build(), Deals = dealColumns.Build() };

    static void Drain<T>(List<T> records, Action<T> add) where T : class
    {
        for (var i = 0; i < records.Count; i++)
        {
            add(records[i]);
            records[i] = null!;
        }
        records.Clear();
        records.TrimExcess();
    }
}

// One KPI pass as the daemon runs it (SourceRunner computes a pass, stores it and lets it go), with its time, CPU,
// allocations and the peak working set sampled every 20 ms while it runs (the process's own peak includes the
// generator's).
[System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
static Measured MeasurePass(string pass, CrmSnapshot snapshot, long snapshotHeap, KpiOptions options)
{
    PeakSampler.Settle();
    var allocated = GC.GetTotalAllocatedBytes(true);
    var gcs = GC.CollectionCount(2);
    var paused = GC.GetTotalPauseDuration();
    var committedBefore = GC.GetGCMemoryInfo().TotalCommittedBytes;
    KpiResult? result = null;
    var m = Sample(() =>
    {
        result = KpiEngine.Compute(snapshot, OrgGenerator.AsOf, options);
        return result.Samples;
    });
    var kpiAllocated = GC.GetTotalAllocatedBytes(true) - allocated;
    var (gen2, pauses) = (GC.CollectionCount(2) - gcs, GC.GetTotalPauseDuration() - paused);
    var committedAfter = GC.GetGCMemoryInfo().TotalCommittedBytes;
    var live = GC.GetTotalMemory(true);
    Console.WriteLine($"  KPI pass, {pass} (KpiEngine.Compute): {m.Seconds:F2} s wall, {m.Cpu:F2} s CPU, {result!.Samples.Count:N0} samples, " +
                      $"{result.Issues.Count:N0} issues; allocated {Mb(kpiAllocated)}, gen-2 GCs {gen2}, GC pauses {pauses.TotalSeconds:F2} s");
    Console.WriteLine($"    working set: {Mb(m.Baseline)} before the pass, peak {Mb(m.Peak)} at {m.PeakAt:F1} s " +
                      $"(goal ≤ 10 s and ≤ 2,048 MB); GC heap committed {Mb(committedBefore)} before, {Mb(committedAfter)} after; " +
                      $"the result holds {Mb(live - snapshotHeap)} of managed heap");
    return m;
}

// One family alone on a fresh context, as --family runs it: its output is alive when the heap it holds is measured.
[System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
static void MeasureFamily(IKpiFamily family, int run, CrmSnapshot snapshot, long snapshotHeap, KpiOptions options)
{
    PeakSampler.Settle();
    var output = new KpiOutput("bench", OrgGenerator.AsOf);
    var f = PeakSampler.Run(() => family.Compute(new KpiContext(snapshot, OrgGenerator.AsOf, options), output));
    var held = GC.GetTotalMemory(true) - snapshotHeap;
    Console.WriteLine($"  {family.GetType().Name} alone, run {run}: {f.Seconds:F2} s wall, {f.Cpu:F2} s CPU, {Mb(f.Allocated)} allocated, " +
                      $"peak +{Mb(f.Growth)}, output holds {Mb(held)}; {output.Samples.Count:N0} samples and " +
                      $"{output.Issues.Count:N0} issues, digest {Digest(output)} (equal digests: the same values, issues and texts)");
}

// The pass without the families that read duplicate clusters (data-quality score, duplicates, integration health):
// the other families on every core, each into its own output, as KpiEngine runs them.
[System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
static Measured MeasureWithoutDuplicates(CrmSnapshot snapshot, KpiOptions options)
{
    PeakSampler.Settle();
    return Sample(() =>
    {
        var context = new KpiContext(snapshot, OrgGenerator.AsOf, options);
        var families = KpiCatalog.Families.Where(f => f is not (DataQualityScoreKpis or DuplicateKpis or IntegrationKpis)).ToArray();
        var outputs = families.Select(_ => new KpiOutput(snapshot.Source, OrgGenerator.AsOf)).ToArray();
        Parallel.For(0, families.Length, i => families[i].Compute(context, outputs[i]));
        return outputs.SelectMany(o => o.Samples).ToList();
    });
}

[System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
static Measured MeasureSql(DuckDbReference duck)
{
    PeakSampler.Settle();
    Dictionary<string, double>? values = null;
    var m = Sample(() =>
    {
        values = duck.Compute();
        return [];
    });
    return m with { Values = values };
}

// Runs one measure with its time and peak working set (PeakSampler.cs); keeps the samples of the KPIs the SQL covers.
static Measured Sample(Func<IReadOnlyList<KpiSample>> run)
{
    List<KpiSample> samples = [];
    var f = PeakSampler.Run(() => samples = run().Where(s => DuckDbReference.Covered.Contains(s.Kpi)).ToList());
    return new Measured(f.Seconds, f.Cpu, f.Baseline, f.Peak, f.PeakAt, samples);
}

// A digest of a family's output, in order: every sample (KPI, dimensions, value) and every issue with its text.
static string Digest(KpiOutput output)
{
    using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
    void Line(string text) => sha.AppendData(System.Text.Encoding.UTF8.GetBytes(text + "\n"));
    foreach (var s in output.Samples) Line(string.Create(CultureInfo.InvariantCulture, $"{s.Kpi}|{s.Dimensions.Key}|{s.Value:R}|{s.Basis}"));
    foreach (var i in output.Issues) Line($"{i.Kpi}|{i.Object}|{i.RecordId}|{i.OwnerId}|{i.Team}|{i.Field}|{i.Detail}");
    return Convert.ToHexString(sha.GetHashAndReset())[..16];
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

// CPU time of this process: unlike wall time it does not grow when other work on the machine takes the cores.
static double Cpu()
{
    using var p = Process.GetCurrentProcess();
    return p.TotalProcessorTime.TotalSeconds;
}

static long Peak()
{
    using var p = Process.GetCurrentProcess();
    return p.PeakWorkingSet64;
}

static string Gb(double bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1 << 30):F2} GB");

static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:N0} MB");

/// <summary>One measure: wall and CPU seconds, working set before and at its peak, and the samples of the covered KPIs
/// (or the SQL's values).</summary>
internal sealed record Measured(double Seconds, double Cpu, long Baseline, long Peak, double PeakAt, List<KpiSample> Samples)
{
    public Dictionary<string, double>? Values { get; init; }
}
