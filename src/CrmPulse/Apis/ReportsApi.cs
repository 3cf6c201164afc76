using System.ComponentModel;
using CrmPulse.Core.Store;
using CrmPulse.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmPulse.Apis;

/// <summary>/api/reports: the leadership summary of a period.</summary>
public static class ReportsApi
{
    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/reports").WithTags("Reports");
        group.MapGet("/leadership", Leadership).WithName("LeadershipReport")
            .WithSummary("Per leadership KPI and source: the latest value in the current and the previous calendar period (UTC; "
                + "weeks start on Monday), the change, the target status, and the dimension series with the largest relative change.");
        group.MapGet("/deliveries", Deliveries).WithName("ReportDeliveries")
            .WithSummary("The last 50 scheduled report deliveries, newest first: schedule, channel (email, slack), target, period, "
                + "status (queued, delivered, failed), attempts, last error.");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<Storage.ReportDelivery>>> Deliveries(Reports.ReportDeliveries deliveries, CancellationToken ct) =>
        TypedResults.Ok(await deliveries.RecentAsync(50, ct));

    public static async Task<Results<Ok<LeadershipReport>, ProblemHttpResult>> Leadership(
        ILedger ledger, TargetBook targets, SourceRegistry sources, TimeProvider time,
        [Description("week, month (default) or quarter.")] string? period,
        [Description("Only this source.")] string? source,
        CancellationToken ct)
    {
        if (ReportPeriod.Of(period ?? "month", time.GetUtcNow()) is not { } p)
            return TypedResults.Problem(statusCode: 400, title: "Bad request",
                detail: $"period: '{period}' is not one of {string.Join(", ", ReportPeriod.Kinds)}.");
        if (source is not null && !sources.Contains(source))
            return TypedResults.Problem(statusCode: 404, title: "Unknown source", detail: $"No source '{source}' (known: {string.Join(", ", sources.Names)}).");
        return TypedResults.Ok(await LeadershipReport.BuildAsync(ledger, targets, p, source, ct));
    }
}
