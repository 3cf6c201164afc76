using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.Reconciliation;

/// <summary>
/// The real host after --once over a pair of File sources read from two fixture folders (copied, with their dates
/// moved to the pinned afternoon), shared by a test class and its console tests.
/// </summary>
public abstract class PairHostFixture(string oldFolder, string newFolder, Func<string, string, Dictionary<string, string?>> settings)
    : IAsyncLifetime
{
    public FixtureFolder Old { get; } = new(oldFolder, TestTimes.Afternoon);
    public FixtureFolder New { get; } = new(newFolder, TestTimes.Afternoon);
    public InProcessHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await InProcessHost.StartAsync(settings(Old.Path, New.Path), TestTimes.Clock(TestTimes.Afternoon));

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Old.Dispose();
        New.Dispose();
    }
}
