namespace CrmPulse.Sources.Tests.Salesforce.Auth;

/// <summary>
/// Verbatim copies of the recorded Salesforce OAuth answers in ../shared/fixtures/crm-api (provenance in its
/// SOURCES.md): salesforce_oauth_token_response.json and salesforce_oauth_error_invalid_grant.json (rapid7/
/// insightconnect-plugins unit-test responses @0fee08f5 and @4c859483) and salesforce_error_invalid_session_401_observed.json
/// (observed, sf_model#6). Kept here rather than as files so this folder needs no project-file entry.
/// </summary>
internal static class RecordedOAuth
{
    public const string TokenResponse = """
        {
          "access_token": "cc805d5fab1fd71a4ab352a9c533e65fb2d5b885518f4e565e68847223b8e6b85cb48f3afad842726d99239c9e36505c64b0dc9a061d9e507d833277ada336ab",
          "instance_url": "https://example.com",
          "id": "https://example.com/id/44d88612fea8a8f36de82e1278abb02f/44d88612fea8a8f36de82e1278abb02f",
          "token_type": "Bearer",
          "issued_at": "1689000000000",
          "signature": "3395856ce81f2b7382dee72602f798b642f14140"
        }
        """;

    public const string InvalidGrant = """
        {
            "error": "invalid_grant",
            "error_description": "authentication failure"
        }
        """;

    public const string InvalidSession401 = """[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]""";

    /// <summary>The recorded access_token.</summary>
    public const string AccessToken =
        "cc805d5fab1fd71a4ab352a9c533e65fb2d5b885518f4e565e68847223b8e6b85cb48f3afad842726d99239c9e36505c64b0dc9a061d9e507d833277ada336ab";
}
