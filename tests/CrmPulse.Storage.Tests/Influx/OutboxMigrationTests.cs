namespace CrmPulse.Storage.Tests.Influx;

public sealed class OutboxMigrationTests
{
    [Fact]
    public async Task A_step_numbered_below_an_applied_one_is_still_applied_when_it_arrives_later()
    {
        // This branch ships version 3 without 2; when 2 lands, databases already at 3 must still get it.
        using var db = new TestDatabase();
        var one = new Migration(1, "one", "CREATE TABLE one (x INTEGER);");
        var two = new Migration(2, "two", "CREATE TABLE two (x INTEGER);");
        var three = new Migration(3, "three", "CREATE TABLE three (x INTEGER);");
        using (await db.OpenAsync([one, three])) { }

        using (await db.OpenAsync([one, two, three])) { }

        Assert.Equal("1,2,3", db.Scalar("SELECT group_concat(version, ',') FROM (SELECT version FROM schema_version ORDER BY version)"));
        Assert.Equal(1L, db.Scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'two'"));
    }

    [Fact]
    public async Task The_real_schema_has_the_outbox_and_backfill_tables()
    {
        using var db = new TestDatabase();
        using (await db.OpenAsync()) { }

        Assert.Equal("backfill_plans,backfill_steps,outbox_cursor,outbox_parked",
            db.Scalar("SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('outbox_cursor', 'outbox_parked', 'backfill_steps', 'backfill_plans') ORDER BY name)"));
    }
}
