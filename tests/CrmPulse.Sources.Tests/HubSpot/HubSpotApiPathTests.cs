using CrmPulse.Core.Model;
using CrmPulse.Sources.HubSpot;
using Microsoft.Extensions.Configuration;

namespace CrmPulse.Sources.Tests.HubSpot;

/// <summary>ApiVersion and ApiPaths: the same portal read through HubSpot's v3/v4 paths or its date-versioned ones.</summary>
public sealed class HubSpotApiPathTests
{
    private static async Task<HubSpotHarness> SyncTwiceAsync(Action<HubSpotSourceOptions> configure)
    {
        var h = new HubSpotHarness().WithRecordedPortal();
        h.Options.CustomFields["deal"] = ["days_to_close"]; // so the properties API is called
        configure(h.Options);
        await h.SyncAsync();
        // Then one contact changes: the second sync searches and reads associations.
        FakePortal.Touch(h.Server, "contacts", 1, new DateTimeOffset(2024, 11, 1, 9, 0, 0, TimeSpan.Zero));
        await h.SyncAsync();
        return h;
    }

    [Fact]
    public async Task Api_version_switches_every_family_to_its_dated_path_and_the_mirror_is_the_same()
    {
        using var legacy = await SyncTwiceAsync(_ => { });
        using var dated = await SyncTwiceAsync(o => o.ApiVersion = "2026-03");

        Assert.Equal(legacy.Mirror.Fingerprint(), dated.Mirror.Fingerprint());
        Assert.Equal("Changed", dated.Mirror.Get<Contact>(ObjectKind.Contact, "1").FirstName);
        var paths = dated.Server.Requests.Select(r => r.Path).Distinct().ToList();
        Assert.DoesNotContain(paths, p => p.Contains("/v3", StringComparison.Ordinal) || p.Contains("/v4", StringComparison.Ordinal));
        Assert.Contains("/account-info/2026-03/details", paths);
        Assert.Contains("/crm/owners/2026-03", paths);
        Assert.Contains("/settings/users/2026-03", paths);
        Assert.Contains("/crm/pipelines/2026-03/deals", paths);
        Assert.Contains("/crm/properties/2026-03/deals", paths);
        Assert.Contains("/crm/objects/2026-03/contacts", paths);
        Assert.Contains("/crm/objects/2026-03/contacts/search", paths);
        Assert.Contains("/crm/associations/2026-03/contacts/companies/batch/read", paths);
        Assert.Contains("/account-info/2026-03/activity/login", paths);
        // The legacy run used the v3/v4 forms only.
        Assert.All(legacy.Server.Requests, r => Assert.Equal(r.Path, FakeHubSpot.Legacy(r.Path)));
    }

    [Fact]
    public async Task Api_paths_override_one_family_and_leave_the_others_on_the_version()
    {
        using var h = await SyncTwiceAsync(o =>
        {
            o.ApiVersion = "2026-03";
            o.ApiPaths["Associations"] = "/crm/v4/associations/"; // any case, a trailing slash is dropped
        });

        Assert.Contains(h.Server.Requests, r => r.Path == "/crm/v4/associations/contacts/companies/batch/read");
        Assert.DoesNotContain(h.Server.Requests, r => r.Path.StartsWith("/crm/associations/", StringComparison.Ordinal));
        Assert.Contains(h.Server.Requests, r => r.Path == "/crm/objects/2026-03/contacts/search");
    }

    [Fact]
    public void Bad_api_version_and_paths_are_reported_with_their_keys()
    {
        var options = new HubSpotSourceOptions { ApiVersion = "v5" };
        options.ApiPaths["objects"] = "https://api.hubapi.com/crm/v3/objects";
        options.ApiPaths["tickets"] = "/crm/v3/objects/tickets";
        options.ApiPaths["owners"] = "/crm/owners/2026-03?x=1";

        Assert.Equal([
            "ApiVersion: 'v5' is not a HubSpot API version such as 2026-03 (leave it out for the /crm/v3 paths).",
            "ApiPaths:objects: 'https://api.hubapi.com/crm/v3/objects' must be a path starting with '/' such as /crm/v3/objects (no host, query or spaces).",
            "ApiPaths:tickets: unknown API family; known are objects, associations, pipelines, properties, owners, users, account-info.",
            "ApiPaths:owners: '/crm/owners/2026-03?x=1' must be a path starting with '/' such as /crm/v3/owners (no host, query or spaces).",
        ], options.Validate());
    }

    [Theory]
    [InlineData("2026-03")]
    [InlineData("2026-09-15")]
    public void Date_versions_are_valid(string version)
    {
        Assert.Empty(new HubSpotSourceOptions { ApiVersion = version }.Validate());
    }

    [Fact]
    public void Settings_bound_from_configuration_give_the_dated_and_overridden_paths()
    {
        var options = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ApiVersion"] = "2026-03",
            ["ApiPaths:Objects"] = "/crm/objects/2026-09",
        }).Build().Get<HubSpotSourceOptions>()!;

        Assert.Empty(options.Validate());
        var paths = new HubSpotPaths(options);
        Assert.Equal("/crm/objects/2026-09/contacts", paths.Objects("contacts"));
        Assert.Equal("/crm/associations/2026-03/deals/companies/batch/read", paths.AssociationBatch("deals", "companies"));
        Assert.Equal("/settings/users/2026-03", paths.Users);
        Assert.Equal("/account-info/2026-03/activity/login", paths.Logins);
    }
}
