using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using MimeKit;
using CrmPulse.Hosting;
using CrmPulse.Tests.Alerts;
using CrmPulse.Tests.Apis;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.WebConsole;

/// <summary>
/// Scheduled delivery through the running daemon: its cron fires, the report reaches a real SMTP server (which demands
/// AUTH) with the PDF attached and a Slack-shaped webhook with the summary and the link; a webhook that fails twice is
/// retried until delivered, one that always fails is recorded as failed; all of it in /api/reports/deliveries and the
/// console's Alerts page.
/// </summary>
public sealed class ReportDeliveryTests
{
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_scheduled_report_reaches_smtp_with_its_pdf_and_slack_with_its_summary_and_failures_are_retried_and_visible()
    {
        await using var smtp = await SmtpServer.StartAsync("reports", "smtp-password-from-the-environment");
        await using var slack = new WebhookReceiver(_ => 200);
        await using var flaky = new WebhookReceiver(n => n < 2 ? 500 : 200);
        await using var broken = new WebhookReceiver(_ => 500);
        using var folder = new FixtureFolder("org1", DateTimeOffset.UtcNow);
        var dir = Directory.CreateTempSubdirectory("crmpulse-delivery-").FullName;
        var settings = FileSourceApiTests.Org1Settings(folder.Path);
        foreach (var (k, v) in new Dictionary<string, string>
        {
            ["CrmPulse:Store:Path"] = Path.Combine(dir, "crmpulse.db"), ["urls"] = "http://127.0.0.1:0",
            ["CrmPulse:Reports:PublicUrl"] = "https://crmpulse.example.test",
            ["CrmPulse:Reports:Smtp:Host"] = "127.0.0.1", ["CrmPulse:Reports:Smtp:Port"] = smtp.Port.ToString(),
            ["CrmPulse:Reports:Smtp:Security"] = "None", ["CrmPulse:Reports:Smtp:UserName"] = "reports",
            ["CrmPulse:Reports:Smtp:Password"] = "smtp-password-from-the-environment", ["CrmPulse:Reports:Smtp:From"] = "CrmPulse <crmpulse@example.test>",
            ["CrmPulse:Reports:Schedules:0:Name"] = "monthly", ["CrmPulse:Reports:Schedules:0:Cron"] = "0/3 * * * * ?",
            ["CrmPulse:Reports:Schedules:0:EmailTo:0"] = "lead@example.test", ["CrmPulse:Reports:Schedules:0:EmailTo:1"] = "cfo@example.test",
            ["CrmPulse:Reports:Schedules:0:SlackWebhookUrl"] = slack.Url,
            ["CrmPulse:Reports:Schedules:1:Name"] = "flaky", ["CrmPulse:Reports:Schedules:1:Cron"] = "0/3 * * * * ?", ["CrmPulse:Reports:Schedules:1:Period"] = "week",
            ["CrmPulse:Reports:Schedules:1:SlackWebhookUrl"] = flaky.Url, ["CrmPulse:Reports:Schedules:1:RetryDelay"] = "00:00:00.2",
            ["CrmPulse:Reports:Schedules:2:Name"] = "broken", ["CrmPulse:Reports:Schedules:2:Cron"] = "0/3 * * * * ?",
            ["CrmPulse:Reports:Schedules:2:SlackWebhookUrl"] = broken.Url, ["CrmPulse:Reports:Schedules:2:MaxAttempts"] = "2",
            ["CrmPulse:Reports:Schedules:2:RetryDelay"] = "00:00:00.1",
        }) settings[k] = v;
        var errors = new StringWriter();
        var (app, code) = await CrmPulseApp.BuildAsync(new CliArgs(CliCommand.Run, [], null, null), TextWriter.Null, errors, c => c.AddInMemoryCollection(settings));
        Assert.True(app is not null, $"exit {code}: {errors}");
        await app.StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

            var messages = await smtp.WaitForAsync(1, Max);
            Assert.True(messages.Count > 0, "no message; deliveries of monthly: " + string.Join("\n",
                (await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<CrmPulse.Storage.SqliteStore>(app.Services)
                    .RecentReportDeliveriesAsync(1000, CancellationToken.None)).Where(d => d.Schedule == "monthly")));
            var mail = await MimeMessage.LoadAsync(messages[0]);
            Assert.Equal("crmpulse@example.test", mail.From.Mailboxes.Single().Address);
            Assert.Equal(["lead@example.test", "cfo@example.test"], mail.To.Mailboxes.Select(m => m.Address));
            Assert.StartsWith("CrmPulse leadership report: ", mail.Subject);
            Assert.Contains("The report: https://crmpulse.example.test/report?period=month", mail.TextBody ?? "");
            var attachment = Assert.Single(mail.Attachments.OfType<MimePart>());
            Assert.Equal("application/pdf", attachment.ContentType.MimeType);
            Assert.Matches("^crmpulse-report-month-\\d{4}-\\d{2}-01\\.pdf$", attachment.FileName);
            using var pdf = new MemoryStream();
            await attachment.Content!.DecodeToAsync(pdf);
            Assert.Equal("%PDF"u8.ToArray(), pdf.ToArray()[..4]);
            var pdfFile = Path.Combine(dir, "attached.pdf");
            await File.WriteAllBytesAsync(pdfFile, pdf.ToArray());
            var text = await Tools.RunAsync(Tools.Require("pdftotext", "poppler-utils"), $"{pdfFile} -");
            Assert.Contains("Leadership report:", text.Stdout);

            await slack.WaitForAsync(1, Max);
            var body = JsonDocument.Parse(slack.Bodies.First()).RootElement.GetProperty("text").GetString()!;
            Assert.StartsWith("*CrmPulse leadership report: ", body);
            Assert.Contains("<https://crmpulse.example.test/report?period=month|Open the report>", body);

            // The deliveries: the first of each schedule and channel, once it has ended.
            JsonElement First(JsonElement list, string schedule, string channel) =>
                list.EnumerateArray().Where(d => d.GetProperty("schedule").GetString() == schedule && d.GetProperty("channel").GetString() == channel)
                    .MinBy(d => d.GetProperty("id").GetInt64());
            var deadline = DateTime.UtcNow + Max;
            JsonElement deliveries;
            while (true)
            {
                deliveries = JsonDocument.Parse(await client.GetStringAsync("/api/reports/deliveries")).RootElement;
                var ended = new[] { ("monthly", "email"), ("monthly", "slack"), ("flaky", "slack"), ("broken", "slack") }
                    .All(x => deliveries.EnumerateArray().Any(d => d.GetProperty("schedule").GetString() == x.Item1 && d.GetProperty("channel").GetString() == x.Item2
                        && d.GetProperty("status").GetString() != "queued"));
                if (ended || DateTime.UtcNow > deadline) break;
                await Task.Delay(200);
            }
            Assert.Equal(("delivered", 1, "2 recipient(s)"), (First(deliveries, "monthly", "email").GetProperty("status").GetString(),
                First(deliveries, "monthly", "email").GetProperty("attempts").GetInt32(), First(deliveries, "monthly", "email").GetProperty("target").GetString()));
            Assert.Equal(("delivered", 1), (First(deliveries, "monthly", "slack").GetProperty("status").GetString(), First(deliveries, "monthly", "slack").GetProperty("attempts").GetInt32()));
            var retried = First(deliveries, "flaky", "slack");
            Assert.Equal(("delivered", 3, "week"), (retried.GetProperty("status").GetString(), retried.GetProperty("attempts").GetInt32(), retried.GetProperty("period").GetString()));
            var failed = First(deliveries, "broken", "slack");
            Assert.Equal(("failed", 2, "HttpRequestException: HTTP 500"), (failed.GetProperty("status").GetString(), failed.GetProperty("attempts").GetInt32(), failed.GetProperty("error").GetString()));
            Assert.DoesNotContain(broken.Url, deliveries.GetRawText()); // a webhook URL is a secret: never shown

            var page = await client.GetStringAsync("/alerts");
            Assert.Contains("data-report-delivery=", page);
            Assert.Contains("HttpRequestException: HTTP 500", page);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
