using CrmPulse.Apis;
using CrmPulse.Storage;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Polly;
using Polly.Retry;

namespace CrmPulse.Reports;

/// <summary>
/// Sends the leadership report of one schedule: by e-mail (SMTP with STARTTLS and auth, the PDF or HTML attached)
/// and/or to a Slack-compatible webhook (the summary and a link). Each channel is recorded as a delivery, attempted
/// up to MaxAttempts times with a doubling delay, and its outcome (delivered, or failed with the last error) is kept
/// and shown in /api/reports/deliveries and the console's Alerts page. One channel failing never stops the other.
/// </summary>
public sealed class ReportSender(ReportsOptions options, ReportBuilder builder, PdfRenderer pdf, ICrmStore store, TimeProvider time,
    ILogger<ReportSender> log) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task SendAsync(ReportScheduleOptions schedule, CancellationToken ct)
    {
        var period = ReportPeriod.Of(schedule.Period, time.GetUtcNow())!;
        var channels = new List<(string Channel, string Target, Func<Task> Attempt)>();
        ReportModel? model = null;
        string? html = null;
        byte[]? attachment = null;
        async Task<ReportModel> Model() => model ??= await builder.BuildAsync(period, schedule.Source, ct);

        if (schedule.EmailTo.Count > 0)
            channels.Add(("email", $"{schedule.EmailTo.Count} recipient(s)", async () =>
            {
                var m = await Model();
                html ??= ReportDocument.Render(m);
                attachment ??= schedule.Format == ReportFormat.Pdf ? await pdf.RenderAsync(html, ct) : System.Text.Encoding.UTF8.GetBytes(html);
                await SendMailAsync(schedule, period, m, attachment, ct);
            }));
        if (schedule.SlackWebhookUrl is { } url)
            channels.Add(("slack", "webhook", async () => await PostSlackAsync(url, schedule, period, await Model(), ct)));

        await Task.WhenAll(channels.Select(c => DeliverAsync(schedule, period, c.Channel, c.Target, c.Attempt, ct)));
    }

    private async Task DeliverAsync(ReportScheduleOptions schedule, ReportPeriod period, string channel, string target, Func<Task> attempt,
        CancellationToken ct)
    {
        var id = await store.AddReportDeliveryAsync(schedule.Name!, channel, target, period.Kind, time.GetUtcNow(), CancellationToken.None);
        var n = 0;
        string? error = null;
        try
        {
            // Every failure of an attempt is recorded and retried (Polly, RetryDelay doubling, up to MaxAttempts): a wrong
            // password, a refused connection, a webhook's 500, a missing Chromium for the PDF.
            error = await Retries(schedule).ExecuteAsync(async token =>
            {
                n++;
                error = null;
                string? failure = null;
                try
                {
                    await attempt();
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception e)
                {
                    failure = e is OperationCanceledException ? "no answer in time" : $"{e.GetType().Name}: {e.Message}";
                }
                var status = failure is null ? "delivered" : n >= schedule.MaxAttempts ? "failed" : "queued";
                await store.UpdateReportDeliveryAsync(id, status, n, failure, time.GetUtcNow(), CancellationToken.None);
                error = failure;
                return failure;
            }, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            var why = error is null ? "CrmPulse stopped before the delivery ended." : $"{error} (CrmPulse stopped before the next attempt)";
            await store.UpdateReportDeliveryAsync(id, "failed", n, why, time.GetUtcNow(), CancellationToken.None);
            return;
        }
        if (error is not null)
            log.LogWarning("Report {Schedule} by {Channel} failed after {Attempts} attempt(s): {Error}", schedule.Name, channel, n, error);
    }

    /// <summary>A failed attempt (its error text) is retried after RetryDelay, doubling, up to MaxAttempts in all.</summary>
    private ResiliencePipeline<string?> Retries(ReportScheduleOptions schedule)
    {
        var builder = new ResiliencePipelineBuilder<string?> { Name = $"report-{schedule.Name}", TimeProvider = time };
        if (schedule.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<string?>
            {
                MaxRetryAttempts = schedule.MaxAttempts - 1,
                Delay = schedule.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is not null),
            });
        }
        return builder.Build();
    }

    private async Task SendMailAsync(ReportScheduleOptions schedule, ReportPeriod period, ReportModel model, byte[] attachment, CancellationToken ct)
    {
        var smtp = options.Smtp;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.From!));
        foreach (var to in schedule.EmailTo) message.To.Add(MailboxAddress.Parse(to));
        message.Subject = $"CrmPulse leadership report: {ReportDocument.PeriodName(period.Kind, period.From)}";
        var body = new BodyBuilder { TextBody = Summary(schedule, period, model, plain: true) };
        var name = ReportPage.FileName(period, schedule.Source) + (schedule.Format == ReportFormat.Pdf ? ".pdf" : ".html");
        body.Attachments.Add(name, attachment, schedule.Format == ReportFormat.Pdf ? new ContentType("application", "pdf") : new ContentType("text", "html"));
        message.Body = body.ToMessageBody();

        using var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        var security = smtp.Security switch
        {
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.None => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };
        await client.ConnectAsync(smtp.Host!, smtp.Port, security, ct);
        if (smtp.UserName is not null) await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", ct);
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(true, ct);
    }

    private async Task PostSlackAsync(string url, ReportScheduleOptions schedule, ReportPeriod period, ReportModel model, CancellationToken ct)
    {
        // A buffered body with its Content-Length: some webhook endpoints refuse chunked requests.
        using var content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { text = Summary(schedule, period, model, plain: false) }),
            System.Text.Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(url, content, ct);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"HTTP {(int)response.StatusCode}", null, response.StatusCode);
    }

    /// <summary>The message text: the title, the summary's sentences and, with PublicUrl, the link to the report.</summary>
    public string Summary(ReportScheduleOptions schedule, ReportPeriod period, ReportModel model, bool plain)
    {
        var title = $"CrmPulse leadership report: {ReportDocument.PeriodName(period.Kind, period.From)}{(schedule.Source is null ? "" : $" ({schedule.Source})")}";
        var lines = new List<string> { plain ? title : $"*{title}*", "" };
        lines.AddRange(model.Narrative.Select(n => (plain ? "- " : "• ") + n));
        if (options.PublicUrl is { } publicUrl)
        {
            var link = publicUrl.TrimEnd('/') + WebConsole.ConsoleView.With("/report", [("period", period.Kind), ("source", schedule.Source)]);
            lines.Add("");
            lines.Add(plain ? $"The report: {link}" : $"<{link}|Open the report>");
        }
        return string.Join("\n", lines);
    }

    public void Dispose() => _http.Dispose();
}
