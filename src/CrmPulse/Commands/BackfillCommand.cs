namespace CrmPulse.Commands;

/// <summary>crmpulse backfill --days N: rebuilds the rebuildable KPIs for past dates into the ledger (and InfluxDB).</summary>
/// <remarks>PLACEHOLDER (issue 4 contract).</remarks>
public static class BackfillCommand
{
    public static Task<int> RunAsync(WebApplication app, string[] args, TextWriter output, TextWriter errorOutput)
    {
        errorOutput.WriteLine("backfill is not built yet.");
        return Task.FromResult(1);
    }
}
