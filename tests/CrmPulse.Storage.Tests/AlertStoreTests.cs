using CrmPulse.Storage.Tests.Postgres;
using CrmPulse.Core.Alerts;
using CrmPulse.Core.Kpis;

namespace CrmPulse.Storage.Tests;

public abstract class AlertStoreTests(StoreKind kind) : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly StoreUnderTest _db = new(kind);

    public void Dispose() => _db.Dispose();

    private static AlertInstance Instance(string rule, AlertStatus status, DateTimeOffset updated, string team = "CS") => new()
    {
        Rule = rule, Source = "demo", Dimensions = Dimensions.Of(("team", team)), Severity = "warning", Status = status,
        ActiveSince = T0, FiringSince = status == AlertStatus.Pending ? null : T0.AddMinutes(5),
        ResolvedAt = status == AlertStatus.Resolved ? updated : null, LastNotifiedAt = status == AlertStatus.Pending ? null : T0.AddMinutes(5),
        Value = 0.25, Baseline = status == AlertStatus.Pending ? null : 0.8, ValueAt = T0, Summary = $"{rule} {team}", UpdatedAt = updated,
    };

    [Fact]
    public async Task Alert_instances_survive_reopening_the_store_exactly()
    {
        var firing = Instance("drop", AlertStatus.Firing, T0.AddMinutes(10));
        var pending = Instance("down", AlertStatus.Pending, T0.AddMinutes(10), "Sales");
        using (var store = await _db.OpenAsync())
            await store.SaveAlertsAsync([firing, pending], [], T0, CancellationToken.None);
        using (var reopened = await _db.OpenAsync())
        {
            var loaded = await reopened.LoadAlertsAsync(CancellationToken.None);
            // Ordered by key: "down|demo|team=Sales" before "drop|demo|team=CS".
            Assert.Equal([pending, firing], loaded);
        }
    }

    [Fact]
    public async Task Removed_instances_and_resolved_ones_older_than_the_cut_off_are_deleted()
    {
        using var store = await _db.OpenAsync();
        var old = Instance("a", AlertStatus.Resolved, T0);
        var recent = Instance("b", AlertStatus.Resolved, T0.AddDays(2));
        var pending = Instance("c", AlertStatus.Pending, T0);
        await store.SaveAlertsAsync([old, recent, pending], [], T0, CancellationToken.None);
        await store.SaveAlertsAsync([], [pending.Key], T0.AddDays(1), CancellationToken.None);
        Assert.Equal(["b"], (await store.LoadAlertsAsync(CancellationToken.None)).Select(i => i.Rule));
    }

    [Fact]
    public async Task Deliveries_are_recorded_from_queued_to_their_last_attempt()
    {
        using var store = await _db.OpenAsync();
        var id = await store.AddDeliveryAsync("drop|demo|team=CS", AlertEventKind.Firing, "slack", T0, CancellationToken.None);
        await store.UpdateDeliveryAsync(id, "queued", 1, 500, "HTTP 500", T0.AddSeconds(1), CancellationToken.None);
        await store.UpdateDeliveryAsync(id, "delivered", 2, 200, null, T0.AddSeconds(3), CancellationToken.None);
        var d = Assert.Single(await store.RecentDeliveriesAsync(10, CancellationToken.None));
        Assert.Equal(new AlertDelivery(id, "drop|demo|team=CS", "firing", "slack", "delivered", 2, 200, null, T0, T0.AddSeconds(3)), d);
    }
}

public sealed class AlertStoreTestsOnSqlite() : AlertStoreTests(StoreKind.Sqlite);

public sealed class AlertStoreTestsOnPostgreSql() : AlertStoreTests(StoreKind.PostgreSql);
