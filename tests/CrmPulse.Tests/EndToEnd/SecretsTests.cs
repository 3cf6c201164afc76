using System.Text.Json;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.EndToEnd;

/// <summary>
/// The real daemon configured with every secret it takes (API keys, InfluxDB token and a password in its URL, a
/// HubSpot token, a Salesforce client secret, passwords in the CRMs' URLs, a webhook URL and a probe URL with tokens), each server a local fake that
/// fails or answers: none of the secrets appears in its log, in check-config's plan, or in any API answer.
/// </summary>
public sealed class SecretsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crmpulse-secrets-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Made up, each recognisable so a leak names itself.
    private const string ApiKey = "5e8a1c3f7b9d2e4a6c8f0b1d3e5a7c9f2b4d6e8a0c1f3b5d7e9a2c4f6b8d0e1a";
    private const string SecondApiKey = "c7e9a1f3b5d8c0e2a4f6b9d1c3e5a7f0b2d4c6e8a1f3b5d7c9e0a2f4b6d8c1e3";
    private const string InfluxToken = "InfluxTokenSecret-8c1e5a";
    private const string InfluxUrlPassword = "InfluxUrlPassword-3f7b2d";
    private const string HubSpotToken = "pat-na1-HubSpotTokenSecret-6d9e1f";
    private const string SalesforceSecret = "SalesforceClientSecret-2a4c6e";
    private const string WebhookPathSecret = "WebhookPathSecret-7b3d9f";
    private const string WebhookQuerySecret = "WebhookQuerySecret-1e5c8a";
    private const string ProbePassword = "ProbePassword-4f8b2c";
    private const string ProbeQueryKey = "ProbeQueryKey-9d3a7e";
    private const string HubSpotUrlPassword = "HubSpotUrlPassword-5a1f8d";
    private const string SalesforceUrlPassword = "SalesforceUrlPassword-0c6e3b";

    private static readonly string[] Secrets =
        [ApiKey, SecondApiKey, InfluxToken, InfluxUrlPassword, HubSpotToken, SalesforceSecret, WebhookPathSecret, WebhookQuerySecret, ProbePassword,
         ProbeQueryKey, HubSpotUrlPassword, SalesforceUrlPassword];

    [Fact]
    public async Task No_configured_secret_appears_in_the_log_the_plan_or_any_api_answer()
    {
        await using var influx = LocalHttpServer.Answering(204);
        await using var hubspot = LocalHttpServer.Answering(401);
        await using var salesforce = LocalHttpServer.Answering(400);
        await using var webhook = LocalHttpServer.Answering(200);
        await using var probe = LocalHttpServer.Answering(200);
        var keysFile = Path.Combine(_dir, "keys");
        File.WriteAllText(keysFile, SecondApiKey + "\n");
        static string Origin(LocalHttpServer s) => new Uri(s.Url).GetLeftPart(UriPartial.Authority);
        static string WithUser(LocalHttpServer s, string user, string password) => Origin(s).Replace("http://", $"http://{user}:{password}@", StringComparison.Ordinal);
        var env = new Dictionary<string, string>
        {
            ["CRMPULSE__STORE__PATH"] = Path.Combine(_dir, "crmpulse.db"),
            ["CRMPULSE__API__APIKEYS__0"] = ApiKey,
            ["CRMPULSE__API__APIKEYSFILE"] = keysFile,
            ["CRMPULSE__INFLUXDB__ENABLED"] = "true",
            ["CRMPULSE__INFLUXDB__URL"] = WithUser(influx, "writer", InfluxUrlPassword),
            ["CRMPULSE__INFLUXDB__ORG"] = "crm", ["CRMPULSE__INFLUXDB__BUCKET"] = "kpis",
            ["CRMPULSE__INFLUXDB__TOKEN"] = InfluxToken,
            ["CRMPULSE__INFLUXDB__FLUSHEVERY"] = "00:00:01",
            ["CRMPULSE__SOURCES__0__NAME"] = "demo", ["CRMPULSE__SOURCES__0__KIND"] = "Demo",
            ["CRMPULSE__SOURCES__0__CONTACTS"] = "200", ["CRMPULSE__SOURCES__0__COMPANIES"] = "50",
            ["CRMPULSE__SOURCES__0__DEALS"] = "50", ["CRMPULSE__SOURCES__0__ACTIVITIES"] = "500",
            ["CRMPULSE__SOURCES__1__NAME"] = "hub", ["CRMPULSE__SOURCES__1__KIND"] = "HubSpot",
            ["CRMPULSE__SOURCES__1__BASEURL"] = WithUser(hubspot, "hub", HubSpotUrlPassword), ["CRMPULSE__SOURCES__1__MAXRETRIES"] = "0",
            ["HUBSPOT_TOKEN"] = HubSpotToken,
            ["CRMPULSE__SOURCES__2__NAME"] = "sf", ["CRMPULSE__SOURCES__2__KIND"] = "Salesforce",
            ["CRMPULSE__SOURCES__2__AUTH__LOGINURL"] = WithUser(salesforce, "sf", SalesforceUrlPassword),
            ["SALESFORCE_CLIENT_ID"] = "client-id-not-secret", ["SALESFORCE_CLIENT_SECRET"] = SalesforceSecret,
            ["CRMPULSE__ALERTS__WEBHOOKS__0__NAME"] = "ops",
            ["CRMPULSE__ALERTS__WEBHOOKS__0__URL"] = $"{Origin(webhook)}/services/T0/B0/{WebhookPathSecret}?token={WebhookQuerySecret}",
            ["CRMPULSE__INTEGRATIONS__0__NAME"] = "billing",
            ["CRMPULSE__INTEGRATIONS__0__PROBEURL"] = $"{WithUser(probe, "probe", ProbePassword)}/health?key={ProbeQueryKey}",
            ["CRMPULSE__INTEGRATIONS__0__EVERY"] = "00:00:10",
        };

        var answers = new List<(string What, string Text)>();
        var port = Tools.FreePort();
        await using (var check = DaemonProcess.StartOn(port, env, "check-config", "--urls", $"http://127.0.0.1:{port}"))
        {
            Assert.True(await check.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, check.Output);
            answers.Add(("check-config", check.Output));
        }

        await using var daemon = DaemonProcess.Start(env);
        daemon.Client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        // Every source tried its sync (the CRMs refuse), a pass ran, the probe and InfluxDB were reached.
        await daemon.WaitForAsync("/api/sources", j => j.EnumerateArray().All(s => s.GetProperty("lastAttemptAt").ValueKind == JsonValueKind.String)
            && j.EnumerateArray().Any(s => s.GetProperty("lastKpiPassAt").ValueKind == JsonValueKind.String), TimeSpan.FromSeconds(90));
        await daemon.WaitForAsync("/api/publishers/influxdb", j => j.GetProperty("writtenSinceStart").GetInt64() > 0, TimeSpan.FromSeconds(60));
        await daemon.WaitForAsync("/api/integrations", j => j.ToString().Contains("\"last\":{", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.True(hubspot.Requests > 0 && salesforce.Requests > 0 && probe.Requests > 0);

        foreach (var path in new[]
                 {
                     "/healthz", "/readyz", "/api/sources", "/api/kpis", "/api/kpis/latest", "/api/kpis/licensed_users/series",
                     "/api/integrations", "/api/reports/leadership", "/api/adoption/users", "/api/publishers/influxdb",
                     "/api/data-quality/issues", "/api/pipeline/issues", "/api/alerts", "/metrics", "/openapi/v1.json", "/api/nope",
                 })
        {
            using var response = await daemon.Client.GetAsync(path);
            answers.Add((path, await response.Content.ReadAsStringAsync()));
        }
        using (var sync = await daemon.Client.PostAsync("/api/sources/hub/sync", null)) answers.Add(("POST sync", await sync.Content.ReadAsStringAsync()));
        Assert.Equal(0, await daemon.StopAsync());
        answers.Add(("log", daemon.Output));

        // The answers say what they should, without the secret parts.
        Assert.Contains("InfluxDB: http://127.0.0.1:", answers[0].Text);
        Assert.Contains("webhooks: ops (Json)", answers[0].Text);
        Assert.Contains($"Publishing KPI history to InfluxDB at {Origin(influx)} (v2, org crm, bucket kpis)", daemon.Output);
        foreach (var (what, text) in answers)
        foreach (var secret in Secrets)
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{what} shows the secret {secret}:\n{text}");
    }
}
