using Quartz;

namespace CrmPulse.Reports;

/// <summary>Registers the report deliveries' jobs: one per schedule, on its cron (in CrmPulse:CronTimeZone, UTC by default).</summary>
public static class ReportScheduling
{
    public static IServiceCollection AddReportScheduling(this IServiceCollection services, ReportsOptions options)
    {
        services.AddSingleton<ReportSender>();
        services.AddTransient<ReportDeliveryJob>();
        if (options.Schedules.Count == 0) return services;
        services.AddQuartz(q =>
        {
            foreach (var schedule in options.Schedules)
            {
                var key = ReportDeliveryJob.KeyFor(schedule.Name!);
                // The trigger: Jobs.StoredTriggers, once the scheduler runs.
                q.AddJob<ReportDeliveryJob>(j => j.WithIdentity(key).StoreDurably().UsingJobData(ReportDeliveryJob.ScheduleKey, schedule.Name!));
            }
        });
        // A slot missed while CrmPulse was stopped is skipped: a late report is better sent on the next slot than twice.
        foreach (var schedule in options.Schedules)
            services.AddSingleton(new Jobs.PlannedTrigger(ReportDeliveryJob.KeyFor(schedule.Name!), schedule.Cron!, TimeSpan.Zero, TimeSpan.Zero, CatchUp: false));
        return services;
    }
}
