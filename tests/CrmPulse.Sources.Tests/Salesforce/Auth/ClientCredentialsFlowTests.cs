using System.Net;
using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.Tests.Salesforce.Auth;

public sealed class ClientCredentialsFlowTests
{
    [Fact]
    public async Task Client_credentials_posts_the_form_and_returns_the_recorded_session()
    {
        using var h = new AuthHarness();

        var session = await h.Create().GetSessionAsync(CancellationToken.None);

        var form = Assert.Single(h.Server.TokenRequests);
        Assert.Equal(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = FakeSalesforceLogin.ClientId,
            ["client_secret"] = FakeSalesforceLogin.ClientSecret,
        }, form);
        Assert.Equal(RecordedOAuth.AccessToken, session.AccessToken);
        Assert.Equal(new Uri(h.Server.BaseUrl), session.InstanceUrl);
        // issued_at "1689000000000" ms = 1,689,000,000 s = 2023-07-10T14:40:00Z (date -d @1689000000 -u).
        Assert.Equal(new DateTimeOffset(2023, 7, 10, 14, 40, 0, TimeSpan.Zero), session.IssuedAt);
    }

    [Fact]
    public async Task The_session_is_cached_after_the_first_success()
    {
        using var h = new AuthHarness();
        var auth = h.Create();

        var first = await auth.GetSessionAsync(CancellationToken.None);
        var second = await auth.GetSessionAsync(CancellationToken.None);

        Assert.Same(first, second);
        Assert.Equal(1, h.Server.TokenCount);
    }

    [Fact]
    public async Task A_wrong_secret_gives_invalid_client_naming_the_secret_settings_but_not_the_secret()
    {
        using var h = new AuthHarness();
        Environment.SetEnvironmentVariable("CRMPULSE_TEST_SFAUTH_WRONG_SECRET", "wrong-secret-not-real");
        h.Options.ClientSecretEnv = "CRMPULSE_TEST_SFAUTH_WRONG_SECRET";

        var e = await Assert.ThrowsAsync<SourceException>(() => h.Create().GetSessionAsync(CancellationToken.None));

        Assert.Equal(
            $"Salesforce source 'sf-test': the token endpoint {h.Server.BaseUrl}/services/oauth2/token refused the ClientCredentials flow: " +
            "invalid_client (invalid client credentials). Check that ClientIdEnv/ClientIdFile and ClientSecretEnv/ClientSecretFile " +
            "hold the connected app's consumer key and secret.", e.Message);
        Assert.DoesNotContain("wrong-secret-not-real", e.Message);
        Assert.DoesNotContain(FakeSalesforceLogin.ClientId, e.Message);
    }

    [Fact]
    public async Task An_app_without_a_run_as_user_gives_invalid_grant_pointing_at_the_run_as_user_and_my_domain()
    {
        using var h = new AuthHarness();
        h.Server.ClientCredentialsEnabled = false;

        var e = await Assert.ThrowsAsync<SourceException>(() => h.Create().GetSessionAsync(CancellationToken.None));

        Assert.Contains("refused the ClientCredentials flow: invalid_grant (no client credentials user enabled)", e.Message);
        Assert.Contains("names a run-as user", e.Message);
        Assert.Contains("My Domain URL", e.Message);
    }

    [Fact]
    public async Task A_failed_authentication_is_not_cached_and_the_next_call_tries_again()
    {
        using var h = new AuthHarness();
        h.Server.ClientCredentialsEnabled = false;
        var auth = h.Create();
        await Assert.ThrowsAsync<SourceException>(() => auth.GetSessionAsync(CancellationToken.None));

        h.Server.ClientCredentialsEnabled = true;
        var session = await auth.GetSessionAsync(CancellationToken.None);

        // The second token request is the server's 2nd, so its token carries "-2".
        Assert.Equal(RecordedOAuth.AccessToken + "-2", session.AccessToken);
        Assert.Equal(2, h.Server.TokenCount);
    }

    [Fact]
    public async Task A_missing_client_id_variable_is_named_before_any_request()
    {
        using var h = new AuthHarness();
        h.Options.ClientIdEnv = "CRMPULSE_TEST_SFAUTH_CLIENT_ID_NOT_SET";

        var e = await Assert.ThrowsAsync<SourceException>(() => h.Create().GetSessionAsync(CancellationToken.None));

        Assert.Equal("Salesforce source 'sf-test': the environment variable 'CRMPULSE_TEST_SFAUTH_CLIENT_ID_NOT_SET' (ClientIdEnv) " +
                     "holding the client id is not set.", e.Message);
        Assert.Equal(0, h.Server.TokenCount);
    }

    [Fact]
    public async Task A_missing_secret_file_is_named_before_any_request()
    {
        using var h = new AuthHarness();
        h.Options.ClientSecretFile = h.PathOf("no-such-secret");

        var e = await Assert.ThrowsAsync<SourceException>(() => h.Create().GetSessionAsync(CancellationToken.None));

        Assert.StartsWith($"Salesforce source 'sf-test': cannot read the client secret file '{h.PathOf("no-such-secret")}' (ClientSecretFile): ", e.Message);
        Assert.Equal(0, h.Server.TokenCount);
    }

    [Fact]
    public async Task An_empty_secret_file_is_named_before_any_request()
    {
        using var h = new AuthHarness();
        h.Options.ClientSecretFile = h.WriteFile("secret", "  \n");

        var e = await Assert.ThrowsAsync<SourceException>(() => h.Create().GetSessionAsync(CancellationToken.None));

        Assert.Equal($"Salesforce source 'sf-test': the client secret file '{h.PathOf("secret")}' (ClientSecretFile) is empty.", e.Message);
        Assert.Equal(0, h.Server.TokenCount);
    }

    [Fact]
    public async Task Files_win_over_variables_and_their_first_line_trimmed_is_the_secret()
    {
        using var h = new AuthHarness();
        h.Options.ClientIdEnv = "CRMPULSE_TEST_SFAUTH_CLIENT_ID_NOT_SET";
        h.Options.ClientIdFile = h.WriteFile("id", $"  {FakeSalesforceLogin.ClientId}  \n# consumer key of the CrmPulse app\n");
        Environment.SetEnvironmentVariable("CRMPULSE_TEST_SFAUTH_WRONG_SECRET", "wrong-secret-not-real");
        h.Options.ClientSecretEnv = "CRMPULSE_TEST_SFAUTH_WRONG_SECRET";
        h.Options.ClientSecretFile = h.WriteFile("secret", FakeSalesforceLogin.ClientSecret + "\r\n");

        await h.Create().GetSessionAsync(CancellationToken.None);

        var form = Assert.Single(h.Server.TokenRequests);
        Assert.Equal(FakeSalesforceLogin.ClientId, form["client_id"]);
        Assert.Equal(FakeSalesforceLogin.ClientSecret, form["client_secret"]);
    }

    [Fact]
    public async Task A_server_error_throws_HttpRequestException_for_the_callers_retry_and_is_not_cached()
    {
        using var h = new AuthHarness();
        h.Server.Fault = n => n == 1 ? (503, "Service Unavailable") : null;
        var auth = h.Create();

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => auth.GetSessionAsync(CancellationToken.None));
        var session = await auth.GetSessionAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, e.StatusCode);
        Assert.Contains("Salesforce source 'sf-test'", e.Message);
        Assert.Equal(RecordedOAuth.AccessToken + "-2", session.AccessToken);
    }

    [Theory]
    [InlineData("<html>Maintenance</html>", "answered 200 with a body that is not a JSON object; check that LoginUrl is a Salesforce login URL.")]
    [InlineData("""{"instance_url":"https://acme.my.salesforce.com","token_type":"Bearer"}""", "answered without an access_token (ClientCredentials flow).")]
    [InlineData("""{"access_token":"00Dxx!not-real","token_type":"Bearer"}""", "answered without a usable instance_url (''), the host every REST call goes to.")]
    [InlineData("""{"access_token":"00Dxx!not-real","instance_url":"acme.my.salesforce.com"}""", "answered without a usable instance_url ('acme.my.salesforce.com'), the host every REST call goes to.")]
    public async Task An_unusable_token_answer_gives_a_clear_message(string body, string expectedEnd)
    {
        using var h = new AuthHarness();
        h.Server.Fault = _ => (200, body);

        var e = await Assert.ThrowsAsync<SourceException>(() => h.Create().GetSessionAsync(CancellationToken.None));

        Assert.StartsWith($"Salesforce source 'sf-test': the token endpoint {h.Server.BaseUrl}/services/oauth2/token ", e.Message);
        Assert.EndsWith(expectedEnd, e.Message);
        Assert.DoesNotContain("00Dxx!not-real", e.Message);
    }

    [Fact]
    public async Task A_refusal_that_is_not_an_OAuth_error_points_at_the_login_url()
    {
        using var h = new AuthHarness();
        h.Server.Fault = _ => (404, "<html><body>URL No Longer Exists</body></html>");

        var e = await Assert.ThrowsAsync<SourceException>(() => h.Create().GetSessionAsync(CancellationToken.None));

        Assert.EndsWith("answered 404 to the ClientCredentials flow without an OAuth error; check that LoginUrl is a Salesforce login URL.", e.Message);
    }

    [Theory]
    [InlineData("\"1689000000000\"", 1_689_000_000_000)] // the documented form: epoch milliseconds as a string
    [InlineData("1689000060000", 1_689_000_060_000)]     // a number is accepted too (2023-07-10T14:41:00Z)
    [InlineData("\"not-a-time\"", 1_689_000_000_000)]    // unreadable: the clock's now, 1,689,000,000 s
    [InlineData("null", 1_689_000_000_000)]              // JSON null: the clock's now
    [InlineData(null, 1_689_000_000_000)]                // absent: the clock's now
    public async Task Issued_at_is_read_from_the_epoch_millisecond_string(string? issuedAt, long expectedMs)
    {
        using var h = new AuthHarness();
        var field = issuedAt is null ? "" : $""","issued_at":{issuedAt}""";
        h.Server.Fault = _ => (200, $$"""{"access_token":"a","instance_url":"https://acme.my.salesforce.com"{{field}}}""");

        var session = await h.Create().GetSessionAsync(CancellationToken.None);

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(expectedMs), session.IssuedAt);
        Assert.Equal(new Uri("https://acme.my.salesforce.com"), session.InstanceUrl);
    }
}
