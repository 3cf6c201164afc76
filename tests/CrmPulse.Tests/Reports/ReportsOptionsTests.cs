using Microsoft.Extensions.Configuration;
using CrmPulse.Options;
using CrmPulse.Reports;

namespace CrmPulse.Tests.Reports;

/// <summary>CrmPulse:Reports is validated at start-up; every problem is named by its key.</summary>
public sealed class ReportsOptionsTests
{
    private static OptionsLoader.Result Load(params (string Key, string? Value)[] settings) =>
        OptionsLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void A_valid_schedule_binds_with_its_defaults()
    {
        var result = Load(("CrmPulse:Reports:Smtp:Host", "smtp.example.test"), ("CrmPulse:Reports:Smtp:From", "CrmPulse <crmpulse@example.test>"),
            ("CrmPulse:Reports:Smtp:UserName", "reports"), ("CrmPulse:Reports:Smtp:Password", "from-the-environment"),
            ("CrmPulse:Reports:Schedules:0:Name", "monthly"), ("CrmPulse:Reports:Schedules:0:Cron", "0 0 8 1 * ?"),
            ("CrmPulse:Reports:Schedules:0:EmailTo:0", "lead@example.test"));

        Assert.Empty(result.Errors);
        var s = Assert.Single(result.Options.Reports.Schedules);
        Assert.Equal(("month", ReportFormat.Pdf, 5, TimeSpan.FromSeconds(30)), (s.Period, s.Format, s.MaxAttempts, s.RetryDelay));
        Assert.Equal((587, SmtpSecurity.StartTls), (result.Options.Reports.Smtp.Port, result.Options.Reports.Smtp.Security));
    }

    [Fact]
    public void Every_problem_is_listed_with_its_key()
    {
        var result = Load(("CrmPulse:Reports:PublicUrl", "crmpulse.example.test"), ("CrmPulse:Reports:Colour", "blue"),
            ("CrmPulse:Reports:Smtp:Host", "smtp.example.test"), ("CrmPulse:Reports:Smtp:Security", "None"), ("CrmPulse:Reports:Smtp:UserName", "reports"),
            ("CrmPulse:Reports:Schedules:0:Name", "monthly"), ("CrmPulse:Reports:Schedules:0:Cron", "every month"),
            ("CrmPulse:Reports:Schedules:0:Period", "year"), ("CrmPulse:Reports:Schedules:0:Source", "crm"),
            ("CrmPulse:Reports:Schedules:0:EmailTo:0", "not-an-address"), ("CrmPulse:Reports:Schedules:0:MaxAttempts", "0"),
            ("CrmPulse:Reports:Schedules:1:Name", "Monthly"), ("CrmPulse:Reports:Schedules:1:Cron", "0 0 8 1 * ?"),
            ("CrmPulse:Reports:Schedules:1:SlackWebhookUrl", "ftp://hooks.example.test/x"));

        Assert.Equal(
        [
            "CrmPulse:Reports:Colour is not a known setting (known: ChromiumPath, PdfTimeout, PublicUrl, Schedules, Smtp).",
            "CrmPulse:Reports:PublicUrl must be an absolute http or https URL, was 'crmpulse.example.test'.",
            "CrmPulse:Reports:Schedules:0:Cron 'every month' is not a valid Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. \"0 0 8 1 * ?\").",
            "CrmPulse:Reports:Schedules:0:Period 'year' is not one of week, month, quarter.",
            "CrmPulse:Reports:Schedules:0:Source 'crm' is not a configured source (known: demo).",
            "CrmPulse:Reports:Schedules:0:EmailTo:0 'not-an-address' is not an e-mail address.",
            "CrmPulse:Reports:Schedules:0:MaxAttempts must be between 1 and 20, was 0.",
            "CrmPulse:Reports:Schedules:1:SlackWebhookUrl must be an absolute http or https URL.",
            "CrmPulse:Reports:Schedules: the name 'monthly' is used more than once; names must be unique.",
            "CrmPulse:Reports:Smtp:From is required to send reports by e-mail.",
            "CrmPulse:Reports:Smtp:Security None sends the report and the password in clear: it is allowed only to a loopback host, not 'smtp.example.test' (use StartTls or SslOnConnect).",
            "CrmPulse:Reports:Smtp:UserName is set but no Password (set CRMPULSE__REPORTS__SMTP__PASSWORD or PasswordFile).",
        ], result.Errors);
    }
}
