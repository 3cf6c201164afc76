namespace CrmPulse.Publishing;

/// <summary>Runs <see cref="InfluxPublisher"/> for the daemon's lifetime.</summary>
public sealed class InfluxPublisherService(InfluxPublisher publisher) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => publisher.RunAsync(stoppingToken);
}
