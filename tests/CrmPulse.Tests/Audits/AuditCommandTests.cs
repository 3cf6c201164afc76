using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrmPulse.Commands;
using CrmPulse.Hosting;
using CrmPulse.Tests.Support;
using static CrmPulse.Tests.Audits.AuditHistory;

namespace CrmPulse.Tests.Audits;

/// <summary>`crmpulse audit` and /api/audits on the hand-made history: the JSON's numbers, the HTML in Chromium, the PDF,
/// and bad arguments (exit 2 with the problem named).</summary>
[Collection(AuditHostCollection.Name)]
public sealed class AuditCommandTests(AuditHostFixture fixture)
{
    private async Task<(int Code, string Output, string File)> RunAsync(string format, string? source = "acme")
    {
        var file = Path.Combine(Path.GetTempPath(), $"crmpulse-audit-{Guid.NewGuid():N}.{format}");
        var output = new StringWriter();
        var code = await AuditCommand.RunAsync(fixture.App, new AuditCommand.Args(From, To, source, format, file), output, output);
        return (code, output.ToString(), file);
    }

    [Fact]
    public async Task The_json_audit_holds_the_exact_values_and_is_the_stored_one()
    {
        var (code, output, file) = await RunAsync("json");
        try
        {
            Assert.True(code == 0, output);
            var json = JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement;
            var id = json.GetProperty("id").GetInt64();
            Assert.Contains($"Stored audit #{id} (2026-01-01 to 2026-01-15, source acme)", output);
            var audit = json.GetProperty("audit");
            Assert.Equal("2026-01-01", audit.GetProperty("from").GetString());
            Assert.Equal("2026-01-16T00:00:00+00:00", audit.GetProperty("end").GetString());
            var acme = audit.GetProperty("sources")[0];
            var usage = acme.GetProperty("usage");
            Assert.Equal((4, 2, 0.5, 4), (usage.GetProperty("licensedUsers").GetInt32(), usage.GetProperty("usersLoggedIn").GetInt32(),
                usage.GetProperty("loggedInShare").GetDouble(), usage.GetProperty("records").GetProperty("logins").GetInt32()));
            var all = usage.GetProperty("records").GetProperty("teams")[0];
            Assert.Equal(("all", 3, 1250.5, 3, 7, 2), (all.GetProperty("team").GetString(), all.GetProperty("dealsWon").GetInt32(),
                all.GetProperty("wonAmount").GetDouble(), all.GetProperty("dealsCreated").GetInt32(), all.GetProperty("activities").GetInt32(),
                all.GetProperty("activitiesByType").GetProperty("email").GetInt32()));
            Assert.Equal(1500, acme.GetProperty("roi").GetProperty("revenueTotal").GetDouble());
            Assert.Equal(80, acme.GetProperty("dataQuality").GetProperty("score").GetProperty("end").GetDouble());
            var probe = audit.GetProperty("probes")[0];
            Assert.Equal((0.5, 2), (probe.GetProperty("goodRatio").GetDouble(), probe.GetProperty("incidents").GetInt32()));

            // The API serves the same stored audit.
            var api = JsonDocument.Parse(await fixture.Client.GetStringAsync($"/api/audits/{id}")).RootElement;
            Assert.Equal(json.GetRawText(), api.GetRawText());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_html_audit_is_self_contained_and_chromium_shows_its_numbers()
    {
        var (code, output, file) = await RunAsync("html");
        try
        {
            Assert.True(code == 0, output);
            var html = await File.ReadAllTextAsync(file);
            Assert.DoesNotMatch("<script|<link|<img|<iframe|src=|url\\(|@import|href=", html);

            var page = await fixture.Browser.Context.NewPageAsync();
            var requests = new List<string>();
            page.Request += (_, r) => requests.Add(r.Url);
            await page.GotoAsync(new Uri(file).AbsoluteUri);
            Assert.Equal([new Uri(file).AbsoluteUri], requests);
            Assert.Equal("CRM audit: 1 Jan 2026 to 15 Jan 2026", await page.Locator("h1").InnerTextAsync());
            var share = await page.Locator("[data-usage=share]").InnerTextAsync();
            Assert.Contains("2 of 4 licensed users (50.0 %) logged in between 2026-01-01 00:00 UTC and 2026-01-16 00:00 UTC", share);
            Assert.Contains("Logins by human users: 4 between 2026-01-01 00:00 UTC and 2026-01-16 00:00 UTC", await page.Locator("[data-usage=logins]").InnerTextAsync());
            Assert.Equal(["Sales", "2", "1,000 (1 without amount)", "1", "3", "1", "1", "0", "1", "0"],
                await page.Locator("tr[data-team='Sales'] td").AllInnerTextsAsync());
            var score = page.Locator("tr[data-kpi=data_quality_score]");
            Assert.Equal(("70", "80"), (await score.GetAttributeAsync("data-start"), await score.GetAttributeAsync("data-end")));
            Assert.Equal(["70.0", "80.0", "+10.0"], await score.Locator("td.num").AllInnerTextsAsync());
            Assert.Equal(["2026-01", "1,500"], await page.Locator("tr[data-month='2026-01'] td").AllInnerTextsAsync());
            Assert.Equal(["erp", "6", "50.0 %", "2"], await page.Locator("tr[data-flag='probe_up|erp'] td").AllInnerTextsAsync());
            Assert.Contains("not measured", await page.Locator("tr[data-kpi=admin_users] td.empty").InnerTextAsync());
            Assert.Equal(["5", "3", "−2"], await page.Locator("tr[data-kpi=licence_unused_seats] td.num").AllInnerTextsAsync());
            foreach (var heading in new[] { "Usage · acme", "Integrations · acme", "Return on investment · acme", "Open work carried over · acme",
                         "Security and licences · acme", "Data quality · acme", "Account prioritisation · acme", "Integrations: probes", "Since the last audit" })
                Assert.Equal(1, await page.Locator("h2", new() { HasTextString = heading }).CountAsync());
            await page.CloseAsync();
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_pdf_audit_has_the_sections_and_numbers_in_its_text_and_its_pages_render()
    {
        var pdftotext = Tools.Require("pdftotext", "poppler-utils");
        var pdftoppm = Tools.Require("pdftoppm", "poppler-utils");
        var (code, output, file) = await RunAsync("pdf");
        var dir = Directory.CreateTempSubdirectory("crmpulse-audit-pdf-").FullName;
        try
        {
            Assert.True(code == 0, output);
            Assert.Equal("%PDF"u8.ToArray(), File.ReadAllBytes(file)[..4]);
            var (exit, text, error) = await Tools.RunAsync(pdftotext, $"-layout {file} -");
            Assert.True(exit == 0, error);
            var flat = Regex.Replace(text, "\\s+", " ");
            Assert.Contains("CRM audit: 1 Jan 2026 to 15 Jan 2026", flat);
            Assert.Contains("2 of 4 licensed users (50.0 %) logged in", flat);
            foreach (var heading in new[] { "Usage · acme", "Return on investment · acme", "Security and licences · acme", "Data quality · acme", "Account prioritisation · acme", "Since the last audit" })
                Assert.Contains(heading, flat);

            var (ppm, _, ppmError) = await Tools.RunAsync(pdftoppm, $"-png -r 40 {file} {Path.Combine(dir, "page")}");
            Assert.True(ppm == 0, ppmError);
            var pages = Directory.GetFiles(dir, "page*.png");
            Assert.True(pages.Length >= 2, $"{pages.Length} page(s)");
            Assert.All(pages, p => Assert.True(new FileInfo(p).Length > 3_000, $"{p} is nearly empty"));
        }
        finally
        {
            File.Delete(file);
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { "--from", "2026-02-01", "--to", "2026-01-01" }, "--from 2026-02-01 is after --to 2026-01-01: the period must start on or before its last day.")]
    [InlineData(new[] { "--from", "2026-13-01", "--to", "2026-12-31" }, "--from '2026-13-01' is not a date: write it as yyyy-MM-dd (e.g. 2026-01-31).")]
    [InlineData(new[] { "--from", "2026-01-01", "--to", "31/12/2026" }, "--to '31/12/2026' is not a date")]
    [InlineData(new[] { "--to", "2026-12-31" }, "--from")]
    [InlineData(new[] { "--from", "2026-01-01", "--to", "2026-12-31", "--format", "docx" }, "--format 'docx' is not html, pdf or json.")]
    public async Task Bad_audit_options_are_named_and_exit_2(string[] args, string error)
    {
        var cli = CliArgs.Parse(["audit", .. args]);
        Assert.Equal(CliCommand.Help, cli.Command);
        Assert.Contains(error, cli.Error);
        Assert.Contains("audit", cli.Usage);

        var errors = new StringWriter();
        Assert.Equal(2, await CrmPulseApp.RunAsync(["audit", .. args], TextWriter.Null, errors));
        Assert.Contains(error, errors.ToString());
    }

    [Fact]
    public void Audit_options_are_parsed_with_their_defaults()
    {
        var cli = CliArgs.Parse(["audit", "--from", "2026-01-01", "--to", "2026-12-31", "--CrmPulse:Store:Path=x.db"]);
        Assert.Null(cli.Error);
        Assert.Equal(CliCommand.Audit, cli.Command);
        Assert.Equal(new AuditCommand.Args(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), null, "html", null), cli.Audit);
        Assert.Equal(["--CrmPulse:Store:Path=x.db"], cli.HostArgs);
    }

    [Fact]
    public async Task An_unknown_source_is_exit_2_with_the_known_ones()
    {
        var errors = new StringWriter();
        Assert.Equal(2, await AuditCommand.RunAsync(fixture.App, new AuditCommand.Args(From, To, "nope", "html", "x.html"), TextWriter.Null, errors));
        Assert.Contains("audit: --source 'nope' is not a configured source (known: acme).", errors.ToString());
    }

    [Fact]
    public async Task The_api_makes_lists_and_serves_audits_and_names_bad_parameters()
    {
        using var created = await fixture.Client.PostAsync("/api/audits?from=2026-01-01&to=2026-01-15&source=acme", null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        var id = body.GetProperty("id").GetInt64();
        Assert.Equal($"/api/audits/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal(0.5, body.GetProperty("audit").GetProperty("sources")[0].GetProperty("usage").GetProperty("loggedInShare").GetDouble());

        var list = JsonDocument.Parse(await fixture.Client.GetStringAsync("/api/audits")).RootElement;
        var first = list[0];
        Assert.Equal((id, "acme", "2026-01-01", "2026-01-15"),
            (first.GetProperty("id").GetInt64(), first.GetProperty("source").GetString(), first.GetProperty("from").GetString(), first.GetProperty("to").GetString()));

        async Task Problem(HttpMethod method, string url, HttpStatusCode status, string detail)
        {
            using var response = await fixture.Client.SendAsync(new HttpRequestMessage(method, url));
            Assert.Equal(status, response.StatusCode);
            Assert.Contains(detail, await response.Content.ReadAsStringAsync());
        }
        await Problem(HttpMethod.Get, "/api/audits/999999", HttpStatusCode.NotFound, "No stored audit #999999");
        await Problem(HttpMethod.Post, "/api/audits?from=2026-01-32&to=2026-02-01", HttpStatusCode.BadRequest, "from: '2026-01-32' is not a date");
        await Problem(HttpMethod.Post, "/api/audits?from=2026-02-01&to=2026-01-01", HttpStatusCode.BadRequest, "from 2026-02-01 is after to 2026-01-01");
        await Problem(HttpMethod.Post, "/api/audits?to=2026-01-01", HttpStatusCode.BadRequest, "from is required");
        await Problem(HttpMethod.Post, "/api/audits?from=2026-01-01&to=2026-01-02&source=nope", HttpStatusCode.NotFound, "No source 'nope' (known: acme)");
    }

    [Fact]
    public async Task The_audits_page_lists_the_stored_audits_and_opens_one_in_chromium()
    {
        var (code, output, file) = await RunAsync("json");
        File.Delete(file);
        Assert.True(code == 0, output);
        var id = Regex.Match(output, "Stored audit #(\\d+)").Groups[1].Value;

        var page = await fixture.Browser.Context.NewPageAsync();
        await page.GotoAsync(new Uri(fixture.Client.BaseAddress!, "/audits").AbsoluteUri);
        Assert.Equal("Audits", await page.Locator("main h1").InnerTextAsync());
        Assert.Equal("page", await page.Locator("nav.side a[href='/audits']").GetAttributeAsync("aria-current"));
        var row = page.Locator($"tr[data-audit='{id}']");
        Assert.Equal(["#" + id, "acme", "2026-01-01", "2026-01-15"], (await row.Locator("td").AllInnerTextsAsync()).Take(4));

        await Browse.ClickAndWaitAsync(page, row.Locator($"a[href='/audits/{id}']"), $"**/audits/{id}", "article h1");
        Assert.Equal("CRM audit: 1 Jan 2026 to 15 Jan 2026", await page.Locator("article h1").InnerTextAsync());
        Assert.Equal("0.5", await page.Locator("[data-usage=share]").GetAttributeAsync("data-value"));
        Assert.True(await page.Locator("nav.toolbar a[href='/audits']").IsVisibleAsync());
        await WebConsole.Screenshots.TakeAsync(page, "audit");

        // The preview: same numbers, nothing stored.
        var before = JsonDocument.Parse(await fixture.Client.GetStringAsync("/api/audits")).RootElement.GetArrayLength();
        await page.GotoAsync(new Uri(fixture.Client.BaseAddress!, "/audits/preview?from=2026-01-01&to=2026-01-15&source=acme").AbsoluteUri);
        Assert.Equal("0.5", await page.Locator("[data-usage=share]").GetAttributeAsync("data-value"));
        Assert.Equal(before, JsonDocument.Parse(await fixture.Client.GetStringAsync("/api/audits")).RootElement.GetArrayLength());

        // Its button stores it (the page's policy lets the form post to this site only) and shows the stored audit.
        await Browse.ClickAndWaitAsync(page, page.Locator("nav.toolbar form button"), new Regex("/audits/\\d+$"), "article h1");
        var list = JsonDocument.Parse(await fixture.Client.GetStringAsync("/api/audits")).RootElement;
        Assert.Equal(before + 1, list.GetArrayLength());
        var stored = list[0].GetProperty("id").GetInt64();
        Assert.EndsWith($"/audits/{stored}", page.Url);
        Assert.Equal(("acme", "2026-01-01", "2026-01-15"),
            (list[0].GetProperty("source").GetString(), list[0].GetProperty("from").GetString(), list[0].GetProperty("to").GetString()));
        Assert.Equal("0.5", await page.Locator("[data-usage=share]").GetAttributeAsync("data-value"));
        Assert.Equal(0, await page.Locator("nav.toolbar form").CountAsync()); // a stored audit has nothing left to store
        await page.CloseAsync();
    }

    [Fact]
    public async Task Storing_from_the_console_refuses_a_form_from_another_site_and_a_bad_period()
    {
        async Task<HttpResponseMessage> PostAsync(string from, string to, string source, params (string Name, string Value)[] headers)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/audits")
            {
                Content = new FormUrlEncodedContent([new("from", from), new("to", to), new("source", source)]),
            };
            foreach (var (name, value) in headers) request.Headers.Add(name, value);
            return await fixture.Client.SendAsync(request);
        }
        int Count() => JsonDocument.Parse(fixture.Client.GetStringAsync("/api/audits").Result).RootElement.GetArrayLength();
        var before = Count();

        // A page elsewhere posting the form: the browser says so, in Sec-Fetch-Site or in Origin.
        using (var crossSite = await PostAsync("2026-01-01", "2026-01-15", "acme", ("Sec-Fetch-Site", "cross-site"), ("Origin", "http://evil.example")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
            Assert.Contains("not sent from this CrmPulse's own pages", await crossSite.Content.ReadAsStringAsync());
        }
        using (var otherOrigin = await PostAsync("2026-01-01", "2026-01-15", "acme", ("Origin", "http://evil.example")))
            Assert.Equal(HttpStatusCode.Forbidden, otherOrigin.StatusCode);
        using (var sameSiteElsewhere = await PostAsync("2026-01-01", "2026-01-15", "acme", ("Sec-Fetch-Site", "same-site")))
            Assert.Equal(HttpStatusCode.Forbidden, sameSiteElsewhere.StatusCode);

        using (var badDate = await PostAsync("2026-01-32", "2026-02-01", "acme", ("Sec-Fetch-Site", "same-origin")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
            Assert.Contains("from and to must be dates written yyyy-MM-dd", await badDate.Content.ReadAsStringAsync());
        }
        using (var reversed = await PostAsync("2026-02-01", "2026-01-01", "acme", ("Origin", fixture.Client.BaseAddress!.GetLeftPart(UriPartial.Authority))))
            Assert.Contains("from 2026-02-01 is after to 2026-01-01", await reversed.Content.ReadAsStringAsync());
        using (var unknown = await PostAsync("2026-01-01", "2026-01-15", "nope"))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(before, Count());

        // Its own origin: stored, and sent on to the stored audit.
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = fixture.Client.BaseAddress };
        using var ok = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/audits")
        {
            Headers = { { "Origin", fixture.Client.BaseAddress!.GetLeftPart(UriPartial.Authority) } },
            Content = new FormUrlEncodedContent([new("from", "2026-01-01"), new("to", "2026-01-15"), new("source", "")]),
        });
        Assert.Equal(HttpStatusCode.SeeOther, ok.StatusCode);
        Assert.Equal(before + 1, Count());
        var newest = JsonDocument.Parse(await fixture.Client.GetStringAsync("/api/audits")).RootElement[0];
        Assert.Equal($"/audits/{newest.GetProperty("id").GetInt64()}", ok.Headers.Location!.OriginalString);
        Assert.Equal(JsonValueKind.Null, newest.GetProperty("source").ValueKind); // no source: every source
    }
}
