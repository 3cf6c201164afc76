namespace CrmPulse.Publishing;

/// <summary>
/// Runs <see cref="InfluxPublisher"/> for the daemon's lifetime. Registered before the scheduler, so it stops after
/// the scheduler has let its running jobs finish; a clean stop then makes one last drain attempt, so a KPI pass
/// completed during shutdown is published now rather than on the next start.
/// </summary>
public sealed class InfluxPublisherService(InfluxPublisher publisher, ILogger<InfluxPublisherService> log) : BackgroundService
{
    private static readonly TimeSpan FinalDrainLimit = TimeSpan.FromSeconds(10);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => publisher.RunAsync(stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(FinalDrainLimit);
        try
        {
            await publisher.DrainOnceAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            log.LogInformation("Stopped before the InfluxDB outbox was empty; the next start sends the rest");
        }
    }
}
