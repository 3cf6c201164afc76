using System.Collections.Specialized;
using System.Text.Json;

namespace CrmPulse.Sources.Tests.Fakes;

/// <summary>A request a fake CRM server received.</summary>
internal sealed record FakeRequest(string Method, string Path, NameValueCollection Query, string Body)
{
    public bool IsSearch => Method == "POST" && Path.EndsWith("/search", StringComparison.Ordinal);

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public override string ToString() => $"{Method} {Path}?{Query}";
}
