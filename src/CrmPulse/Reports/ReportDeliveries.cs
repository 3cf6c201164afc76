using CrmPulse.Storage;

namespace CrmPulse.Reports;

/// <summary>Reads the record of report deliveries (the API and the Alerts page show it).</summary>
public sealed class ReportDeliveries(ICrmStore store)
{
    public Task<IReadOnlyList<ReportDelivery>> RecentAsync(int limit, CancellationToken ct) => store.RecentReportDeliveriesAsync(limit, ct);
}
