using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using CrmPulse.Pipeline;
using CrmPulse.Storage;
using CrmPulse.Tests.Apis;
using CrmPulse.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CrmPulse.Tests.Pipeline;

/// <summary>
/// A sync judges each contact's phone once and the mirror keeps the verdict with the record (Fixtures/org1), so that a
/// KPI pass reads it instead of parsing every number again.
/// </summary>
public sealed class PhoneVerdictSyncTests
{
    [Fact]
    public async Task The_mirror_keeps_each_phones_verdict_as_the_sync_judged_it()
    {
        using var folder = new FixtureFolder("org1", DateTimeOffset.UtcNow);
        await using var host = await InProcessHost.StartAsync(FileSourceApiTests.Org1Settings(folder.Path));
        Assert.True(await host.Services.GetRequiredService<SourceRunner>().SyncAsync("files", CancellationToken.None));

        var snapshot = await host.Services.GetRequiredService<SqliteStore>().LoadSnapshotAsync("files", CancellationToken.None);
        var byId = snapshot.Contacts.ToDictionary(c => c.Id);
        // c1 "555-01OO" (letters) is no US number; c2 has no phone, c3 only spaces (c5 is rejected: its date is wrong).
        Assert.Equal(new PhoneVerdict("US", false, DataQualityChecks.PhoneFingerprint("555-01OO")), byId["c1"].PhoneVerdict);
        Assert.Null(byId["c2"].PhoneVerdict);
        Assert.Null(byId["c3"].PhoneVerdict);
        // c4 "+1 212 555 0199": whatever libphonenumber says of it, judged by the default region.
        Assert.Equal(new PhoneVerdict("US", DataQualityChecks.IsValidPhone("+1 212 555 0199", "US"), DataQualityChecks.PhoneFingerprint("+1 212 555 0199")),
            byId["c4"].PhoneVerdict);
        // The region string is shared by the verdicts as the snapshot loads (one string, not one per contact).
        Assert.Same(byId["c1"].PhoneVerdict!.Value.Region, byId["c4"].PhoneVerdict!.Value.Region);
    }
}
