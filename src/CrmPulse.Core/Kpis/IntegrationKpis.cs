using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;

namespace CrmPulse.Core.Kpis;

/// <summary>Integration health: probes, the CRM API itself, and the records each integration writes (freshness, volume, duplicates).</summary>
/// <remarks>
/// <para>Every sample carries the dimension integration: the configured integration's name, or
/// <see cref="CrmApi"/> for the CRM's own API.</para>
/// <para>Three producers, one family. The KPI engine (<see cref="Compute"/>) derives the record-based KPIs from
/// <see cref="KpiOptions.Integrations"/>: an integration's records are the contacts, companies and deals whose
/// SourceField equals SourceValue (trimmed, case-insensitive) and that were created at or before as-of, so these KPIs
/// can be rebuilt for past dates (except duplicates, which read today's clusters). The host's probe jobs produce the
/// probe_* KPIs (source tag "probes"), and the sync step turns a source's <see cref="ApiUsage"/> into the crm_api_*
/// KPIs (<see cref="FromApiUsage"/>).</para>
/// </remarks>
public sealed class IntegrationKpis : IKpiFamily
{
    /// <summary>The integration dimension of the CRM API's own samples.</summary>
    public const string CrmApi = "crm_api";

    /// <summary>The source tag of probe samples: probes belong to no CRM source.</summary>
    public const string ProbeSource = "probes";

    /// <summary>How many previous full days the volume ratio's median looks at.</summary>
    public const int VolumeDays = 14;

    /// <summary>The KPIs the host produces (probe jobs, the sync step), never the KPI engine.</summary>
    public static readonly IReadOnlySet<string> ProducedByHost = new HashSet<string>(StringComparer.Ordinal)
    {
        "probe_up", "probe_success_ratio", "probe_latency_p50", "probe_latency_p95", "probe_latency_p99",
        "crm_api_latency_p50", "crm_api_latency_p95", "crm_api_error_ratio", "crm_api_headroom_ratio",
    };

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly string[] Dims = ["integration"];

