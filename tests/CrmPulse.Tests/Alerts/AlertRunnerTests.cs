using CrmPulse.Alerts;
using CrmPulse.Core.Alerts;
using CrmPulse.Core.Kpis;
using CrmPulse.Hosting;
using CrmPulse.Metrics;
using CrmPulse.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace CrmPulse.Tests.Alerts;

/// <summary>
/// The runner over a real store and ledger with a fake clock, notifying webhook receivers on 127.0.0.1.
/// 2026-11-02 is a Monday.
/// </summary>
public sealed class AlertRunnerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeClock _clock = new(Monday);
    private readonly List<AlertNotifier> _notifiers = [];
    private TempStore _store = null!;

    public async Task InitializeAsync() => _store = await TempStore.OpenAsync();

    public async Task DisposeAsync()
    {
        foreach (var n in _notifiers) await n.DisposeAsync();
        await _store.DisposeAsync();
    }

    private static AlertRuleSet Rules() => new()
    {
        Rules =
        [
            new AlertRule
            {
                Name = "adoption-drop", Kind = AlertKind.Drop, Kpi = "weekly_active_ratio", Dimensions = new() { ["team"] = "*" },
                Threshold = 0.25, Periods = 2, Summary = "{{team}}: {{value}} vs {{baseline}} ({{change}})",
            },
        ],
    };

    private (AlertRunner Runner, AlertNotifier Notifier, CollectorRegistry Registry) Runner(params WebhookOptions[] webhooks)
    {
        var options = new AlertsOptions { Webhooks = [.. webhooks] };
        var notifier = new AlertNotifier(options, _store.Store, _clock, NullLogger<AlertNotifier>.Instance);
        _notifiers.Add(notifier);
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var runner = new AlertRunner(Rules(), options, _store.Store, _store.Store, _store.Store, new SourceRegistry([], _clock), notifier,
            new PulseMetrics(registry), _clock, NullLogger<AlertRunner>.Instance);
        return (runner, notifier, registry);
    }

    private static WebhookOptions Hook(string name, string url, WebhookFormat format = WebhookFormat.Json, string[]? teams = null,
        TimeSpan? timeout = null, int attempts = 3) =>
        new() { Name = name, Url = url, Format = format, Teams = [.. teams ?? []], Timeout = timeout ?? TimeSpan.FromSeconds(5), MaxAttempts = attempts, RetryDelay = TimeSpan.FromMilliseconds(10) };

    /// <summary>Mon and Tue 1.0 for teams A and B; Wednesday A 0.5 (a 50 % drop), B 1.0.</summary>
    private async Task AppendHistoryAsync()
    {
        var samples = new List<KpiSample>();
        foreach (var (day, a, b) in new[] { (0, 1.0, 1.0), (1, 1.0, 1.0), (2, 0.5, 1.0) })
        {
            samples.Add(new KpiSample("weekly_active_ratio", "crm", Dimensions.Of(("team", "A")), a, Monday.AddDays(day)));
            samples.Add(new KpiSample("weekly_active_ratio", "crm", Dimensions.Of(("team", "B")), b, Monday.AddDays(day)));
        }
        await _store.Store.AppendAsync(samples, [], CancellationToken.None);
    }

    private static async Task<string> ScrapeAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task A_state_change_reaches_each_routed_webhook_once_with_exact_bodies_and_is_not_repeated_after_a_restart()
    {
        await using var all = new WebhookReceiver(_ => 200);
        await using var teamA = new WebhookReceiver(_ => 200);
        await using var teamB = new WebhookReceiver(_ => 200);
        await AppendHistoryAsync();
        var (runner, notifier, registry) = Runner(Hook("all", all.Url), Hook("team-a", teamA.Url, WebhookFormat.Slack, ["A"]),
            Hook("team-b", teamB.Url, WebhookFormat.Slack, ["B"]));

        // Wednesday 09:30: A's 0.5 versus median(Tue 1.0, Mon 1.0) = 1.0 is a 50 % drop; B holds.
        _clock.Now = Monday.AddDays(2).AddMinutes(30);
        await runner.EvaluateAsync(CancellationToken.None);
        _clock.Now = Monday.AddDays(2).AddMinutes(45);
        await runner.EvaluateAsync(CancellationToken.None);   // unchanged: nothing more
        Assert.True(await notifier.DrainAsync(TimeSpan.FromSeconds(20), CancellationToken.None));

        Assert.Equal(["""{"event":"firing","status":"firing","rule":"adoption-drop","severity":"warning","source":"crm","dimensions":{"team":"A"},"labels":{"kpi":"weekly_active_ratio","rule":"adoption-drop","severity":"warning","source":"crm","team":"A"},"summary":"A: 0.5 vs 1 (-50%)","value":0.5,"baseline":1,"valueAt":"2026-11-04T09:00:00.000Z","activeSince":"2026-11-04T09:30:00.000Z","firingSince":"2026-11-04T09:30:00.000Z","resolvedAt":null}"""],
            all.Bodies);
        Assert.Equal(["""{"text":"[FIRING] warning: A: 0.5 vs 1 (-50%)"}"""], teamA.Bodies);
        Assert.Empty(teamB.Bodies);
        Assert.Contains("crmpulse_alerts_firing{rule=\"adoption-drop\",severity=\"warning\"} 1\n", await ScrapeAsync(registry));

        // A restart: a new runner on the same store. Thursday A is back at 1.0 (median Wed 0.5, Tue 1.0 = 0.75): resolved,
        // announced once; the firing is not announced again.
        var (again, againNotifier, againRegistry) = Runner(Hook("all", all.Url), Hook("team-a", teamA.Url, WebhookFormat.Slack, ["A"]));
        _clock.Now = Monday.AddDays(2).AddHours(2);
        await again.EvaluateAsync(CancellationToken.None);
        Assert.True(await againNotifier.DrainAsync(TimeSpan.FromSeconds(20), CancellationToken.None));
        Assert.Single(all.Bodies);
        await _store.Store.AppendAsync([new KpiSample("weekly_active_ratio", "crm", Dimensions.Of(("team", "A")), 1.0, Monday.AddDays(3))], [], CancellationToken.None);
        _clock.Now = Monday.AddDays(3).AddMinutes(30);
        await again.EvaluateAsync(CancellationToken.None);
        Assert.True(await againNotifier.DrainAsync(TimeSpan.FromSeconds(20), CancellationToken.None));
        Assert.Equal("""{"text":"[RESOLVED] warning: A: 1 vs 0.75 (+33%)"}""", teamA.Bodies.Last());
        Assert.Equal(2, all.Bodies.Count);
        Assert.Contains("\"event\":\"resolved\",\"status\":\"resolved\"", all.Bodies.Last());
        Assert.Contains("\"resolvedAt\":\"2026-11-05T09:30:00.000Z\"", all.Bodies.Last());
        Assert.Contains("crmpulse_alerts_firing{rule=\"adoption-drop\",severity=\"warning\"} 0\n", await ScrapeAsync(againRegistry));
        var deliveries = await _store.Store.RecentDeliveriesAsync(10, CancellationToken.None);
        Assert.Equal(["all resolved delivered 1 200", "team-a resolved delivered 1 200", "all firing delivered 1 200", "team-a firing delivered 1 200"],
            deliveries.OrderByDescending(d => d.Event).ThenBy(d => d.Webhook).Select(d => $"{d.Webhook} {d.Event} {d.Status} {d.Attempts} {d.HttpStatus}"));
    }

    [Fact]
    public async Task A_failing_webhook_is_retried_until_it_accepts()
    {
        await using var flaky = new WebhookReceiver(i => i < 2 ? 500 : 204);
        await AppendHistoryAsync();
        var (runner, notifier, _) = Runner(Hook("flaky", flaky.Url, attempts: 5));
        _clock.Now = Monday.AddDays(2).AddMinutes(30);

        await runner.EvaluateAsync(CancellationToken.None);
        Assert.True(await notifier.DrainAsync(TimeSpan.FromSeconds(20), CancellationToken.None));

        // Two 500s, then 204: three identical bodies, one delivery record with 3 attempts.
        Assert.Equal(3, flaky.Bodies.Count);
        Assert.Single(flaky.Bodies.Distinct());
        var d = Assert.Single(await _store.Store.RecentDeliveriesAsync(10, CancellationToken.None));
        Assert.Equal(("delivered", 3, (int?)204, (string?)null), (d.Status, d.Attempts, d.HttpStatus, d.Error));
    }

    [Fact]
    public async Task A_hanging_webhook_delays_neither_the_evaluations_nor_the_other_webhooks_and_ends_as_failed()
    {
        await using var hanging = new WebhookReceiver(_ => null);
        await using var good = new WebhookReceiver(_ => 200);
        await AppendHistoryAsync();
        var (runner, notifier, _) = Runner(Hook("hanging", hanging.Url, timeout: TimeSpan.FromSeconds(2), attempts: 2), Hook("good", good.Url));

        _clock.Now = Monday.AddDays(2).AddMinutes(30);
        await runner.EvaluateAsync(CancellationToken.None);
        // The evaluation returned while the hanging webhook's first attempt (2 s) is still open.
        var hangingRecord = (await _store.Store.RecentDeliveriesAsync(10, CancellationToken.None)).Single(d => d.Webhook == "hanging");
        Assert.Equal(("queued", 0), (hangingRecord.Status, hangingRecord.Attempts));
        // The next evaluation (A recovers: resolved) is not held up either, and the good webhook gets both notifications.
        await _store.Store.AppendAsync([new KpiSample("weekly_active_ratio", "crm", Dimensions.Of(("team", "A")), 1.0, Monday.AddDays(2).AddHours(1))], [], CancellationToken.None);
        _clock.Now = Monday.AddDays(2).AddHours(1);
        await runner.EvaluateAsync(CancellationToken.None);
        await good.WaitForAsync(2, TimeSpan.FromSeconds(20));
        Assert.Equal(0, (await _store.Store.RecentDeliveriesAsync(10, CancellationToken.None)).Single(d => d.Webhook == "hanging" && d.Event == "firing").Attempts);

        Assert.True(await notifier.DrainAsync(TimeSpan.FromSeconds(30), CancellationToken.None));
        var records = await _store.Store.RecentDeliveriesAsync(10, CancellationToken.None);
        Assert.Equal(["good firing delivered 1", "good resolved delivered 1", "hanging firing failed 2", "hanging resolved failed 2"],
            records.Select(d => $"{d.Webhook} {d.Event} {d.Status} {d.Attempts}").Order(StringComparer.Ordinal));
        Assert.All(records.Where(d => d.Webhook == "hanging"), d => Assert.Equal("no answer within 00:00:02", d.Error));
        Assert.Equal(4, hanging.Requests);
    }
}
