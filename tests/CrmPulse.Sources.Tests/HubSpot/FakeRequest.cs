using System.Collections.Specialized;
using System.Text.Json;

namespace CrmPulse.Sources.Tests.HubSpot;

/// <summary>A request the fake HubSpot received.</summary>
internal sealed record FakeRequest(string Method, string Path, NameValueCollection Query, string Body)
{
    public bool IsSearch => Method == "POST" && Path.EndsWith("/search", StringComparison.Ordinal);

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public override string ToString() => $"{Method} {Path}?{Query}";
}
