using CrmPulse.Core.Sources;
using CrmPulse.Sources.HubSpot;
using CrmPulse.Sources.Tests.Demo;

namespace CrmPulse.Sources.Tests.HubSpot;

/// <summary>A fake HubSpot, a HubSpot source pointed at it, a memory mirror, and the waits the source asked for.</summary>
internal sealed class HubSpotHarness : IDisposable
{
    public const string TokenEnv = "CRMPULSE_TEST_HUBSPOT_TOKEN";

    private HubSpotSource? _source;

    static HubSpotHarness()
    {
        // Every test uses the same, obviously fake token, so setting it process-wide is safe under parallel tests.
        Environment.SetEnvironmentVariable(TokenEnv, FakeHubSpot.Token);
    }

    public HubSpotHarness()
    {
        Options = new HubSpotSourceOptions { BaseUrl = Server.BaseUrl, TokenEnv = TokenEnv, Overlap = TimeSpan.Zero, RequestTimeout = TimeSpan.FromSeconds(20) };
    }

    public FakeHubSpot Server { get; } = new();

    public HubSpotSourceOptions Options { get; }

    public FakeClock Clock { get; } = new(new DateTimeOffset(2024, 11, 1, 12, 0, 0, TimeSpan.Zero));

    public MemoryMirror Mirror { get; } = new();

    /// <summary>Back-off and pacing waits the source asked for; none really happen.</summary>
    public List<TimeSpan> Delays { get; } = [];

    /// <summary>The source's Pipeline:LostReasonField; set before the first sync.</summary>
    public string? LostReasonField { get; set; }

    public HubSpotSource Source => _source ??= new HubSpotSource("hubspot", Options, Clock, (span, _) =>
    {
        lock (Delays) Delays.Add(span);
        return Task.CompletedTask;
    }) { LostReasonField = LostReasonField };

    /// <summary>Pulls with the mirror's watermarks and applies the result, as the host does.</summary>
    public async Task<ChangeSet> SyncAsync()
    {
        var changes = await Source.PullAsync(Mirror.Watermarks, CancellationToken.None);
        Mirror.Apply(changes);
        return changes;
    }

    /// <summary>The recorded payloads as the portal's content, plus a deal pipeline and a login.</summary>
    public HubSpotHarness WithRecordedPortal()
    {
        Server.LoadRecorded("contacts", "hubspot_crm_v3_objects_contacts_list_lastpage.json");
        Server.LoadRecorded("companies", "hubspot_crm_v3_objects_companies_list_lastpage.json");
        Server.LoadRecorded("deals", "hubspot_crm_v3_objects_deals_list_trimmed.json");
        Server.LoadRecorded("tasks", "hubspot_crm_v3_objects_tasks_list_trimmed.json");
        Server.Owners.AddRange(FakeHubSpot.RecordedResults("hubspot_crm_v3_owners_list_recorded.json"));
        Server.Owners.Add(System.Text.Json.JsonDocument.Parse(FakeHubSpot.ReadRecorded("hubspot_crm_v3_owners_get_docs.json")).RootElement);
        Server.ArchivedOwners.AddRange(FakeHubSpot.RecordedResults("hubspot_crm_v3_owners_list_archived.json"));
        Server.Users.AddRange(FakeHubSpot.RecordedResults("hubspot_settings_v3_users_list_recorded.json"));
        Server.Logins.AddRange(FakeHubSpot.RecordedResults("hubspot_account_info_v3_activity_login_docs.json"));
        Server.PropertyDefinitions["deals"] = FakeHubSpot.ReadRecorded("hubspot_crm_v3_properties_deals_trimmed.json");
        Server.DealPipelines = DealPipeline;
        return this;
    }

    /// <summary>
    /// A deal pipeline in the documented v3 shape (string-typed metadata). No deal-pipeline capture exists; the shape
    /// follows the recorded task pipeline and the docs' deal-stage metadata {"isClosed","probability"}.
    /// </summary>
    public const string DealPipeline = """
        {"results":[{"label":"Sales Pipeline","displayOrder":0,"id":"default","archived":false,
          "createdAt":"2023-01-01T00:00:00Z","updatedAt":"2023-01-01T00:00:00Z","stages":[
          {"label":"Appointment Scheduled","displayOrder":0,"metadata":{"isClosed":"false","probability":"0.2"},"id":"appointmentscheduled","createdAt":"2023-01-01T00:00:00Z","updatedAt":"2023-01-01T00:00:00Z","writePermissions":"CRM_PERMISSIONS_ENFORCEMENT","archived":false},
          {"label":"Closed Won","displayOrder":1,"metadata":{"isClosed":"true","probability":"1.0"},"id":"closedwon","createdAt":"2023-01-01T00:00:00Z","updatedAt":"2023-01-01T00:00:00Z","writePermissions":"CRM_PERMISSIONS_ENFORCEMENT","archived":false},
          {"label":"Closed Lost","displayOrder":2,"metadata":{"isClosed":"true","probability":"0.0"},"id":"closedlost","createdAt":"2023-01-01T00:00:00Z","updatedAt":"2023-01-01T00:00:00Z","writePermissions":"CRM_PERMISSIONS_ENFORCEMENT","archived":false}]}]}
        """;

    public void Dispose() => Server.Dispose();
}
