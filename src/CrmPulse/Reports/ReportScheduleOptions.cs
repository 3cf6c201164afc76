namespace CrmPulse.Reports;

/// <summary>The format of a delivered report.</summary>
public enum ReportFormat
{
    Pdf,
    Html,
}

/// <summary>CrmPulse:Reports:Schedules:N: one scheduled delivery of the leadership report.</summary>
public sealed class ReportScheduleOptions
{
    /// <summary>Shown in the delivery record. Required, unique.</summary>
    public string? Name { get; set; }

    /// <summary>When to send, a Quartz cron expression in CrmPulse:CronTimeZone (UTC by default) (seconds minutes hours day-of-month month day-of-week),
    /// e.g. "0 0 8 1 * ?" for 08:00 on the first of each month. Required.</summary>
    public string? Cron { get; set; }

    /// <summary>week, month (default) or quarter. The report covers the period that contains the sending time, and
    /// compares it with the one before: a report sent on the 1st shows the month that just ended as its previous.</summary>
    public string Period { get; set; } = "month";

    /// <summary>Only this source. Default: every source.</summary>
    public string? Source { get; set; }

    /// <summary>Pdf (default) or Html: the attachment of the e-mail.</summary>
    public ReportFormat Format { get; set; } = ReportFormat.Pdf;

    /// <summary>E-mail recipients. Needs CrmPulse:Reports:Smtp.</summary>
    public List<string> EmailTo { get; set; } = [];

    /// <summary>A Slack-compatible incoming webhook (keep it in the environment: its URL is a secret). It receives the
    /// summary and, with PublicUrl set, a link to the report.</summary>
    public string? SlackWebhookUrl { get; set; }

    /// <summary>Attempts per channel before the delivery is recorded as failed. Default 5, 1 to 20.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait before the first retry; it doubles after each failed attempt. Default 30 seconds, at most 1 hour.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}
