using CrmPulse.Core.Sources;
using CrmPulse.Sources.Salesforce;
using CrmPulse.Sources.Tests.Demo;

namespace CrmPulse.Sources.Tests.Salesforce;

/// <summary>A fake Salesforce, a Salesforce source pointed at it, a memory mirror, and the waits the source asked for.</summary>
internal sealed class SalesforceHarness : IDisposable
{
    public const string ClientIdEnv = "CRMPULSE_TEST_SALESFORCE_CLIENT_ID";
    public const string ClientSecretEnv = "CRMPULSE_TEST_SALESFORCE_CLIENT_SECRET";

    private SalesforceSource? _source;

    static SalesforceHarness()
    {
        // Every test uses the same, obviously fake credentials, so setting them process-wide is safe under parallel tests.
        Environment.SetEnvironmentVariable(ClientIdEnv, FakeSalesforce.ClientId);
        Environment.SetEnvironmentVariable(ClientSecretEnv, FakeSalesforce.ClientSecret);
    }

    public SalesforceHarness(DateTimeOffset? now = null)
    {
        Clock = new FakeClock(now ?? new DateTimeOffset(2024, 11, 1, 12, 0, 0, TimeSpan.Zero));
        Server = new FakeSalesforce(() => Clock.Now);
        Options = new SalesforceSourceOptions
        {
            Auth = new SalesforceAuthOptions { LoginUrl = Server.BaseUrl, ClientIdEnv = ClientIdEnv, ClientSecretEnv = ClientSecretEnv },
            Overlap = TimeSpan.Zero,
            RequestTimeout = TimeSpan.FromSeconds(20),
        };
    }

    public FakeSalesforce Server { get; }

    public SalesforceSourceOptions Options { get; }

    public FakeClock Clock { get; }

    public MemoryMirror Mirror { get; } = new();

    /// <summary>Back-off waits the source asked for; none really happen.</summary>
    public List<TimeSpan> Delays { get; } = [];

    /// <summary>The source's Pipeline:LostReasonField; set before the first sync.</summary>
    public string? LostReasonField { get; set; }

    public SalesforceSource Source => _source ??= new SalesforceSource("salesforce", Options, Clock, (span, _) =>
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

    /// <summary>
    /// The recorded payloads as the org's content: 3 users, 2 logins, 3 accounts, 1 opportunity. The recordings were
    /// trimmed of fields the source asks for: a row without Id gets the one in its attributes.url, and CreatedDate and
    /// SystemModstamp default to LastModifiedDate (otherwise they are served as null, as Salesforce would for an unset field).
    /// </summary>
    public SalesforceHarness WithRecordedOrg()
    {
        foreach (var file in new[] { "salesforce_query_users_page1_nextRecordsUrl.json", "salesforce_query_loginhistory.json",
                     "salesforce_query_accounts_trimmed.json", "salesforce_query_opportunity.COMPOSED.json" })
            Server.LoadRecorded(file);
        foreach (var row in Server.Rows.Values.SelectMany(r => r.Values))
        {
            if (row.GetValueOrDefault("LastModifiedDate") is string modified)
            {
                row.TryAdd("CreatedDate", modified);
                row.TryAdd("SystemModstamp", modified);
            }
        }
        return this;
    }

    public void Dispose() => Server.Dispose();
}
