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
        if (options.Schedules.FirstOrDefault(s => s.Name == name) is not { } schedule)
        {
            // In a cluster, a node whose configuration lacks a schedule that other nodes stored.
            log.LogWarning("Job {Job} skipped: report schedule {Schedule} is not configured on this node (give every node the same schedules)",
                context.JobDetail.Key.Name, name);
            context.Result = "not configured";
            return;
        }
        try
        {
            await sender.SendAsync(schedule, cancellationToken);
            // The outcome of the runs table; each channel's own delivery is recorded by the sender.
            context.Result = "ok";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Each channel records its own failures; this is the store failing while recording them.
            context.Result = "failed";
            log.LogError(e, "Report schedule {Schedule} could not run: {Error}", name, e.Message);
        }
    }
}
