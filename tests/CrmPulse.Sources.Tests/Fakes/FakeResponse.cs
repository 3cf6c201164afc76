namespace CrmPulse.Sources.Tests.Fakes;

/// <summary>A canned answer of a fake CRM server (status, JSON body, extra headers), a connection reset, or no answer.</summary>
internal sealed record FakeResponse(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null, bool Reset = false, bool Stall = false)
{
    public static FakeResponse ConnectionReset { get; } = new(0, "", Reset: true);

    /// <summary>Never answers, until the client gives up (a timeout).</summary>
    public static FakeResponse NoAnswer { get; } = new(0, "", Stall: true);

    public static FakeResponse Recorded(int status, string fileName, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, RecordedFiles.Read(fileName), headers);
}
