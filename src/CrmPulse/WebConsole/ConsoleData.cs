using CrmPulse.Alerts;
using CrmPulse.Apis;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using CrmPulse.Hosting;
using CrmPulse.Integrations;
using CrmPulse.Options;
using CrmPulse.Pipeline;
using CrmPulse.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmPulse.WebConsole;

/// <summary>
/// What the pages read, through the API's own handlers (no page-only query): the numbers on a page are the numbers the
/// API serves. One instance per request, so the latest values are read once however many parts of a page use them.
/// </summary>
public sealed class ConsoleData(IServiceProvider services)
{
    private IReadOnlyList<KpiApi.LatestValue>? _latest;
    private string? _latestSource;

    public ILedger Ledger { get; } = services.GetRequiredService<ILedger>();

    public SourceRegistry Sources { get; } = services.GetRequiredService<SourceRegistry>();

    public TimeProvider Time { get; } = services.GetRequiredService<TimeProvider>();

    public IServiceProvider Services => services;

    /// <summary>The latest values of a source as /api/kpis/latest?source= serves them (the same service).</summary>
    public async Task<IReadOnlyList<KpiApi.LatestValue>> LatestAsync(string source, CancellationToken ct)
    {
        if (_latest is not null && _latestSource == source) return _latest;
        _latest = await services.GetRequiredService<LatestKpis>().GetAsync(source, null, null, ct);
        _latestSource = source;
        return _latest;
    }

    /// <summary>The series of one KPI (every dimension set) between from and now, as /api/kpis/{id}/series reads them.</summary>
    public Task<IReadOnlyList<KpiSample>> SeriesAsync(string kpi, string source, DateTimeOffset from, CancellationToken ct) =>
        Ledger.SeriesAsync(kpi, source, from, Time.GetUtcNow(), ct);

    /// <summary>One series' points with one point per step (the last sample in each, as the series API's step does).</summary>
    public static IReadOnlyList<(DateTimeOffset Time, double Value)> Points(IEnumerable<KpiSample> samples, Dimensions dims,
        DateTimeOffset from, TimeSpan step) =>
        KpiApi.Points(samples.Where(s => s.Dimensions.Equals(dims)).OrderBy(s => s.Time), from, step)
            .Select(p => (DateTimeOffset.FromUnixTimeMilliseconds((long)p[1]), p[0])).ToList();

    public async Task<IReadOnlyList<SourcesApi.SourceStatus>> SourceStatusAsync(CancellationToken ct) =>
        (await SourcesApi.List(services.GetRequiredService<IMirror>(), Sources, services.GetRequiredService<SourceRunner>(),
            services.GetRequiredService<IStoreHealth>(), services.GetRequiredService<Storage.IJobRuns>(), ct)).Value!;

    public async Task<IssuesApi.IssuesPage> IssuesAsync(string area, IssuesApi.IssueFilter filter, CancellationToken ct)
    {
        var families = area switch
        {
            "pipeline" => new[] { KpiFamily.Pipeline, KpiFamily.Outcome },
            "reconciliation" => [KpiFamily.Reconciliation],
            _ => [KpiFamily.DataQuality],
        };
        var result = await IssuesApi.ListAsync(area, families, services.GetRequiredService<IIssueStore>(), Sources, filter, ct);
        return Unwrap<IssuesApi.IssuesPage>(result.Result);
    }

    public async Task<IReadOnlyList<UserAdoptionRow>> UsersAsync(string source, string? team, string? status, CancellationToken ct) =>
        Unwrap<IReadOnlyList<UserAdoptionRow>>((await AdoptionApi.Users(Ledger, source, team, status, ct)).Result);

    public async Task<IReadOnlyList<IntegrationsApi.IntegrationStatus>> IntegrationsAsync(string source, CancellationToken ct) =>
        Unwrap<IReadOnlyList<IntegrationsApi.IntegrationStatus>>((await IntegrationsApi.List(Ledger, services.GetRequiredService<CrmPulseOptions>(), Sources,
            services.GetRequiredService<IntegrationProber>(), source, ct)).Result);

    public async Task<AlertsApi.AlertsView> AlertsAsync(CancellationToken ct) =>
        (await AlertsApi.List(services.GetRequiredService<ICrmStore>(), services.GetRequiredService<AlertRunner>(), ct)).Value!;

    /// <summary>The teams of a source: the team dimension of its adoption samples.</summary>
    public async Task<IReadOnlyList<string>> TeamsAsync(string source, CancellationToken ct) =>
        (await LatestAsync(source, ct)).Where(v => v.Kpi == "licensed_users" && v.Dimensions.TryGetValue("team", out _))
            .Select(v => v.Dimensions["team"]).Distinct().Order(StringComparer.Ordinal).ToList();

    private static T Unwrap<T>(IResult result) => result switch
    {
        Ok<T> ok => ok.Value!,
        ProblemHttpResult problem => throw new ConsoleProblemException(problem.StatusCode, problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "Bad request"),
        _ => throw new InvalidOperationException($"Unexpected result {result.GetType().Name}."),
    };
}
