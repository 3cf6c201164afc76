using System.Runtime.InteropServices;

namespace CrmPulse.Hosting;

/// <summary>
/// SIGTERM and SIGINT (a service manager's stop, Ctrl+C) from the daemon's first line on, so that a stop exits 0 at any
/// moment: the host's own handler only exists once the host is starting, and before it the runtime ended the process
/// with 143 (a stop while the store was opened or migrated, or the cluster's members read).
/// </summary>
/// <remarks>
/// Kept registered until the process ends: it asks the host to stop once one is attached (the host's handler does the
/// same), and a stop during the host's disposal is ignored rather than cutting it short.
/// </remarks>
internal sealed class StopSignals : IDisposable
{
    private readonly PosixSignalRegistration[] _registrations;
    private readonly CancellationTokenSource _stopping = new();
    private IHostApplicationLifetime? _lifetime;
    private volatile bool _requested;

    public StopSignals() =>
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle), PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle)];

    /// <summary>A stop was asked for.</summary>
    public bool Requested => _requested;

    /// <summary>Cancelled by a stop: what the daemon does before its host runs (opening the store) gives up.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>From now on a stop stops this host (at once when one was asked for already).</summary>
    public void Attach(IHostApplicationLifetime lifetime)
    {
        _lifetime = lifetime;
        if (_requested) lifetime.StopApplication();
    }

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        _requested = true;
        _stopping.Cancel();
        _lifetime?.StopApplication();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _stopping.Dispose();
    }
}
