using System.Net;
using System.Reflection;
using CrmPulse.Apis;
using MimeKit;
using Quartz;

namespace CrmPulse.Reports;

/// <summary>Start-up checks of CrmPulse:Reports: every problem named by its key (a wrong schedule stops the start and
/// shows in check-config). Reads Smtp:PasswordFile into Smtp:Password.</summary>
public static class ReportsChecks
{
    public const string Key = "CrmPulse:Reports";

    public static IReadOnlyList<string> Check(IConfigurationSection section, ReportsOptions options, IReadOnlyCollection<string> sources)
    {
        var errors = new List<string>();
        Unknown(section, typeof(ReportsOptions), Key, errors);
        Unknown(section.GetSection("Smtp"), typeof(SmtpOptions), $"{Key}:Smtp", errors);
        foreach (var schedule in section.GetSection("Schedules").GetChildren())
            Unknown(schedule, typeof(ReportScheduleOptions), $"{Key}:Schedules:{schedule.Key}", errors);

        if (options.PublicUrl is not null && !IsHttpUrl(options.PublicUrl))
            errors.Add($"{Key}:PublicUrl must be an absolute http or https URL, was '{options.PublicUrl}'.");
        if (options.ChromiumPath is not null && !File.Exists(options.ChromiumPath))
            errors.Add($"{Key}:ChromiumPath: no file at '{options.ChromiumPath}'.");
        if (options.PdfTimeout < TimeSpan.FromSeconds(5) || options.PdfTimeout > TimeSpan.FromMinutes(10))
            errors.Add($"{Key}:PdfTimeout must be between 00:00:05 and 00:10:00, was {options.PdfTimeout}.");

        for (var i = 0; i < options.Schedules.Count; i++) CheckSchedule(options.Schedules[i], $"{Key}:Schedules:{i}", sources, errors);
        foreach (var dup in options.Schedules.Where(s => !string.IsNullOrWhiteSpace(s.Name)).GroupBy(s => s.Name!, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            errors.Add($"{Key}:Schedules: the name '{dup.Key}' is used more than once; names must be unique.");
        if (options.Schedules.Any(s => s.EmailTo.Count > 0)) CheckSmtp(options.Smtp, errors);
        return errors;
    }

    private static void CheckSchedule(ReportScheduleOptions s, string at, IReadOnlyCollection<string> sources, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(s.Name)) errors.Add($"{at}:Name is required.");
        if (string.IsNullOrWhiteSpace(s.Cron)) errors.Add($"{at}:Cron is required (a Quartz cron expression, e.g. \"0 0 8 1 * ?\": 08:00 on the 1st, in CrmPulse:CronTimeZone).");
        else if (!CronExpression.TryParse(s.Cron, out _))
            errors.Add($"{at}:Cron '{s.Cron}' is not a valid Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. \"0 0 8 1 * ?\").");
        if (!ReportPeriod.Kinds.Contains(s.Period)) errors.Add($"{at}:Period '{s.Period}' is not one of {string.Join(", ", ReportPeriod.Kinds)}.");
        if (s.Source is not null && !sources.Contains(s.Source)) errors.Add($"{at}:Source '{s.Source}' is not a configured source (known: {string.Join(", ", sources)}).");
        if (s.EmailTo.Count == 0 && s.SlackWebhookUrl is null) errors.Add($"{at}: give EmailTo, SlackWebhookUrl or both (nowhere to send the report).");
        foreach (var (address, j) in s.EmailTo.Select((a, j) => (a, j)))
            if (!MailboxAddress.TryParse(address, out var parsed) || !parsed.Address.Contains('@'))
                errors.Add($"{at}:EmailTo:{j} '{address}' is not an e-mail address.");
        if (s.SlackWebhookUrl is not null && !IsHttpUrl(s.SlackWebhookUrl)) errors.Add($"{at}:SlackWebhookUrl must be an absolute http or https URL.");
        if (s.MaxAttempts is < 1 or > 20) errors.Add($"{at}:MaxAttempts must be between 1 and 20, was {s.MaxAttempts}.");
        if (s.RetryDelay < TimeSpan.Zero || s.RetryDelay > TimeSpan.FromHours(1)) errors.Add($"{at}:RetryDelay must be between 00:00:00 and 01:00:00, was {s.RetryDelay}.");
    }

    private static void CheckSmtp(SmtpOptions smtp, List<string> errors)
    {
        var at = $"{Key}:Smtp";
        if (string.IsNullOrWhiteSpace(smtp.Host)) errors.Add($"{at}:Host is required to send reports by e-mail.");
        if (smtp.Port is < 1 or > 65535) errors.Add($"{at}:Port must be between 1 and 65535, was {smtp.Port}.");
        if (string.IsNullOrWhiteSpace(smtp.From)) errors.Add($"{at}:From is required to send reports by e-mail.");
        else if (!MailboxAddress.TryParse(smtp.From, out var from) || !from.Address.Contains('@')) errors.Add($"{at}:From '{smtp.From}' is not an e-mail address.");
        if (smtp.Security == SmtpSecurity.None && smtp.Host is { } host && !IsLoopback(host))
            errors.Add($"{at}:Security None sends the report and the password in clear: it is allowed only to a loopback host, not '{host}' (use StartTls or SslOnConnect).");
        if (smtp.Timeout < TimeSpan.FromSeconds(1) || smtp.Timeout > TimeSpan.FromMinutes(10))
            errors.Add($"{at}:Timeout must be between 00:00:01 and 00:10:00, was {smtp.Timeout}.");
        if (smtp.Password is not null && smtp.PasswordFile is not null) errors.Add($"{at}: give Password or PasswordFile, not both.");
        if (smtp.PasswordFile is { } file)
        {
            try { smtp.Password = File.ReadLines(file).FirstOrDefault()?.Trim(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { errors.Add($"{at}:PasswordFile: cannot read '{file}': {e.Message}"); }
        }
        if (smtp.UserName is not null && string.IsNullOrEmpty(smtp.Password)) errors.Add($"{at}:UserName is set but no Password (set CRMPULSE__REPORTS__SMTP__PASSWORD or PasswordFile).");
        if (smtp.UserName is null && !string.IsNullOrEmpty(smtp.Password)) errors.Add($"{at}:Password is set but no UserName.");
    }

    internal static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));

    private static bool IsHttpUrl(string url) => Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https";

    private static void Unknown(IConfigurationSection section, Type type, string at, List<string> errors)
    {
        var known = new HashSet<string>(type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name),
            StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren().Where(c => !known.Contains(c.Key)))
            errors.Add($"{at}:{child.Key} is not a known setting (known: {string.Join(", ", known.Order())}).");
    }
}
