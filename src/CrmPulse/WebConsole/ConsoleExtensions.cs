using CrmPulse.Reports;

namespace CrmPulse.WebConsole;

/// <summary>Registers what the console and the report need.</summary>
public static class ConsoleExtensions
{
    public static IServiceCollection AddCrmPulseConsole(this IServiceCollection services)
    {
        services.AddSingleton<ConsoleSessions>();
        services.AddSingleton<ReportDeliveries>();
        services.AddSingleton<ReportBuilder>();
        services.AddSingleton(sp => sp.GetRequiredService<Options.CrmPulseOptions>().Reports);
        services.AddSingleton<PdfRenderer>();
        return services;
    }
}
