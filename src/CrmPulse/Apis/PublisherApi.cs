using CrmPulse.Options;
using CrmPulse.Publishing;
using CrmPulse.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmPulse.Apis;

/// <summary>/api/publishers/influxdb: is the KPI history reaching InfluxDB? Backlog, oldest unsent sample, last error.</summary>
public static class PublisherApi
{
    /// <param name="Enabled">False when CrmPulse:InfluxDb:Enabled is off (the backlog still counts what would be sent).</param>
    /// <param name="Target">URL, mode and database or bucket (no secrets).</param>
    /// <param name="OldestUnsentSampleAgeSeconds">Now minus the as-of time of the oldest unsent sample.</param>
    public sealed record InfluxStatus(
        bool Enabled,
        string? Target,
        long BacklogSamples,
        long BacklogUserRows,
        DateTimeOffset? OldestUnsentSampleAt,
        double? OldestUnsentSampleAgeSeconds,
        DateTimeOffset? LastSuccessAt,
        string? LastError,
        DateTimeOffset? LastErrorAt,
        DateTimeOffset? NextAttemptAt,
        long WrittenSinceStart,
        long ParkedBatches,
        long ParkedPoints,
        string? LastParkedReason,
        DateTimeOffset? LastParkedAt);

    public static IEndpointRouteBuilder MapPublisherApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/publishers/influxdb", Influx).WithTags("Publishers").WithName("InfluxDbPublisher")
            .WithSummary("The InfluxDB outbox: backlog size, oldest unsent sample and its age, last success, last error, parked batches.");
        return app;
    }

    public static async Task<Ok<InfluxStatus>> Influx(ICrmStore store, CrmPulseOptions options, TimeProvider time, IServiceProvider services, CancellationToken ct)
    {
        var status = await store.GetOutboxStatusAsync(ct);
        var outbox = services.GetService<InfluxPublisher>()?.Outbox;
        var oldest = status.OldestPendingSampleTime;
        return TypedResults.Ok(new InfluxStatus(options.InfluxDb.Enabled, outbox?.Target, status.PendingSamples, status.PendingUserRows,
            oldest, oldest is { } o ? Math.Max(0, (time.GetUtcNow() - o).TotalSeconds) : null,
            outbox?.LastSuccessAt, outbox?.LastError, outbox?.LastErrorAt, outbox?.NextAttemptAt, outbox?.WrittenTotal ?? 0,
            status.ParkedBatches, status.ParkedPoints, status.LastParkedReason, status.LastParkedAt));
    }
}
