using CrmPulse.Sources.Salesforce;

namespace CrmPulse.Sources.Tests.Salesforce.Auth;

public sealed class SalesforceAuthOptionsTests
{
    [Fact]
    public void The_defaults_need_only_the_orgs_my_domain_for_the_client_credentials_flow()
    {
        var options = new SalesforceAuthOptions();

        Assert.Equal(["LoginUrl: the ClientCredentials flow needs the org's My Domain URL (such as https://acme.my.salesforce.com), not 'https://login.salesforce.com'."],
            options.Validate());
        Assert.Empty(new SalesforceAuthOptions { LoginUrl = "https://acme.my.salesforce.com" }.Validate());
        // The JWT bearer flow accepts the generic login host (with a user name and a key).
        Assert.Empty(new SalesforceAuthOptions { Flow = "JwtBearer", Username = "u@example.com", PrivateKeyFile = "k.pem" }.Validate());
        Assert.Equal("ClientCredentials", options.Flow);
        Assert.Equal("https://login.salesforce.com", options.LoginUrl);
        Assert.Equal("SALESFORCE_CLIENT_ID", options.ClientIdEnv);
        Assert.Equal("SALESFORCE_CLIENT_SECRET", options.ClientSecretEnv);
        Assert.Equal(TimeSpan.FromMinutes(3), options.AssertionLifetime);
    }

    [Theory]
    [InlineData("https://login.salesforce.com", true)]
    [InlineData("http://127.0.0.1:8443", true)]
    [InlineData("http://login.salesforce.com", false)]
    [InlineData("login.salesforce.com", false)]
    public void An_audience_is_an_https_url(string audience, bool valid)
    {
        var options = new SalesforceAuthOptions { Flow = "JwtBearer", Username = "u@example.com", PrivateKeyFile = "k.pem", Audience = audience };

        var expected = valid ? [] : new[] { $"Audience: '{audience}' is not an absolute https URL such as https://login.salesforce.com." };
        Assert.Equal(expected, options.Validate());
    }

    [Fact]
    public void The_jwt_flow_names_its_missing_username_and_key_and_a_bad_lifetime()
    {
        var options = new SalesforceAuthOptions { Flow = "JwtBearer", ClientSecretEnv = null, AssertionLifetime = TimeSpan.FromMinutes(10) };

        Assert.Equal(
        [
            "Username: required by the JwtBearer flow (the pre-authorised user the source acts as).",
            "PrivateKeyFile: required by the JwtBearer flow (a PEM file with the RSA private key).",
            "AssertionLifetime must be 00:00:01 to 00:05:00, was 00:10:00.",
        ], options.Validate());
    }

    [Fact]
    public void Every_problem_is_reported_with_its_key()
    {
        var options = new SalesforceAuthOptions { Flow = "Password", LoginUrl = "login.salesforce.com", ClientIdEnv = " ", ClientSecretEnv = null };

        Assert.Equal(
        [
            "Flow: 'Password' is not a known flow; use ClientCredentials or JwtBearer.",
            "LoginUrl: 'login.salesforce.com' is not an absolute http(s) URL such as https://login.salesforce.com.",
            "ClientIdEnv or ClientIdFile: one is required (the client id is never written in the configuration).",
            "ClientSecretEnv or ClientSecretFile: one is required by the ClientCredentials flow (the secret is never written in the configuration).",
        ], options.Validate());
    }

    [Theory]
    [InlineData("https://acme.my.salesforce.com/services/oauth2/token", "LoginUrl: 'https://acme.my.salesforce.com/services/oauth2/token' must be an origin without a path, such as https://acme.my.salesforce.com.")]
    [InlineData("http://login.salesforce.com", "LoginUrl: 'http://login.salesforce.com' must use https (http is accepted only for a local test server).")]
    public void The_login_url_is_an_https_origin(string loginUrl, string problem)
    {
        Assert.Equal([problem], new SalesforceAuthOptions { LoginUrl = loginUrl }.Validate());
    }

    [Theory]
    [InlineData("https://acme--uat.sandbox.my.salesforce.com/")]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://localhost:5080")]
    public void Https_origins_and_local_http_servers_are_accepted(string loginUrl)
    {
        Assert.Empty(new SalesforceAuthOptions { LoginUrl = loginUrl }.Validate());
    }

    [Fact]
    public void Files_alone_satisfy_the_secret_settings()
    {
        var options = new SalesforceAuthOptions
        {
            LoginUrl = "https://acme.my.salesforce.com",
            ClientIdEnv = null, ClientIdFile = "/run/secrets/sf-client-id",
            ClientSecretEnv = null, ClientSecretFile = "/run/secrets/sf-client-secret",
        };

        Assert.Empty(options.Validate());
    }
}
