namespace CrmPulse.Options;

/// <summary>
/// Settings of the host itself that would otherwise stop the start with an unhandled exception: log levels
/// (Logging:LogLevel:*, Logging:Console:LogLevel:*).
/// </summary>
public static class HostSettingsChecks
{
    public static void Check(IConfiguration configuration, List<string> errors)
    {
        foreach (var level in configuration.GetSection("Logging").AsEnumerable()
                     .Where(kv => kv.Value is not null && kv.Key.Split(':') is { Length: >= 3 } parts && parts[^2].Equals("LogLevel", StringComparison.OrdinalIgnoreCase)))
        {
            // The same test the logging configuration applies when it reads the value (it throws where this fails).
            if (!Enum.TryParse<LogLevel>(level.Value, ignoreCase: true, out _))
                errors.Add($"{level.Key}: '{level.Value}' is not a log level (known: {string.Join(", ", Enum.GetNames<LogLevel>())}).");
        }
    }
}
