namespace CrmPulse.Sources.Tests.HubSpot;

/// <summary>A canned answer of the fake HubSpot (status, JSON body, extra headers), or a connection reset.</summary>
internal sealed record FakeResponse(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null, bool Reset = false)
{
    public static FakeResponse ConnectionReset { get; } = new(0, "", Reset: true);

    public static FakeResponse Recorded(int status, string fileName, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, FakeHubSpot.ReadRecorded(fileName), headers);
}
