using System.Globalization;
using CrmPulse.Core.Kpis;
using CrmPulse.Options;

namespace CrmPulse.Integrations;

/// <summary>One line per integration and target for check-config's plan.</summary>
public static class IntegrationPlan
{
    public static string Describe(IntegrationOptions i)
    {
        var parts = new List<string>();
        if (i.ProbeUrl is not null) parts.Add($"probe {i.Method} {Core.SafeUrl.WithoutSecrets(i.ProbeUrl)} every {i.Every} (timeout {i.Timeout}, expect {i.ExpectedStatus})");
        if (i.SourceField is not null)
            parts.Add($"records where {i.SourceField} = '{i.SourceValue}'{(i.ExpectedEvery is { } e ? $", expected every {e}" : "")}");
        return $"Integration {i.Name}: {string.Join("; ", parts)}";
    }

    public static string Describe(TargetOptions t)
    {
        var direction = KpiCatalog.TryGet(t.Kpi!, out var d) && d.Direction == KpiDirection.LowerIsBetter ? "<=" : ">=";
        var dims = Dimensions.Of(t.Dimensions).Key;
        return $"Target {t.Kpi}{(dims.Length > 0 ? $"{{{dims}}}" : "")} {direction} {t.Value!.Value.ToString(CultureInfo.InvariantCulture)} "
            + $"by {t.By:yyyy-MM-dd}{(t.Source is null ? "" : $" on {t.Source}")}";
    }
}
