using CrmPulse.Storage.Tests.Postgres;
using CrmPulse.Core.Kpis;
using CrmPulse.Storage.Influx;
using static CrmPulse.Storage.Tests.Fixtures;

namespace CrmPulse.Storage.Tests.Influx;

/// <summary>The outbox over the ledger, against a scripted InfluxDB 2.x server and a hand-moved clock.</summary>
public abstract class InfluxOutboxTests(StoreKind kind) : IDisposable
{
    private readonly StoreUnderTest _db = new(kind);
    private readonly RecordingServer _server = new();
    private readonly FakeTime _time = new(T0.AddDays(1));

    public void Dispose()
    {
        _server.Dispose();
        _db.Dispose();
    }

    private InfluxOutbox Outbox(ICrmStore store, InfluxWriter writer, int batchSize = 2) =>
        new(store, writer, new InfluxDbOptions { BatchSize = batchSize, MaxRetryDelay = TimeSpan.FromSeconds(10) }, _time);

    private InfluxWriter Writer() => new(new InfluxDbOptions { Enabled = true, Url = _server.Url, Org = "o", Bucket = "b", Token = "t" });

    private static KpiSample Sample(double value, int minute) => new("licensed_users", "demo", Dimensions.None, value, T0.AddMinutes(minute));

    [Fact]
    public async Task Samples_go_out_in_append_order_in_batches_then_the_user_rows_and_the_backlog_empties()
    {
        using var store = await _db.OpenAsync();
        using var writer = Writer();
        await store.AppendAsync([Sample(1, 0), Sample(2, 1), Sample(3, 2)],
            [new UserAdoptionRow("demo", "u1", "Ann", null, "Sales", null, 0, 0, 0, 0, "never", T0)], default);
        Assert.Equal(new OutboxStatus(3, 1, T0, 0, 0, null, null), await store.GetOutboxStatusAsync(default));

        var drain = await Outbox(store, writer).DrainAsync(default);

        // 3 samples in batches of 2 → 2 requests, then the one user row → 3 requests, 4 points.
        Assert.Equal(4, drain.Written);
        Assert.Equal(
        [
            "crm_adoption,source=demo licensed_users=1 1741597200000\ncrm_adoption,source=demo licensed_users=2 1741597260000",
            "crm_adoption,source=demo licensed_users=3 1741597320000",
            "crm_user_activity,source=demo,team=Sales,user_id=u1 activities_30d=0i,activities_7d=0i,logins_30d=0i,logins_7d=0i,name=\"Ann\",status=\"never\" 1741597200000",
        ], _server.Requests.Select(r => r.Body));
        Assert.Equal(new OutboxStatus(0, 0, null, 0, 0, null, null), await store.GetOutboxStatusAsync(default));
    }

    [Fact]
    public async Task An_outage_keeps_the_cursor_backs_off_and_the_backlog_drains_in_order_on_recovery()
    {
        using var store = await _db.OpenAsync();
        using var writer = Writer();
        var outbox = Outbox(store, writer);
        await store.AppendAsync([Sample(1, 0), Sample(2, 1), Sample(3, 2)], [], default);
        _server.Reply(204);
        _server.Reply(503, """{"code":"unavailable","message":"service unavailable"}""");

        var first = await outbox.DrainAsync(default);

        // The first batch (1, 2) is acknowledged; the second (3) fails: 1 pending, retry in 1 s.
        Assert.Equal((2, TimeSpan.FromSeconds(1)), (first.Written, first.RetryIn));
        Assert.Equal("HTTP 503: service unavailable", outbox.LastError);
        Assert.Equal(1, (await store.GetOutboxStatusAsync(default)).PendingSamples);

        // During the backoff nothing is sent.
        var waiting = await outbox.DrainAsync(default);
        Assert.Equal((0, 2), (waiting.Written, _server.Requests.Count));

        _time.Now += TimeSpan.FromSeconds(1);
        var second = await outbox.DrainAsync(default);
        Assert.Equal(TimeSpan.FromSeconds(2), second.RetryIn); // the backoff doubles

        await store.AppendAsync([Sample(4, 3)], [], default);
        _server.Reply(204);
        _time.Now += TimeSpan.FromSeconds(2);
        var recovered = await outbox.DrainAsync(default);

        Assert.Equal(2, recovered.Written);
        Assert.Equal("crm_adoption,source=demo licensed_users=3 1741597320000\ncrm_adoption,source=demo licensed_users=4 1741597380000",
            _server.Requests[^1].Body);
        Assert.Equal(0, (await store.GetOutboxStatusAsync(default)).PendingSamples);
        // Recovered: no current error is shown; the time of the last failure stays for the metric.
        Assert.Equal((null, null, _time.Now), (outbox.LastError, outbox.LastErrorAt, outbox.LastSuccessAt));
        Assert.Equal(_time.Now - TimeSpan.FromSeconds(2), outbox.LastFailureAt);
    }

