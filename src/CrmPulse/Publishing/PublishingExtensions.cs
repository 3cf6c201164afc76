using CrmPulse.Metrics;
using CrmPulse.Storage;
using CrmPulse.Storage.Influx;

namespace CrmPulse.Publishing;

/// <summary>Service registration of the InfluxDB publishing (only when CrmPulse:InfluxDb:Enabled is true).</summary>
public static class PublishingExtensions
{
    /// <summary>The InfluxDB writer, outbox, publisher and its metrics (the hosted loop is added for the daemon only).</summary>
    public static IServiceCollection AddInfluxPublishing(this IServiceCollection services, InfluxDbOptions options, ICrmStore store)
    {
        services.AddSingleton(options);
        services.AddSingleton(_ => new InfluxWriter(options));
        services.AddSingleton(sp => new InfluxOutbox(store, sp.GetRequiredService<InfluxWriter>(), options, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<InfluxMetrics>();
        services.AddSingleton<InfluxPublisher>();
        return services;
    }
}
