using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using CrmPulse.Tests.Apis;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.WebConsole;

/// <summary>
/// With an API key configured: aggregate pages are as open as the aggregate API, record lists and downloads refuse a
/// visitor without a key, and the console asks for the key once and keeps a session cookie.
/// </summary>
public sealed class ConsoleAccessTests : IAsyncLifetime
{
    // Made up for the test, as long as any key the configuration accepts.
    private const string Key = "console-test-key-0123456789abcdefghijklmnop";

    private FixtureFolder _folder = null!;
    private InProcessHost _host = null!;
    private Chromium _browser = null!;

    public async Task InitializeAsync()
    {
        _folder = new FixtureFolder("org1", new DateTimeOffset(2026, 11, 18, 12, 0, 0, TimeSpan.Zero));
        var settings = FileSourceApiTests.Org1Settings(_folder.Path);
        settings["CrmPulse:Api:ApiKeys:0"] = Key;
        _host = await InProcessHost.StartAsync(settings, new FakeClock(_folder.Now));
        _browser = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _host.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Without_a_key_aggregate_pages_open_and_every_record_list_and_download_is_refused()
    {
        foreach (var path in new[] { "/", "/adoption", "/data-quality", "/pipeline", "/outcomes", "/integrations", "/alerts", "/sources" })
            Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync(path)).StatusCode);
        foreach (var path in new[] { "/data-quality/issues?kind=invalid_phones", "/pipeline/issues", "/adoption/users.csv", "/data-quality/issues.csv", "/pipeline/issues.csv" })
        {
            var response = await _host.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("data-record=", body); // no record of the fixture leaks
            Assert.DoesNotContain("recordId", body);
            Assert.DoesNotContain("Ana Alves", body);
        }
        // The adoption page keeps its aggregates but lists nobody.
        var adoption = await _host.Client.GetStringAsync("/adoption");
        Assert.DoesNotContain("data-user=", adoption);
        Assert.Contains("sign in with an API key", adoption);
        var users = await _host.GetJsonAsync("/api/kpis/latest?kpi=licensed_users");
        Assert.Contains(ConsoleHtml.Values(adoption), v => v.Kpi == "licensed_users" && v.Value == LatestValues.Value(users, "licensed_users", ""));

        // A key in the header opens them, as it opens the API.
        using var withKey = new HttpRequestMessage(HttpMethod.Get, "/data-quality/issues?kind=invalid_phones") { Headers = { { "X-Api-Key", Key } } };
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.SendAsync(withKey)).StatusCode);
    }

    [Fact]
    public async Task The_console_asks_for_the_key_once_and_keeps_a_strict_http_only_session_cookie()
    {
        var page = await _browser.Context.NewPageAsync();
        var watch = new PageWatch(page, _host.Client.BaseAddress!);
        watch.Allowed.Add(401);
        try
        {
            var first = await page.GotoAsync(new Uri(_host.Client.BaseAddress!, "/data-quality/issues?kind=invalid_phones").ToString());
            Assert.Equal(401, first!.Status);
            Assert.Equal(1, await page.Locator("form.login input[type=password]").CountAsync());

            await page.Locator("#key").FillAsync(Key + "x");
            await Browse.ClickAndWaitAsync(page, page.Locator("form.login button"), "**/login", "[role=alert]");
            Assert.Contains("not a configured API key", await page.Locator("[role=alert]").InnerTextAsync());

            await page.Locator("#key").FillAsync(Key);
            await Browse.ClickAndWaitAsync(page, page.Locator("form.login button"), "**/data-quality/issues?kind=invalid_phones", "tr[data-record]");
            Assert.Equal("c1", await page.Locator("tr[data-record]").GetAttributeAsync("data-record")); // org1 has one invalid phone

            var cookie = Assert.Single(await _browser.Context.CookiesAsync(), c => c.Name == "crmpulse_session");
            Assert.True(cookie.HttpOnly);
            Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
            Assert.False(cookie.Secure); // plain http on loopback; Secure is set when served over HTTPS
            Assert.DoesNotContain(Key, cookie.Value);

            // Once: other record pages and downloads now open without asking again.
            var users = await page.GotoAsync(new Uri(_host.Client.BaseAddress!, "/adoption").ToString());
            Assert.Equal(200, users!.Status);
            Assert.True(await page.Locator("tr[data-user]").CountAsync() > 0);
            var csv = await _browser.Context.APIRequest.GetAsync(new Uri(_host.Client.BaseAddress!, "/adoption/users.csv").ToString());
            Assert.Equal(200, csv.Status);

            await Browse.ClickAndWaitAsync(page, page.Locator("form.signout button"), new Uri(_host.Client.BaseAddress!, "/").ToString(), ".cards");
            var after = await page.GotoAsync(new Uri(_host.Client.BaseAddress!, "/pipeline/issues").ToString());
            Assert.Equal(401, after!.Status);
            Assert.Empty(watch.Problems);
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task Sign_in_sends_back_to_this_site_only()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _host.Client.BaseAddress };
        foreach (var (target, expected) in new[] { ("/adoption?team=Sales", "/adoption?team=Sales"), ("//evil.example/x", "/"), ("https://evil.example/", "/"), ("/\\evil.example", "/") })
        {
            var response = await client.PostAsync("/login", new FormUrlEncodedContent([new("key", Key), new("return", target)]));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(expected, response.Headers.Location!.OriginalString);
        }
    }

    [Fact]
    public async Task Storing_an_audit_from_the_console_needs_the_key_or_a_session()
    {
        var before = JsonDocument.Parse(await _host.Client.GetStringAsync("/api/audits")).RootElement.GetArrayLength();
        FormUrlEncodedContent Form() => new([new("from", "2026-11-01"), new("to", "2026-11-17"), new("source", "")]);

        using (var anonymous = await _host.Client.PostAsync("/audits", Form()))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Contains("form class=\"login\"", await anonymous.Content.ReadAsStringAsync());
        }
        Assert.Equal(before, JsonDocument.Parse(await _host.Client.GetStringAsync("/api/audits")).RootElement.GetArrayLength());

        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _host.Client.BaseAddress };
        using var withKey = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/audits") { Headers = { { "X-Api-Key", Key } }, Content = Form() });
        Assert.Equal(HttpStatusCode.SeeOther, withKey.StatusCode);
        Assert.Equal(before + 1, JsonDocument.Parse(await _host.Client.GetStringAsync("/api/audits")).RootElement.GetArrayLength());
    }
}
