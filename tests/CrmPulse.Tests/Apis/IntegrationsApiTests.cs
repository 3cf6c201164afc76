namespace CrmPulse.Tests.Apis;

public sealed class IntegrationsApiTests
{
    [Theory]
    [InlineData("https://user:secret@billing.example.com:8443/health?token=abc", "https://billing.example.com:8443/health?…")]
    [InlineData("http://127.0.0.1:9/health", "http://127.0.0.1:9/health")]
    public void The_integrations_api_shows_probe_urls_without_credentials_or_query(string url, string shown)
    {
        Assert.Equal(shown, CrmPulse.Apis.IntegrationsApi.Redacted(url));
    }
}
