using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using CrmPulse.Hosting;
using CrmPulse.Storage;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.Audits;

/// <summary>
/// The real host (one Demo source "acme" that never syncs here: no pass runs) on a loopback port, its store holding only
/// the hand-made history of <see cref="AuditHistory"/>, its clock pinned at 1 February 2026 12:00 UTC; and one Chromium.
/// </summary>
public sealed class AuditHostFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2026, 2, 1, 12, 0, 0, TimeSpan.Zero);

    private string _dir = null!;

    public WebApplication App { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public Chromium Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _dir = Directory.CreateTempSubdirectory("crmpulse-audit-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["CrmPulse:Sources:0:Name"] = "acme",
            ["CrmPulse:Sources:0:Kind"] = "Demo",
            [AuditHistory.ExcludedUser.Key] = AuditHistory.ExcludedUser.Value,
            ["CrmPulse:Store:Path"] = Path.Combine(_dir, "crmpulse.db"),
            ["urls"] = "http://127.0.0.1:0",
        };
        var errors = new StringWriter();
        var (app, code) = await CrmPulseApp.BuildAsync(new CliArgs(CliCommand.Audit, [], null, null), TextWriter.Null, errors,
            c => c.AddInMemoryCollection(settings), new FakeClock(Now));
        App = app ?? throw new InvalidOperationException($"Host did not build (exit {code}): {errors}");
        await AuditHistory.WriteAsync(App.Services.GetRequiredService<ICrmStore>(), "acme");
        await App.StartAsync();
        Client = new HttpClient { BaseAddress = new Uri(App.Urls.First()) };
        Browser = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        Client?.Dispose();
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class AuditHostCollection : ICollectionFixture<AuditHostFixture>
{
    public const string Name = "Audits on a hand-made history";
}
