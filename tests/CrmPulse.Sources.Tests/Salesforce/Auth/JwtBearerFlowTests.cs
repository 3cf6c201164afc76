using System.Text.Json.Nodes;
using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.Tests.Salesforce.Auth;

public sealed class JwtBearerFlowTests
{
    [Theory]
    [InlineData(false)] // PKCS#1: -----BEGIN RSA PRIVATE KEY-----
    [InlineData(true)]  // PKCS#8: -----BEGIN PRIVATE KEY-----
    public async Task A_jwt_signed_with_the_uploaded_key_is_accepted_with_the_expected_claims(bool pkcs8)
    {
        using var h = new AuthHarness().WithJwt(pkcs8);

        var session = await h.Create().GetSessionAsync(CancellationToken.None);

        var form = Assert.Single(h.Server.TokenRequests);
        Assert.Equal(["assertion", "grant_type"], form.Keys.Order());
        Assert.Equal("urn:ietf:params:oauth:grant-type:jwt-bearer", form["grant_type"]);
        Assert.Null(h.Server.LastRefusal); // the server verified the RS256 signature with the public key
        // exp = clock (1,689,000,000 s) + AssertionLifetime (3 min = 180 s) = 1,689,000,180.
        var expected = new JsonObject
        {
            ["iss"] = FakeSalesforceLogin.ClientId,
            ["sub"] = FakeSalesforceLogin.Username,
            ["aud"] = h.Server.BaseUrl,
            ["exp"] = 1_689_000_180,
        };
        Assert.True(JsonNode.DeepEquals(expected, h.Server.LastClaims), h.Server.LastClaims?.ToJsonString());
        Assert.Equal(RecordedOAuth.AccessToken, session.AccessToken);
        Assert.Equal(new Uri(h.Server.BaseUrl), session.InstanceUrl);
    }

    [Fact]
    public async Task A_configured_audience_replaces_the_login_origin_in_the_assertion()
    {
        using var h = new AuthHarness().WithJwt();
        h.Server.Audience = "https://login.salesforce.com";
        h.Options.Audience = "https://login.salesforce.com/";

        await h.Create().GetSessionAsync(CancellationToken.None);

        Assert.Null(h.Server.LastRefusal);
        Assert.Equal("https://login.salesforce.com", (string)h.Server.LastClaims!["aud"]!); // trailing slash dropped
    }

    [Fact]
    public async Task The_assertion_expires_after_the_configured_lifetime()
    {
        using var h = new AuthHarness().WithJwt();
        h.Options.AssertionLifetime = TimeSpan.FromSeconds(45);
        h.Clock.Now = h.Clock.Now.AddHours(1);

        await h.Create().GetSessionAsync(CancellationToken.None);

        // 1,689,000,000 + 3,600 (clock moved 1 h) + 45 = 1,689,003,645.
        Assert.Equal(1_689_003_645, (long)h.Server.LastClaims!["exp"]!);
    }

    [Fact]
    public async Task A_key_whose_certificate_is_not_uploaded_gives_the_recorded_invalid_grant_with_what_to_check()
    {
        using var h = new AuthHarness().WithJwt(key: TestKeys.Stranger);

        var e = await Assert.ThrowsAsync<SourceException>(() => h.Create().GetSessionAsync(CancellationToken.None));

        Assert.Equal("signature", h.Server.LastRefusal);
        Assert.Equal(
            $"Salesforce source 'sf-test': the token endpoint {h.Server.BaseUrl}/services/oauth2/token refused the JwtBearer flow: " +
            $"invalid_grant (authentication failure). Check that Username '{FakeSalesforceLogin.Username}' is pre-authorised for the " +
            "connected app (admin-approved users, by profile or permission set), that the certificate uploaded to the app matches " +
            "PrivateKeyFile, that LoginUrl is the login host of the user's org, and that this machine's clock is right (the assertion " +
            "expires after AssertionLifetime).", e.Message);
    }

    [Fact]
    public async Task A_user_who_is_not_pre_authorised_gives_invalid_grant()
    {
        using var h = new AuthHarness().WithJwt();
        h.Options.Username = "someone.else@example.invalid";

        var e = await Assert.ThrowsAsync<SourceException>(() => h.Create().GetSessionAsync(CancellationToken.None));

        Assert.Equal("sub", h.Server.LastRefusal);
        Assert.Contains("invalid_grant (authentication failure). Check that Username 'someone.else@example.invalid' is pre-authorised", e.Message);
    }

