using CrmPulse.Core.Kpis;

namespace CrmPulse.Core.Store;

/// <summary>
/// Who produces a group of latest values; each producer's latest pass replaces its previous one. The same keys name
/// the groups of Prometheus gauges, so a KPI pass, a sync and a probe never remove each other's series.
/// </summary>
public static class Producers
{
    /// <summary>A source's KPI pass: the source's name.</summary>
    public static string KpiPass(string source) => source;

    /// <summary>The CRM API usage of a source's syncs (the crm_api_* samples).</summary>
    public static string CrmApi(string source) => $"{source}:{IntegrationKpis.CrmApi}";

    /// <summary>The probes of one integration (source "probes").</summary>
    public static string Probe(string integration) => $"{IntegrationKpis.ProbeSource}:{integration}";
}
