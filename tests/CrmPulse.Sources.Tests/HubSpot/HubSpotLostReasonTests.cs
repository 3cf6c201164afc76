using System.Text.Json.Nodes;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.Tests.HubSpot;

/// <summary>HubSpot's own closed_lost_reason by default; Pipeline:LostReasonField names a custom property instead.</summary>
public sealed class HubSpotLostReasonTests
{
    private const string DealId = "21917278677";

    private static HubSpotHarness Portal(string? lostReasonField)
    {
        var h = new HubSpotHarness { LostReasonField = lostReasonField }.WithRecordedPortal();
        var definitions = JsonNode.Parse(h.Server.PropertyDefinitions["deals"])!;
        definitions["results"]!.AsArray().Add(new JsonObject { ["name"] = "loss_reason_detail", ["type"] = "string" });
        h.Server.PropertyDefinitions["deals"] = definitions.ToJsonString();
        var deal = h.Server.Of("deals")[long.Parse(DealId)];
        deal.Properties["closed_lost_reason"] = "Price";
        deal.Properties["loss_reason_detail"] = "Budget frozen until Q3";
        return h;
    }

    [Fact]
    public async Task By_default_the_lost_reason_is_hubspots_closed_lost_reason()
    {
        using var h = Portal(null);

        await h.SyncAsync();

        Assert.Equal("Price", h.Mirror.Get<Deal>(ObjectKind.Deal, DealId).LostReason);
    }

    [Fact]
    public async Task A_configured_property_is_pulled_and_becomes_the_lost_reason()
    {
        using var h = Portal("loss_reason_detail");

        await h.SyncAsync();

        Assert.Equal("Budget frozen until Q3", h.Mirror.Get<Deal>(ObjectKind.Deal, DealId).LostReason);
        Assert.Contains(h.Server.Requests, r => r.Path == "/crm/v3/objects/deals" && (r.Query["properties"] ?? "").Split(',').Contains("loss_reason_detail"));
    }

    [Fact]
    public async Task A_property_the_portal_does_not_have_fails_the_sync_naming_the_setting()
    {
        using var h = Portal("loss_reason");

        var error = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);

        Assert.Equal("HubSpot source 'hubspot': Pipeline:LostReasonField 'loss_reason' is not a property of deals (give its internal name, " +
            "as in HubSpot's property settings); nothing of this sync is committed.", error.Message);
        Assert.Empty(h.Mirror.Records);
    }
}
