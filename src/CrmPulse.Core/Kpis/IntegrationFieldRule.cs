namespace CrmPulse.Core.Kpis;

/// <summary>
/// How the KPI engine recognises the records an integration wrote into the CRM: records (contacts, companies, deals)
/// whose <paramref name="SourceField"/> equals <paramref name="SourceValue"/> (case-insensitive, trimmed). From them
/// come the integration's sync freshness, volume anomaly and the duplicates it created. Built from CrmPulse:Integrations.
/// </summary>
/// <param name="Integration">The integration's name (the integration dimension).</param>
/// <param name="ExpectedEvery">How often the integration is expected to write; freshness beyond it is late.</param>
public sealed record IntegrationFieldRule(string Integration, string SourceField, string SourceValue, TimeSpan? ExpectedEvery);