    [Fact]
    public async Task An_unknown_consumer_key_gives_invalid_client_id_naming_the_client_id_settings()
    {
        using var h = new AuthHarness().WithJwt();
        h.Options.ClientIdFile = h.WriteFile("id", "another-client-id-not-real\n");

        var e = await Assert.ThrowsAsync<SourceException>(() => h.Create().GetSessionAsync(CancellationToken.None));

        Assert.EndsWith("refused the JwtBearer flow: invalid_client_id (client identifier invalid). " +
                        "Check that ClientIdEnv/ClientIdFile holds the connected app's consumer key.", e.Message);
        Assert.DoesNotContain("another-client-id-not-real", e.Message);
    }

    [Fact]
    public async Task The_jwt_flow_needs_no_client_secret()
    {
        using var h = new AuthHarness().WithJwt();
        h.Options.ClientSecretEnv = "CRMPULSE_TEST_SFAUTH_SECRET_NOT_SET";

        var session = await h.Create().GetSessionAsync(CancellationToken.None);

        Assert.Equal(RecordedOAuth.AccessToken, session.AccessToken);
    }

    [Theory]
    [InlineData("not a key at all\n")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n")] // a PEM block whose body is not a key
    [InlineData("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n")]
    public async Task A_bad_pem_file_is_named_before_any_request(string pem)
    {
        using var h = new AuthHarness().WithJwt();
        h.Options.PrivateKeyFile = h.WriteFile("bad.key", pem);

        var e = await Assert.ThrowsAsync<SourceException>(() => h.Create().GetSessionAsync(CancellationToken.None));

        Assert.StartsWith($"Salesforce source 'sf-test': the private key file '{h.PathOf("bad.key")}' (PrivateKeyFile) holds no usable " +
                          "RSA private key; expected an unencrypted PEM block 'BEGIN RSA PRIVATE KEY' (PKCS#1) or 'BEGIN PRIVATE KEY' (PKCS#8).", e.Message);
        Assert.Equal(0, h.Server.TokenCount);
    }

    [Fact]
    public async Task A_public_key_file_is_refused_because_it_cannot_sign()
    {
        using var h = new AuthHarness().WithJwt();
        var publicPem = TestKeys.Uploaded.ExportSubjectPublicKeyInfoPem();
        h.Options.PrivateKeyFile = h.WriteFile("public.pem", publicPem);

        var e = await Assert.ThrowsAsync<SourceException>(() => h.Create().GetSessionAsync(CancellationToken.None));

        Assert.Contains("(PrivateKeyFile) holds no usable RSA private key", e.Message);
        Assert.DoesNotContain(publicPem.Split('\n')[1], e.Message);
        Assert.Equal(0, h.Server.TokenCount);
    }

    [Fact]
    public async Task A_missing_key_file_is_named_before_any_request()
    {
        using var h = new AuthHarness().WithJwt();
        h.Options.PrivateKeyFile = h.PathOf("missing.key");

        var e = await Assert.ThrowsAsync<SourceException>(() => h.Create().GetSessionAsync(CancellationToken.None));

        Assert.StartsWith($"Salesforce source 'sf-test': cannot read the private key file '{h.PathOf("missing.key")}' (PrivateKeyFile): ", e.Message);
        Assert.Equal(0, h.Server.TokenCount);
    }

    [Fact]
    public async Task Error_messages_never_carry_the_private_key()
    {
        using var h = new AuthHarness().WithJwt(key: TestKeys.Stranger);
        var pemLines = TestKeys.PrivatePem(TestKeys.Stranger, pkcs8: true).Split('\n');

        var e = await Assert.ThrowsAsync<SourceException>(() => h.Create().GetSessionAsync(CancellationToken.None));

        Assert.All(pemLines.Skip(1).Take(3), line => Assert.DoesNotContain(line, e.Message));
        Assert.DoesNotContain(FakeSalesforceLogin.ClientId, e.Message);
    }
}