    public KpiFamily Family => KpiFamily.Integration;

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new("probe_up", KpiFamily.Integration, "flag", KpiDirection.HigherIsBetter,
            "1 when the integration's latest probe answered the expected status within its timeout, else 0.", Dims, false, Day),
        new("probe_success_ratio", KpiFamily.Integration, "ratio", KpiDirection.HigherIsBetter,
            "Successful probes ÷ probes in the rolling window (default 1 hour).", Dims, false, Day),
        new("probe_latency_p50", KpiFamily.Integration, "milliseconds", KpiDirection.LowerIsBetter,
            "Median probe latency in the rolling window (nearest rank; timed-out probes count with their timeout).", Dims, false, Day),
        new("probe_latency_p95", KpiFamily.Integration, "milliseconds", KpiDirection.LowerIsBetter,
            "95th percentile probe latency in the rolling window (nearest rank).", Dims, false, Day),
        new("probe_latency_p99", KpiFamily.Integration, "milliseconds", KpiDirection.LowerIsBetter,
            "99th percentile probe latency in the rolling window (nearest rank).", Dims, false, Day),
        new("crm_api_latency_p50", KpiFamily.Integration, "milliseconds", KpiDirection.LowerIsBetter,
            "Median latency of the CRM API requests of the last sync (nearest rank).", Dims, false, Day),
        new("crm_api_latency_p95", KpiFamily.Integration, "milliseconds", KpiDirection.LowerIsBetter,
            "95th percentile latency of the CRM API requests of the last sync (nearest rank).", Dims, false, Day),
        new("crm_api_error_ratio", KpiFamily.Integration, "ratio", KpiDirection.LowerIsBetter,
            "Failed CRM API requests ÷ requests of the last sync, also when the sync failed.", Dims, false, Day),
        new("crm_api_headroom_ratio", KpiFamily.Integration, "ratio", KpiDirection.HigherIsBetter,
            "Daily API requests remaining ÷ daily limit, as the CRM reported after the last sync.", Dims, false, Day),
        new("integration_freshness", KpiFamily.Integration, "minutes", KpiDirection.LowerIsBetter,
            "Minutes from the newest record the integration created (by CreatedAt) to as-of.", Dims, true, Day),
        new("integration_late", KpiFamily.Integration, "flag", KpiDirection.LowerIsBetter,
            "1 when freshness exceeds the integration's ExpectedEvery (or it never wrote a record), else 0.", Dims, true, Day),
        new("integration_records_today", KpiFamily.Integration, "count", KpiDirection.Neutral,
            "Records the integration created since as-of's UTC midnight.", Dims, true, Day),
        new("integration_volume_ratio", KpiFamily.Integration, "ratio", KpiDirection.Neutral,
            "Records created today ÷ the median daily count of the previous 14 full UTC days; none when that median is 0.", Dims, true, Day),
        new("integration_duplicates", KpiFamily.Integration, "count", KpiDirection.LowerIsBetter,
            "Records the integration created that are removable duplicates (not the survivor of their duplicate cluster).", Dims, false, Day),
    ];

    /// <inheritdoc />
    public void Compute(KpiContext context, KpiOutput output)
    {
        if (context.Options.Integrations.Count == 0) return;
        var duplicates = new HashSet<(string, string)>(
            context.ContactClusters.Concat(context.CompanyClusters).SelectMany(c => c.Duplicates.Select(id => (c.Object, id))));
        var midnight = new DateTimeOffset(context.AsOf.UtcDateTime.Date, TimeSpan.Zero);

        // Contacts, companies and deals read from their columns, without a record per row.
        RecordRows[] objects = [RecordRows.Of(context.Contacts), RecordRows.Of(context.Companies), RecordRows.Of(context.Deals)];
        foreach (var rule in context.Options.Integrations)
        {
            var dims = Dimensions.Of(("integration", rule.Integration));
            // The records the integration wrote, in snapshot order: contacts, then companies, then deals.
            var records = new List<(string ObjectType, string Id, DateTimeOffset CreatedAt)>();
            foreach (var rows in objects)
            {
                var field = rows.Reader(rule.SourceField);
                var created = rows.Created;
                for (var row = 0; row < rows.Count; row++)
                {
                    if (created.UtcTicks[row] <= context.AsOf.UtcTicks && Wrote(rule, field(row)))
                        records.Add((rows.ObjectType, rows.Id(row), created.At(row)));
                }
            }

            if (records.Count > 0)
            {
                var freshness = (context.AsOf - records.Max(r => r.CreatedAt)).TotalMinutes;
                output.Add("integration_freshness", freshness, dims);
                if (rule.ExpectedEvery is { } every) output.Add("integration_late", freshness > every.TotalMinutes ? 1 : 0, dims);
            }
            else if (rule.ExpectedEvery is not null)
            {
                // Expected to write and never did: late (a wrong SourceField/SourceValue shows up here too).
                output.Add("integration_late", 1, dims);
            }

            var today = records.Count(r => r.CreatedAt >= midnight);
            output.Add("integration_records_today", today, dims);
            var daily = Enumerable.Range(1, VolumeDays)
                .Select(k => (double)records.Count(r => r.CreatedAt >= midnight - k * Day && r.CreatedAt < midnight - (k - 1) * Day));
            if (Percentiles.Median(daily) is { } median && median > 0) output.Add("integration_volume_ratio", today / median, dims);

            output.Add("integration_duplicates", records.Count(r => duplicates.Contains((r.ObjectType, r.Id))), dims);
        }
    }

    /// <summary>True when a record's value of the rule's SourceField (<paramref name="value"/>) is the rule's SourceValue
    /// (trimmed, case-insensitive).</summary>
    private static bool Wrote(IntegrationFieldRule rule, string? value) =>
        value is { } v && string.Equals(v.Trim(), rule.SourceValue.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The crm_api_* samples of one sync (integration = <see cref="CrmApi"/>, on the CRM source's tag). Latency
    /// percentiles need at least one latency, the error ratio at least one request, and the headroom a daily limit
    /// above 0 and a remaining count.
    /// </summary>
    public static IReadOnlyList<KpiSample> FromApiUsage(string source, ApiUsage usage, DateTimeOffset at)
    {
        var output = new KpiOutput(source, at);
        var dims = Dimensions.Of(("integration", CrmApi));
        if (Percentiles.Of(usage.LatenciesMs, 50) is { } p50) output.Add("crm_api_latency_p50", p50, dims);
        if (Percentiles.Of(usage.LatenciesMs, 95) is { } p95) output.Add("crm_api_latency_p95", p95, dims);
        if (usage.Requests > 0) output.Add("crm_api_error_ratio", (double)usage.Errors / usage.Requests, dims);
        if (usage is { DailyLimit: > 0, DailyRemaining: { } remaining })
            output.Add("crm_api_headroom_ratio", (double)remaining / usage.DailyLimit.Value, dims);
        return output.Samples;
    }
}