    [Fact]
    public async Task Retry_After_sets_the_wait_before_the_next_attempt()
    {
        using var store = await _db.OpenAsync();
        using var writer = Writer();
        var outbox = Outbox(store, writer);
        await store.AppendAsync([Sample(1, 0)], [], default);
        _server.Reply(429, """{"code":"too many requests","message":"slow down"}""", ("Retry-After", "7"));

        var drain = await outbox.DrainAsync(default);

        Assert.Equal(TimeSpan.FromSeconds(7), drain.RetryIn);
        Assert.Equal(_time.Now + TimeSpan.FromSeconds(7), outbox.NextAttemptAt);
    }

    [Fact]
    public async Task A_batch_refused_for_good_is_parked_with_the_reason_and_the_drain_goes_on()
    {
        using var store = await _db.OpenAsync();
        using var writer = Writer();
        var outbox = Outbox(store, writer);
        await store.AppendAsync([Sample(1, 0), Sample(2, 1), Sample(3, 2)], [], default);
        _server.Reply(400, """{"code":"invalid","message":"partial write: field type conflict"}""");
        _server.Reply(204);

        var drain = await outbox.DrainAsync(default);

        Assert.Equal((1, 1), (drain.Written, drain.Parked));
        Assert.Equal("HTTP 400: partial write: field type conflict", Assert.Single(drain.Rejections).Reason);
        Assert.Equal(new OutboxStatus(0, 0, null, 1, 2, "HTTP 400: partial write: field type conflict", _time.Now),
            await store.GetOutboxStatusAsync(default));
        Assert.Equal(2L, _db.Scalar("SELECT last_pos FROM outbox_parked"));
    }

    [Fact]
    public async Task The_cursor_survives_a_restart_so_a_new_process_resumes_after_the_last_acknowledged_batch()
    {
        using (var store = await _db.OpenAsync())
        using (var writer = Writer())
        {
            await store.AppendAsync([Sample(1, 0), Sample(2, 1), Sample(3, 2)], [], default);
            _server.Reply(204);
            _server.Reply(503);
            await Outbox(store, writer).DrainAsync(default);
        }

        using (var store = await _db.OpenAsync())
        using (var writer = Writer())
        {
            _server.Reply(204);
            await Outbox(store, writer).DrainAsync(default);
        }

        // 1+2 acknowledged, 3 failed, then 3 again in the new process: each acknowledged exactly once.
        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal(_server.Requests[1].Body, _server.Requests[2].Body);
        Assert.Equal(3L, _db.Scalar("SELECT position FROM outbox_cursor WHERE stream = 'samples'"));
    }

    [Fact]
    public async Task A_backfill_step_is_appended_once_even_when_run_again()
    {
        using var store = await _db.OpenAsync();

        var first = await store.AppendBackfillStepAsync("demo", T0, [Sample(1, 0)], [], _time.Now, default);
        var again = await store.AppendBackfillStepAsync("demo", T0, [Sample(1, 0)], [], _time.Now, default);

        Assert.Equal((true, false), (first, again));
        Assert.Equal(1L, _db.Scalar("SELECT COUNT(*) FROM samples"));
        Assert.Equal([T0], await store.GetBackfillStepsAsync("demo", default));
    }
}

public sealed class InfluxOutboxTestsOnSqlite() : InfluxOutboxTests(StoreKind.Sqlite);

public sealed class InfluxOutboxTestsOnPostgreSql() : InfluxOutboxTests(StoreKind.PostgreSql);
