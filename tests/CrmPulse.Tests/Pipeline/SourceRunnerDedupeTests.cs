using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using CrmPulse.Hosting;
using CrmPulse.Metrics;
using CrmPulse.Options;
using CrmPulse.Pipeline;
using CrmPulse.Tests.Integrations;
using CrmPulse.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmPulse.Tests.Pipeline;

/// <summary>KPI passes deduplicate incrementally from the matcher state kept in the store (README "Deduplication").</summary>
public sealed class SourceRunnerDedupeTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly FakeClock _clock = new(T0);
    private readonly Queue<ChangeSet> _pulls = new();
    private TempStore _store = null!;

    public async Task InitializeAsync() => _store = await TempStore.OpenAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private SourceRunner Runner(bool incremental = true)
    {
        var source = new QueuedSource(_pulls);
        var kind = SourceKind.Create<SourceRunnerApiUsageTests.FakeOptions>("Fake", TimeSpan.FromMinutes(5), _ => [], (_, _, _) => source);
        var options = new SourceOptions { Name = "hub", Kind = "Fake" };
        options.Dedupe.Incremental = incremental;
        var configured = new ConfiguredSource(options, kind, new SourceRunnerApiUsageTests.FakeOptions(), "test");
        var registry = Prometheus.Metrics.NewCustomRegistry();
        return new SourceRunner(new SourceRegistry([configured], _clock), _store.Store, _store.Store, new KpiGauges(registry),
            new PulseMetrics(registry), _clock, NullLogger<SourceRunner>.Instance, _store.Store);
    }

    private static DateTimeOffset DaysAgo(int days) => T0.AddDays(-days);

    // c1, c2 (the same e-mail in capitals) and c3 (names swapped, same e-mail) are one person; c4 and c5 are others.
    private static ChangeSet FirstPull()
    {
        var pull = new ChangeSet();
        pull.Contacts.AddRange([
            new Contact { Id = "c1", FirstName = "Jane", LastName = "Doe", Email = "jane.doe@acme.com", CreatedAt = DaysAgo(30) },
            new Contact { Id = "c2", FirstName = "Jane", LastName = "Doe", Email = "JANE.DOE@ACME.COM ", CreatedAt = DaysAgo(20) },
            new Contact { Id = "c3", FirstName = "Doe", LastName = "Jane", Email = "jane.doe@acme.com", CreatedAt = DaysAgo(10) },
            new Contact { Id = "c4", FirstName = "John", LastName = "Smith", Email = "john.smith@acme.com", CreatedAt = DaysAgo(10) },
            new Contact { Id = "c5", FirstName = "Maria", LastName = "Garcia", Email = "maria@globex.com", CreatedAt = DaysAgo(10) },
        ]);
        pull.Companies.Add(new Company { Id = "co1", Name = "Acme Inc.", Domain = "acme.com", CreatedAt = DaysAgo(300) });
        return pull;
    }

    // c5 is edited into John Smith (a duplicate of c4, who is as old: the smaller id survives) and c3 is deleted.
    private static ChangeSet SecondPull()
    {
        var pull = new ChangeSet();
        pull.Contacts.Add(new Contact { Id = "c5", FirstName = "John", LastName = "Smith", Email = "John.Smith@acme.com", CreatedAt = DaysAgo(10) });
        pull.Deletions.Add((ObjectKind.Contact, "c3"));
        return pull;
    }

    private async Task<(double Clusters, double Removable)> ContactDuplicatesAsync()
    {
        var latest = await _store.Store.LatestAsync("hub", None);
        double Value(string kpi) => latest.Single(s => s.Kpi == kpi && s.Dimensions.Key == "object=contact").Value;
        return (Value("duplicate_clusters"), Value("removable_duplicates"));
    }

    private async Task<List<string>> DuplicateIssuesAsync() =>
        (await _store.Store.QueryIssuesAsync(new Core.Store.IssueQuery(["removable_duplicates"], Source: "hub"), None)).Items
        .Select(i => $"{i.Issue.RecordId}: {i.Issue.Detail}").Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task The_second_pass_compares_what_changed_against_the_stored_state_and_counts_as_a_full_match_would()
    {
        var runner = Runner();
        _pulls.Enqueue(FirstPull());
        Assert.True(await runner.SyncAsync("hub", None));
        Assert.True(await runner.ComputeKpisAsync("hub", None));
        Assert.Equal((1, 2), await ContactDuplicatesAsync()); // {c1, c2, c3}
        var first = await _store.Store.LoadDedupeStateAsync("hub", "contact", None);
        Assert.Equal(["c1", "c2", "c3", "c4", "c5"], first!.Ids);
        Assert.Equal(["c1,c2,c3"], first.Clusters.Select(c => string.Join(",", c.RecordIds)));

        _pulls.Enqueue(SecondPull());
        Assert.True(await runner.SyncAsync("hub", None));
        Assert.True(await runner.ComputeKpisAsync("hub", None));

        Assert.Equal((2, 2), await ContactDuplicatesAsync()); // {c1, c2} and {c4, c5}
        var second = await _store.Store.LoadDedupeStateAsync("hub", "contact", None);
        Assert.NotEqual(first.Generation, second!.Generation);
        Assert.Equal(["c1", "c2", "c4", "c5"], second.Ids);
        Assert.Equal(["c1,c2", "c4,c5"], second.Clusters.Select(c => string.Join(",", c.RecordIds)));
        var incremental = await DuplicateIssuesAsync();

        // The same pass with incremental deduplication switched off gives the same issues, texts included.
        Assert.True(await Runner(incremental: false).ComputeKpisAsync("hub", None));
        Assert.Equal(incremental, await DuplicateIssuesAsync());
        Assert.Equal(2, incremental.Count);
    }

    [Fact]
    public async Task A_new_process_reads_the_stored_state_and_a_pass_without_changes_writes_nothing()
    {
        _pulls.Enqueue(FirstPull());
        var runner = Runner();
        await runner.SyncAsync("hub", None);
        await runner.ComputeKpisAsync("hub", None);
        var generation = await _store.Store.DedupeGenerationAsync("hub", "contact", None);

        Assert.True(await Runner().ComputeKpisAsync("hub", None)); // another process: the state from the store, unchanged

        Assert.Equal(generation, await _store.Store.DedupeGenerationAsync("hub", "contact", None));
        Assert.Equal((1, 2), await ContactDuplicatesAsync());
    }

    private sealed class QueuedSource(Queue<ChangeSet> pulls) : ICrmSource
    {
        public string Name => "hub";

        public string Kind => "Fake";

        public ApiUsage? LastPullUsage => null;

        public Task<ChangeSet> PullAsync(IReadOnlyDictionary<string, string> watermarks, CancellationToken cancellationToken) =>
            Task.FromResult(pulls.Count > 0 ? pulls.Dequeue() : new ChangeSet());
    }
}
