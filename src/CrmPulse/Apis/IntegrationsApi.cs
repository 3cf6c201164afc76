using System.ComponentModel;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using CrmPulse.Hosting;
using CrmPulse.Integrations;
using CrmPulse.Options;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmPulse.Apis;

/// <summary>/api/integrations: the health of every configured integration, and of each source's CRM API.</summary>
public static class IntegrationsApi
{
    /// <summary>The probe of an integration: the window of this process (Last and WindowProbes), or after a restart
    /// the latest stored samples (Last null). Url is shown without user info and query.</summary>
    public sealed record ProbeView(string Url, string Method, string ExpectedStatus, ProbeResult? Last, int? WindowProbes,
        bool? Up, double? SuccessRatio, double? LatencyP50Ms, double? LatencyP95Ms, double? LatencyP99Ms);

    /// <summary>What one CRM source's latest KPI pass found of the records the integration wrote.</summary>
    public sealed record RecordsView(string Source, DateTimeOffset Time, double? FreshnessMinutes, bool? Late, double? RecordsToday,
        double? VolumeRatio, double? Duplicates);

    /// <summary>The CRM API of one source, from its latest sync that reported API usage.</summary>
    public sealed record CrmApiView(DateTimeOffset Time, double? LatencyP50Ms, double? LatencyP95Ms, double? ErrorRatio, double? HeadroomRatio);

    /// <summary>One integration (Source null, Probe and/or Records), or the CRM API of one source (Name "crm_api", Source, CrmApi).</summary>
    public sealed record IntegrationStatus(string Name, string? Source, ProbeView? Probe, IReadOnlyList<RecordsView> Records, CrmApiView? CrmApi);

    public static IEndpointRouteBuilder MapIntegrationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/integrations").WithTags("Integrations")
            .MapGet("/", List).WithName("Integrations")
            .WithSummary("Each configured integration: last probe (status, latency, error), up, success ratio and latency percentiles "
                + "of the window, and per CRM source the freshness, lateness, records today, volume ratio and duplicates of the "
                + "records it wrote; then the CRM API of each source (\"crm_api\"): latency, error ratio, rate-limit headroom.");
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<IntegrationStatus>>, ProblemHttpResult>> List(
        ILedger ledger, CrmPulseOptions options, SourceRegistry sources, IntegrationProber prober,
        [Description("Only this CRM source's records and API.")] string? source,
        CancellationToken ct)
    {
        if (source is not null && !sources.Contains(source))
            return TypedResults.Problem(statusCode: 404, title: "Unknown source", detail: $"No source '{source}' (known: {string.Join(", ", sources.Names)}).");

        var latest = (await ledger.LatestAsync(null, ct))
            .Where(s => KpiCatalog.TryGet(s.Kpi, out var d) && d.Family == KpiFamily.Integration && s.Dimensions["integration"] is not null)
            .ToLookup(s => (s.Source, Integration: s.Dimensions["integration"]!));
        var crmSources = sources.Names.Where(n => source is null || n == source).ToList();

        var result = new List<IntegrationStatus>();
        foreach (var integration in options.Integrations)
        {
            var name = integration.Name!;
            var probe = integration.ProbeUrl is null ? null : Probe(integration, prober.Stats(name), latest[(IntegrationKpis.ProbeSource, name)].ToList());
            var records = integration.SourceField is null ? [] : crmSources
                .Select(s => latest[(s, name)].ToList())
                .Where(samples => samples.Count > 0)
                .Select(samples => new RecordsView(samples[0].Source, samples.Max(x => x.Time),
                    Value(samples, "integration_freshness"), Value(samples, "integration_late") is { } late ? late >= 1 : null,
                    Value(samples, "integration_records_today"), Value(samples, "integration_volume_ratio"), Value(samples, "integration_duplicates")))
                .ToList();
            result.Add(new IntegrationStatus(name, null, probe, records, null));
        }
        foreach (var s in crmSources)
        {
            var api = latest[(s, IntegrationKpis.CrmApi)].ToList();
            if (api.Count == 0) continue;
            result.Add(new IntegrationStatus(IntegrationKpis.CrmApi, s, null, [], new CrmApiView(api.Max(x => x.Time),
                Value(api, "crm_api_latency_p50"), Value(api, "crm_api_latency_p95"), Value(api, "crm_api_error_ratio"), Value(api, "crm_api_headroom_ratio"))));
        }
        return TypedResults.Ok<IReadOnlyList<IntegrationStatus>>(result);
    }

    private static ProbeView Probe(IntegrationOptions integration, ProbeStats? stats, List<KpiSample> stored) =>
        stats is not null
            ? new ProbeView(Redacted(integration.ProbeUrl!), integration.Method, integration.ExpectedStatus, stats.Last, stats.Probes, stats.Last.Success,
                stats.SuccessRatio, stats.LatencyP50Ms, stats.LatencyP95Ms, stats.LatencyP99Ms)
            : new ProbeView(Redacted(integration.ProbeUrl!), integration.Method, integration.ExpectedStatus, null, null,
                Value(stored, "probe_up") is { } up ? up >= 1 : null, Value(stored, "probe_success_ratio"),
                Value(stored, "probe_latency_p50"), Value(stored, "probe_latency_p95"), Value(stored, "probe_latency_p99"));

    /// <summary>The URL without user info and query: probe URLs sometimes carry a token, and this endpoint needs no API key.</summary>
    internal static string Redacted(string url) => Core.SafeUrl.WithoutSecrets(url);

    private static double? Value(List<KpiSample> samples, string kpi) => samples.FirstOrDefault(s => s.Kpi == kpi)?.Value;
}
