using CrmPulse.Core;

namespace CrmPulse.Tests.Options;

/// <summary>URLs as logs, check-config and API answers show them: no user info, no query values.</summary>
public sealed class SafeUrlTests
{
    [Theory]
    [InlineData("http://writer:s3cret@influx:8086", "http://influx:8086")]
    [InlineData("http://writer:s3cret@influx:8086/", "http://influx:8086/")]
    [InlineData("https://billing.example.com/health?key=abc&x=1", "https://billing.example.com/health?…")]
    [InlineData("http://127.0.0.1:8086", "http://127.0.0.1:8086")]
    [InlineData("https://x.example.com?token=1", "https://x.example.com?…")]
    [InlineData("not a url", "not a url")]
    [InlineData("user:pass@host:8086", "(a URL, not shown)")]
    [InlineData(null, "")]
    public void Without_secrets(string? url, string shown) => Assert.Equal(shown, SafeUrl.WithoutSecrets(url));
}
