using CrmPulse.Core.Dedupe;
using CrmPulse.Core.Tests.Dedupe;
using CrmPulse.Storage.Tests.Postgres;

namespace CrmPulse.Storage.Tests;

/// <summary>The matcher's state between passes (incremental deduplication), on both stores: what is written reads back
/// the same, and passes that go through the store give a full match's clusters after each change set.</summary>
public abstract class DedupeStateStoreTests(StoreKind kind) : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly StoreUnderTest _db = new(kind);

    public void Dispose() => _db.Dispose();

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public async Task Passes_through_the_store_give_a_full_matchs_clusters_after_each_change_set(int seed)
    {
        var options = new DedupeOptions { MaxBlockSize = 5, LargeBlockWindow = 2 };
        var org = new IncrementalOrg(seed, contacts: 300, companies: 40);
        using (var store = await _db.OpenAsync())
        {
            Assert.Null(await store.LoadDedupeStateAsync("crm", "contact", None));
            var first = IncrementalDeduplicator.Contacts(org.Contacts, options, null);
            await store.SaveDedupeStateAsync("crm", "contact", first.State, first.Change, null, None);
            AssertSame(first.State, await store.LoadDedupeStateAsync("crm", "contact", None));
        }
        var incremental = 0;
        for (var round = 0; round < 5; round++)
        {
            org.Change(0.02);
            // A store opened again for each pass: the state comes from the database, not from memory.
            using var store = await _db.OpenAsync();
            var previous = await store.LoadDedupeStateAsync("crm", "contact", None);
            var contacts = IncrementalDeduplicator.Contacts(org.Contacts, options, previous);
            await store.SaveDedupeStateAsync("crm", "contact", contacts.State, contacts.Change, previous!.Generation, None);
            var storedCompanies = await store.LoadDedupeStateAsync("crm", "company", None);
            var companies = IncrementalDeduplicator.Companies(org.Companies, options, storedCompanies);
            await store.SaveDedupeStateAsync("crm", "company", companies.State, companies.Change, storedCompanies?.Generation, None);
            incremental += contacts.Full ? 0 : 1;

            var full = IncrementalDeduplicator.Contacts(org.Contacts, options, null);
            Assert.Equal(IncrementalOrg.Render(full.Clusters), IncrementalOrg.Render(contacts.Clusters));
            AssertSame(full.State, await store.LoadDedupeStateAsync("crm", "contact", None));
            AssertSame(IncrementalDeduplicator.Companies(org.Companies, options, null).State, await store.LoadDedupeStateAsync("crm", "company", None));
        }
        Assert.True(incremental >= 3, $"{incremental} incremental passes of 5");
    }

    [Fact]
    public async Task A_full_state_replaces_the_stored_one_and_clearing_forgets_the_sources_states_only()
    {
        using var store = await _db.OpenAsync();
        var big = new IncrementalOrg(21, contacts: 200);
        var small = new IncrementalOrg(22, contacts: 50);
        var options = new DedupeOptions();
        var first = IncrementalDeduplicator.Contacts(big.Contacts, options, null);
        await store.SaveDedupeStateAsync("crm", "contact", first.State, first.Change, null, None);
        await store.SaveDedupeStateAsync("other", "contact", first.State, first.Change, null, None);

        // Another threshold: a full match, whose state replaces every row of the old one.
        var changed = IncrementalDeduplicator.Contacts(small.Contacts, new DedupeOptions { Threshold = 0.9 }, first.State);
        Assert.True(changed.Change.Full);
        var generation = await store.SaveDedupeStateAsync("crm", "contact", changed.State, changed.Change, first.State.Generation, None);
        Assert.Equal(generation, await store.DedupeGenerationAsync("crm", "contact", None));
        AssertSame(changed.State, await store.LoadDedupeStateAsync("crm", "contact", None));
        Assert.Equal(50L, _db.Scalar("SELECT COUNT(*) FROM dedupe_records WHERE source = 'crm'"));

        await store.ClearDedupeStateAsync("crm", None);
        Assert.Null(await store.LoadDedupeStateAsync("crm", "contact", None));
        Assert.Null(await store.DedupeGenerationAsync("crm", "contact", None));
        Assert.Equal(0L, _db.Scalar("SELECT COUNT(*) FROM dedupe_links WHERE source = 'crm'"));
        AssertSame(first.State, await store.LoadDedupeStateAsync("other", "contact", None));
    }

    [Fact]
    public async Task A_change_computed_from_another_generation_is_written_as_the_whole_state()
    {
        // Two nodes: the second wrote a newer state after the first read its own; the first's change would not apply to
        // what is stored, so its whole state is written instead.
        using var store = await _db.OpenAsync();
        var options = new DedupeOptions();
        var org = new IncrementalOrg(23, contacts: 150);
        var first = IncrementalDeduplicator.Contacts(org.Contacts, options, null);
        var g1 = await store.SaveDedupeStateAsync("crm", "contact", first.State, first.Change, null, None);
        first.State.Generation = g1;
        org.Change(0.05);
        var other = IncrementalDeduplicator.Contacts(org.Contacts, options, first.State);
        var g2 = await store.SaveDedupeStateAsync("crm", "contact", other.State, other.Change, g1, None);
        Assert.NotEqual(g1, g2);
        org.Change(0.05);
        var stale = IncrementalDeduplicator.Contacts(org.Contacts, options, first.State);
        Assert.False(stale.Change.Full);

        var g3 = await store.SaveDedupeStateAsync("crm", "contact", stale.State, stale.Change, g1, None);

        Assert.NotEqual(g2, g3);
        AssertSame(stale.State, await store.LoadDedupeStateAsync("crm", "contact", None));
    }

    private static void AssertSame(DedupeState expected, DedupeState? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal((expected.Settings, expected.OwnerMask), (actual.Settings, actual.OwnerMask));
        Assert.Equal(expected.Ids, actual.Ids);
        Assert.Equal(expected.Fingerprints, actual.Fingerprints);
        Assert.Equal(expected.SortKeys, actual.SortKeys);
        Assert.Equal(expected.Keys, actual.Keys);
        for (var r = 0; r < expected.Count; r++) Assert.Equal(expected.KeyCount(r), actual.KeyCount(r));
        Assert.Equal(Links(expected), Links(actual));
        Assert.Equal(IncrementalOrg.Render(expected.Clusters), IncrementalOrg.Render(actual.Clusters));
    }

    private static List<string> Links(DedupeState state) =>
        state.Links.Select(l => $"{l.LeftId}~{l.RightId}={l.Score:R}").Order(StringComparer.Ordinal).ToList();
}

public sealed class DedupeStateStoreTestsOnSqlite() : DedupeStateStoreTests(StoreKind.Sqlite);

public sealed class DedupeStateStoreTestsOnPostgreSql() : DedupeStateStoreTests(StoreKind.PostgreSql);
