using CrmPulse.Storage.Tests.Postgres;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using static CrmPulse.Storage.Tests.Fixtures;

namespace CrmPulse.Storage.Tests;

/// <summary>ApplyAsync: upserts, deletions, complete kinds, watermarks, and what the snapshot then holds.</summary>
public abstract class MirrorApplyTests(StoreKind kind) : IDisposable
{
    private readonly StoreUnderTest _db = new(kind);
    private static readonly CancellationToken None = CancellationToken.None;

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_record_given_twice_in_one_change_set_is_stored_once_and_the_last_wins()
    {
        using var store = await _db.OpenAsync();

        var result = await store.ApplyAsync("s", Changes(c =>
            c.Contacts.AddRange([Contact("c1", "first@example.com"), Contact("c1", "last@example.com")])), T0, None);

        Assert.Equal(new(1, 0, 0), result);
        var contact = Assert.Single((await store.LoadSnapshotAsync("s", None)).Contacts);
        Assert.Equal("last@example.com", contact.Email);
    }

    [Fact]
    public async Task A_loaded_snapshot_shares_repeated_ids_and_values_instead_of_copies()
    {
        using var store = await _db.OpenAsync();
        await store.ApplyAsync("s", Changes(c =>
        {
            c.Users.Add(new CrmUser("u1", "Ann", null, "Sales", IsActive: true, IsIntegration: false));
            c.Contacts.AddRange([
                new Contact { Id = "c1", OwnerId = "u1", LifecycleStage = "lead", CompanyId = "co1" },
                new Contact { Id = "c2", OwnerId = "u1", LifecycleStage = "lead" },
            ]);
            c.Companies.Add(new Company { Id = "co1", OwnerId = "u1" });
            c.Activities.AddRange([
                new Activity("a1", ActivityType.Call, "u1", T0, T0, T0, ContactId: "c1"),
                new Activity("a2", ActivityType.Call, "u1", T0, T0, T0, ContactId: "c1"),
            ]);
        }), T0, None);

        var snapshot = await store.LoadSnapshotAsync("s", None);

        var (c1, c2) = (snapshot.Contacts[0], snapshot.Contacts[1]);
        var user = Assert.Single(snapshot.Users);
        Assert.Same(user.Id, c1.OwnerId);
        Assert.Same(c1.OwnerId, c2.OwnerId);
        Assert.Same(c1.LifecycleStage, c2.LifecycleStage);
        Assert.Same(c1.CompanyId, Assert.Single(snapshot.Companies).Id);
        Assert.All(snapshot.Activities, a => Assert.Same(c1.Id, a.ContactId));
        Assert.All(snapshot.Activities, a => Assert.Same(user.Id, a.OwnerId));
        // The values are the stored ones.
        Assert.Equal(["c1", "c2"], snapshot.Contacts.Select(c => c.Id));
        Assert.Equal("lead", c2.LifecycleStage);
    }

    [Fact]
    public async Task A_later_apply_replaces_the_stored_record()
    {
        using var store = await _db.OpenAsync();
        await store.ApplyAsync("s", Changes(c => c.Contacts.Add(Contact("c1", "old@example.com"))), T0, None);

        var result = await store.ApplyAsync("s", Changes(c => c.Contacts.Add(Contact("c1", "new@example.com"))), T0.AddHours(1), None);

        Assert.Equal(new(1, 0, 0), result);
        Assert.Equal("new@example.com", Assert.Single((await store.LoadSnapshotAsync("s", None)).Contacts).Email);
    }

    [Fact]
    public async Task Snapshot_lists_are_ordered_by_id()
    {
        using var store = await _db.OpenAsync();

        await store.ApplyAsync("s", Changes(c =>
        {
            c.Contacts.AddRange([Contact("c9"), Contact("c10"), Contact("c2")]);
            c.Activities.AddRange([Activity("b"), Activity("a")]);
        }), T0, None);

        var snapshot = await store.LoadSnapshotAsync("s", None);
        Assert.Equal(["c10", "c2", "c9"], snapshot.Contacts.Select(c => c.Id)); // ordinal: '1' < '2' < '9'
        Assert.Equal(["a", "b"], snapshot.Activities.Select(a => a.Id));
    }

    [Fact]
    public async Task Deletions_remove_only_the_named_kind_and_id()
    {
        using var store = await _db.OpenAsync();
        await store.ApplyAsync("s", Changes(c =>
        {
            c.Contacts.AddRange([Contact("x"), Contact("y")]);
            c.Deals.Add(Deal("x"));
        }), T0, None);

        var result = await store.ApplyAsync("s", Changes(c =>
            c.Deletions.AddRange([(ObjectKind.Contact, "x"), (ObjectKind.Contact, "never-stored")])), T0, None);

        Assert.Equal(new(0, 1, 0), result); // "never-stored" deletes nothing
        var snapshot = await store.LoadSnapshotAsync("s", None);
        Assert.Equal(["y"], snapshot.Contacts.Select(c => c.Id));
        Assert.Equal(["x"], snapshot.Deals.Select(d => d.Id));
    }

    [Fact]
    public async Task A_complete_kind_drops_stored_records_missing_from_the_change_set_but_keeps_retained_ones()
    {
        using var store = await _db.OpenAsync();
        await store.ApplyAsync("s", Changes(c =>
        {
            c.Contacts.AddRange([Contact("c1"), Contact("c2"), Contact("c3"), Contact("c4")]);
            c.Deals.Add(Deal("d1"));
        }), T0, None);

        var result = await store.ApplyAsync("s", Changes(c =>
        {
            c.CompleteKinds.Add(ObjectKind.Contact);
            c.Contacts.AddRange([Contact("c1"), Contact("c5")]);
            c.Retained.AddRange([(ObjectKind.Contact, "c3"), (ObjectKind.Deal, "d9")]);
        }), T0, None);

        // Upserted c1, c5 = 2; deleted c2, c4 = 2 (c3 retained); deals are not a complete kind, so d1 stays.
        Assert.Equal(new(2, 2, 0), result);
        var snapshot = await store.LoadSnapshotAsync("s", None);
        Assert.Equal(["c1", "c3", "c5"], snapshot.Contacts.Select(c => c.Id));
        Assert.Equal(["d1"], snapshot.Deals.Select(d => d.Id));
    }

