using Quartz;

namespace CrmPulse.Reports;

/// <summary>Sends one schedule's report (CrmPulse:Reports:Schedules:N) when its cron fires. Never two of one schedule at once.</summary>
[DisallowConcurrentExecution]
public sealed class ReportDeliveryJob(ReportsOptions options, ReportSender sender, ILogger<ReportDeliveryJob> log) : IJob
{
    public const string ScheduleKey = "schedule";

    public static JobKey KeyFor(string schedule) => new($"report:{schedule}", "crmpulse");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var name = context.MergedJobDataMap.GetString(ScheduleKey)!;
        var schedule = options.Schedules.First(s => s.Name == name);
        try
        {
            await sender.SendAsync(schedule, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Each channel records its own failures; this is the store failing while recording them.
            log.LogError(e, "Report schedule {Schedule} could not run: {Error}", name, e.Message);
        }
    }
}
