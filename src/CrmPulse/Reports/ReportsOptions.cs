namespace CrmPulse.Reports;

/// <summary>CrmPulse:Reports: the leadership report's PDF rendering, its public link, and its scheduled deliveries.</summary>
public sealed class ReportsOptions
{
    /// <summary>The console's address as readers reach it (e.g. https://crmpulse.example.com): Slack messages and
    /// e-mails link to the report there. Default none: no link is sent.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>The Chromium (or Chrome) binary that prints the PDF. Default: the first of chromium, chromium-browser,
    /// google-chrome, google-chrome-stable on PATH. HTML reports need nothing.</summary>
    public string? ChromiumPath { get; set; }

    /// <summary>How long printing one PDF may take. Default 60 seconds.</summary>
    public TimeSpan PdfTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The SMTP server the e-mails go through (needed when a schedule has EmailTo).</summary>
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Scheduled deliveries. Default none.</summary>
    public List<ReportScheduleOptions> Schedules { get; set; } = [];
}
