using System.CommandLine;
using System.Globalization;
using CrmPulse.Hosting;
using CrmPulse.Pipeline;
using CrmPulse.Publishing;

namespace CrmPulse.Commands;

/// <summary>
/// crmpulse backfill --days N: rebuilds the rebuildable KPIs of every source for the N days ending today (one step per
/// day, at 00:00 UTC) into the ledger, then publishes them when InfluxDB is enabled. A source that never synced is
/// synced first. Ctrl+C stops between days; running it again resumes (finished days are skipped, never doubled).
/// </summary>
public static class BackfillCommand
{
    /// <summary>--days N: required, 1 to 3650.</summary>
    internal static Option<int> DaysOption() => new("--days")
    {
        Description = "The number of days to rebuild, ending today (1 to 3650).",
        HelpName = "N",
        Required = true,
        CustomParser = r =>
        {
            var text = r.Tokens[0].Value;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var d) && d is >= 1 and <= 3650) return d;
            r.AddError($"--days must be a whole number from 1 to 3650, was '{text}'.");
            return 0;
        },
    };

    /// <summary>crmpulse backfill --days N, with Ctrl+C stopping between days.</summary>
    public static async Task<int> RunAsync(WebApplication app, int days, TextWriter output)
    {
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await RunAsync(app, days, output, !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out), cancel.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>The backfill itself; <paramref name="terminal"/> draws a progress bar instead of writing lines.</summary>
    public static async Task<int> RunAsync(WebApplication app, int days, TextWriter output, bool terminal, CancellationToken cancellationToken)
    {
        var sources = app.Services.GetRequiredService<SourceRegistry>();
        var runner = app.Services.GetRequiredService<SourceRunner>();
        var backfiller = app.Services.GetRequiredService<Backfiller>();
        var mirror = app.Services.GetRequiredService<Core.Store.IMirror>();
        var failed = 0;
        try
        {
            foreach (var name in sources.Names)
            {
                // Needs the mirror: a source that never synced is synced once first.
                var synced = (await mirror.GetSyncStatesAsync(cancellationToken)).Any(s => s.Source == name && s.LastSuccessAt is not null)
                             || await runner.SyncAsync(name, cancellationToken);
                var ok = synced && await backfiller.RunAsync(name, days, new ConsoleProgress(output, terminal), cancellationToken);
                output.WriteLine($"{name}: backfill of {days} day(s) {(ok ? "done" : "FAILED (the source could not be synced)")}");
                if (!ok) failed++;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.WriteLine();
            output.WriteLine("Backfill interrupted; the days finished are kept. Run the same command again to resume.");
            return 130;
        }

        // The rebuilt history is the baseline of drop and rise rules: evaluate them over it now.
        await app.Services.GetRequiredService<Alerts.AlertRunner>().EvaluateAsync(CancellationToken.None);
        await app.Services.GetRequiredService<Alerts.AlertNotifier>().DrainAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        if (app.Services.GetService<InfluxPublisher>() is { } publisher)
            output.WriteLine((await publisher.DrainAllAsync(CancellationToken.None)).Summary);
        return failed == 0 ? 0 : 1;
    }

    /// <summary>A bar redrawn in place on a terminal; otherwise a line at every tenth of the way.</summary>
    private sealed class ConsoleProgress(TextWriter output, bool terminal) : IProgress<BackfillProgress>
    {
        private const int Width = 30;
        private int _lastTenth = -1;

        public void Report(BackfillProgress p)
        {
            if (terminal)
            {
                var filled = p.Done * Width / p.Total;
                output.Write($"\r{p.Source} [{new string('#', filled)}{new string('.', Width - filled)}] {p.Done}/{p.Total} days, {p.AsOf:yyyy-MM-dd}");
                if (p.Done == p.Total) output.WriteLine();
                return;
            }
            var tenth = p.Done * 10 / p.Total;
            if (tenth == _lastTenth && p.Done != p.Total) return;
            _lastTenth = tenth;
            output.WriteLine($"{p.Source}: {p.Done}/{p.Total} days rebuilt (up to {p.AsOf:yyyy-MM-dd}), {p.Samples} samples appended");
        }
    }
}