    [Fact]
    public async Task A_full_sync_removes_the_records_it_no_longer_has_and_leaves_another_sources_records_with_the_same_ids_alone()
    {
        using var store = await _db.OpenAsync();
        foreach (var source in new[] { "a", "b" })
        {
            await store.ApplyAsync(source, Changes(c => c.Contacts.AddRange(
                [Contact("c1", $"{source}1@example.com"), Contact("c2", $"{source}2@example.com"), Contact("c3"), Contact("c4")])), T0, None);
        }

        // A full sync of a: c1 again as it is stored, c2 changed, c5 new; c3 and c4 are gone from the CRM.
        var result = await store.ApplyAsync("a", Changes(c =>
        {
            c.CompleteKinds.Add(ObjectKind.Contact);
            c.Contacts.AddRange([Contact("c1", "a1@example.com"), Contact("c2", "changed@example.com"), Contact("c5")]);
        }), T0, None);

        Assert.Equal(new(3, 2, 0), result);
        var a = (await store.LoadSnapshotAsync("a", None)).Contacts;
        Assert.Equal(["c1", "c2", "c5"], a.Select(c => c.Id));
        Assert.Equal(["a1@example.com", "changed@example.com", "c5@example.com"], a.Select(c => c.Email));
        var b = (await store.LoadSnapshotAsync("b", None)).Contacts;
        Assert.Equal(["c1", "c2", "c3", "c4"], b.Select(c => c.Id));
        Assert.Equal(["b1@example.com", "b2@example.com", "c3@example.com", "c4@example.com"], b.Select(c => c.Email));
        Assert.Equal(7L, _db.Scalar("SELECT COUNT(*) FROM mirror_records"));
    }

    [Fact]
    public async Task A_record_without_a_modified_time_is_updated_when_it_changes_and_kept_when_it_comes_back_the_same()
    {
        using var store = await _db.OpenAsync();
        await store.ApplyAsync("s", Changes(c => c.Users.AddRange([
            new CrmUser("u1", "Ann", null, "Sales", IsActive: true, IsIntegration: false),
            new CrmUser("u2", "Bob", null, "Sales", IsActive: true, IsIntegration: false)])), T0, None);

        var result = await store.ApplyAsync("s", Changes(c => c.Users.AddRange([
            new CrmUser("u1", "Ann", null, "Sales", IsActive: true, IsIntegration: false),
            new CrmUser("u2", "Bob", null, "Support", IsActive: false, IsIntegration: false)])), T0, None);

        Assert.Equal(new(2, 0, 0), result);
        var users = (await store.LoadSnapshotAsync("s", None)).Users;
        Assert.Equal([("u1", "Sales", true), ("u2", "Support", false)], users.Select(u => (u.Id, u.Team, u.IsActive)));
        Assert.Equal(2L, _db.Scalar("SELECT COUNT(*) FROM mirror_records WHERE modified_at IS NULL"));
    }

    [Fact]
    public async Task An_empty_complete_kind_empties_that_kind()
    {
        using var store = await _db.OpenAsync();
        await store.ApplyAsync("s", Changes(c => c.Companies.AddRange([Company("a"), Company("b")])), T0, None);

        var result = await store.ApplyAsync("s", Changes(c => c.CompleteKinds.Add(ObjectKind.Company)), T0, None);

        Assert.Equal(new(0, 2, 0), result);
        Assert.Empty((await store.LoadSnapshotAsync("s", None)).Companies);
    }

    [Fact]
    public async Task Watermarks_of_a_change_set_are_merged_over_the_stored_ones()
    {
        using var store = await _db.OpenAsync();
        Assert.Empty(await store.GetWatermarksAsync("s", None));
        await store.ApplyAsync("s", Changes(c =>
        {
            c.Watermarks["contacts"] = "2025-03-01";
            c.Watermarks["deals"] = "2025-03-01";
        }), T0, None);

        await store.ApplyAsync("s", Changes(c =>
        {
            c.Watermarks["contacts"] = "2025-03-02";
            c.Watermarks["activities"] = "cursor=abc,def";
        }), T0, None);

        var watermarks = await store.GetWatermarksAsync("s", None);
        Assert.Equal(3, watermarks.Count);
        Assert.Equal("2025-03-02", watermarks["contacts"]);
        Assert.Equal("2025-03-01", watermarks["deals"]);
        Assert.Equal("cursor=abc,def", watermarks["activities"]);
    }

    [Fact]
    public async Task A_record_without_an_id_is_refused_naming_the_source_and_position()
    {
        using var store = await _db.OpenAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            store.ApplyAsync("crm-eu", Changes(c => c.Contacts.AddRange([Contact("c1"), Contact("")])), T0, None));

        Assert.Contains("Source 'crm-eu': Contact #2", error.Message);
        Assert.Empty((await store.LoadSnapshotAsync("crm-eu", None)).Contacts);
    }
}

public sealed class MirrorApplyTestsOnSqlite() : MirrorApplyTests(StoreKind.Sqlite);

public sealed class MirrorApplyTestsOnPostgreSql() : MirrorApplyTests(StoreKind.PostgreSql);
