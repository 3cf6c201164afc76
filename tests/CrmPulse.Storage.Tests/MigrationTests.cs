using static CrmPulse.Storage.Tests.Fixtures;

namespace CrmPulse.Storage.Tests;

public sealed class MigrationTests
{
    private static readonly Migration First = new(1, "first", "CREATE TABLE first (x INTEGER);");
    private static readonly Migration Second = new(2, "second", "CREATE TABLE second (y TEXT);");

    [Fact]
    public async Task Open_creates_the_missing_folder_and_file_and_applies_every_migration()
    {
        using var db = new TestDatabase();
        Assert.False(Directory.Exists(Path.GetDirectoryName(db.Path)));

        using (var store = await db.OpenAsync())
        {
            Assert.Equal(db.Path, store.Path);
        }

        Assert.True(File.Exists(db.Path));
        Assert.Equal((long)Migrations.All.Count, db.Scalar("SELECT COUNT(*) FROM schema_version"));
        Assert.Equal((long)Migrations.All[^1].Version, db.Scalar("SELECT MAX(version) FROM schema_version"));
        Assert.Equal("wal", db.Scalar("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task Reopening_applies_nothing_twice_and_keeps_the_data()
    {
        using var db = new TestDatabase();
        using (var store = await db.OpenAsync())
        {
            await store.ApplyAsync("demo", Changes(c => c.Contacts.Add(Contact("c1"))), T0, CancellationToken.None);
        }

        using (var store = await db.OpenAsync())
        {
            var snapshot = await store.LoadSnapshotAsync("demo", CancellationToken.None);
            Assert.Equal("c1", Assert.Single(snapshot.Contacts).Id);
        }

        Assert.Equal((long)Migrations.All.Count, db.Scalar("SELECT COUNT(*) FROM schema_version"));
    }

    [Fact]
    public async Task An_older_database_gets_only_the_migrations_it_lacks()
    {
        using var db = new TestDatabase();
        using (await db.OpenAsync([First])) { }
        db.Execute("INSERT INTO first (x) VALUES (7)");

        using (await db.OpenAsync([First, Second])) { }
        using (await db.OpenAsync([First, Second])) { }

        Assert.Equal("1,2", db.Scalar("SELECT group_concat(version, ',') FROM (SELECT version FROM schema_version ORDER BY version)"));
        Assert.Equal(7L, db.Scalar("SELECT x FROM first")); // first was not re-created
        Assert.Equal(0L, db.Scalar("SELECT COUNT(*) FROM second"));
    }

    [Fact]
    public async Task Opening_a_database_of_a_newer_schema_fails_naming_both_versions_and_the_file()
    {
        using var db = new TestDatabase();
        using (await db.OpenAsync()) { }
        db.Execute("INSERT INTO schema_version (version, description) VALUES (99, 'from the future')");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(db.OpenAsync);

        Assert.Contains("schema version 99", error.Message);
        Assert.Contains($"knows versions up to {Migrations.All[^1].Version}", error.Message);
        Assert.Contains(db.Path, error.Message);
    }

    [Fact]
    public async Task A_failing_migration_is_rolled_back_whole_and_named_in_the_error()
    {
        using var db = new TestDatabase();
        var broken = new Migration(2, "broken step", "CREATE TABLE half (z INTEGER); CREATE TABLE oops (");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.OpenAsync([First, broken]));

        Assert.Contains("Schema migration 2 (broken step) failed", error.Message);
        Assert.Equal(1L, db.Scalar("SELECT MAX(version) FROM schema_version"));
        Assert.Equal(0L, db.Scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'"));
    }

    [Fact]
    public async Task Opening_a_file_that_is_not_a_database_fails_naming_the_file()
    {
        using var db = new TestDatabase();
        Directory.CreateDirectory(Path.GetDirectoryName(db.Path)!);
        await File.WriteAllTextAsync(db.Path, "id,name\n1,not a database at all, just a CSV file that is long enough\n");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(db.OpenAsync);

        Assert.Contains(db.Path, error.Message);
    }
}
