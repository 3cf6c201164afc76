using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using CrmPulse.Core.Sources;
using CrmPulse.Sources.Http;

namespace CrmPulse.Sources.Salesforce;

/// <summary>
/// The only part of the Salesforce source that calls the REST API: bearer token (renewed once on INVALID_SESSION_ID),
/// the REST error array turned into clear messages, the daily share, the pause on REQUEST_LIMIT_EXCEEDED, and query
/// paging on nextRecordsUrl. Retries with back-off (429, 5xx, timeouts, network errors) happen in the client's
/// resilience pipeline (<see cref="SourceResilience"/>).
/// </summary>
internal sealed class SalesforceClient(
    HttpClient http, SalesforceSourceOptions options, string sourceName, SalesforceAuthenticator auth, TimeProvider time,
    SalesforceLimits limits)
{
    private string Who => $"Salesforce source '{sourceName}'";

    /// <summary>"/services/data/v62.0".</summary>
    public string DataPath => $"/services/data/{options.ApiVersion}";

    /// <summary>The instance URL of the current session (for deep links).</summary>
    public async Task<Uri> InstanceUrlAsync(CancellationToken ct) => (await auth.GetSessionAsync(ct)).InstanceUrl;

    /// <summary>GET a JSON document under the instance URL (<paramref name="pathAndQuery"/> starts with "/services/").</summary>
    /// <param name="optional">When true, a 403 (other than REQUEST_LIMIT_EXCEEDED), 404 or INVALID_TYPE returns null: the run-as
    /// user lacks a permission for something the source can do without.</param>
    public Task<JsonElement?> GetAsync(string pathAndQuery, CancellationToken ct, bool optional = false) => SendAsync(pathAndQuery, null, optional, ct);

    /// <summary>
    /// Runs a SOQL query (queryAll with <paramref name="all"/>: deleted and archived rows too) and hands every row to
    /// <paramref name="onRecord"/>, following nextRecordsUrl until done is true. A page without a records array fails.
    /// </summary>
    /// <returns>The number of rows; null when <paramref name="optional"/> and the object is not readable (see <see cref="GetAsync"/>).</returns>
    public async Task<int?> QueryAsync(string soql, bool all, string about, Action<JsonElement> onRecord, CancellationToken ct, bool optional = false)
    {
        var path = $"{DataPath}/{(all ? "queryAll" : "query")}?q={Uri.EscapeDataString(soql)}";
        var rows = 0;
        while (true)
        {
            if (await SendAsync(path, about, optional && rows == 0, ct) is not { } page) return null;
            if (!page.TryGetProperty("records", out var records) || records.ValueKind != JsonValueKind.Array)
                throw new SourceException($"{Who}: a page of the {about} query came without a \"records\" array; nothing of this sync is committed.");
            foreach (var record in records.EnumerateArray())
            {
                onRecord(record);
                rows++;
            }
            var done = !page.TryGetProperty("done", out var d) || d.ValueKind != JsonValueKind.False;
            if (done) return rows;
            // Salesforce sends a path ("/services/data/v62.0/query/01g…-2000"); an absolute URL is taken as it is.
            if (!page.TryGetProperty("nextRecordsUrl", out var next) || SalesforceValues.AsText(next) is not { } nextUrl ||
                !(nextUrl.StartsWith('/') || Uri.TryCreate(nextUrl, UriKind.Absolute, out _)))
                throw new SourceException($"{Who}: a page of the {about} query says done=false but has no nextRecordsUrl; nothing of this sync is committed.");
            path = nextUrl;
        }
    }

    private async Task<JsonElement?> SendAsync(string pathAndQuery, string? queryAbout, bool optional, CancellationToken ct)
    {
        var session = await auth.GetSessionAsync(ct);
        var (response, attempts) = await SendOnceAsync(session, pathAndQuery, queryAbout, optional, ct);
        if (response.Status == 401)
        {
            // The token expired or was revoked: one new token, then the same request again.
            response.Dispose();
            session = await auth.RenewAsync(session, ct);
            (response, attempts) = await SendOnceAsync(session, pathAndQuery, queryAbout, optional, ct);
        }

        using (response)
        {
            var status = response.Status;
            if (response.IsSuccess) return Parse(response.Body, pathAndQuery, queryAbout);
            var error = SalesforceError.Parse(response.Body);
            if (Tolerated(optional, status, error)) return null;
            switch (status)
            {
                case 401:
                    throw new SourceException($"{Who}: the API refused a freshly issued token (401 {error}). Check that the connected app's " +
                        "run-as user (client credentials) or pre-authorised user (JWT) is active and has the API Enabled permission.");
                case 403 when error.Code == "REQUEST_LIMIT_EXCEEDED":
                    limits.Pause(options.LimitPause);
                    throw new SourceException($"{Who}: the org's API allowance is used up (403 {error}); no call is made until " +
                        $"{limits.PausedUntil:yyyy-MM-dd HH:mm:ss}Z, then /limits is read and syncing resumes once the allowance has recovered. " +
                        "Nothing of this sync is committed.");
                case 403:
                    throw new SourceException($"{Who}: access denied to {What(pathAndQuery, queryAbout)} (403 {error}). The run-as user needs " +
                        "API Enabled, View Setup and Configuration (for /limits) and Manage Users (for LoginHistory); see the Salesforce README.");
                case 400 when queryAbout is not null && (error.Code == "INVALID_FIELD" ||
                                                         (error.Code == "INVALID_TYPE" && error.Message.Contains("relationship", StringComparison.OrdinalIgnoreCase))):
                    throw new SalesforceFieldRefusedException($"{Who}: the {queryAbout} query names a field Salesforce does not know " +
                        $"(400 {error}). Check the API names in CustomFields for this object and in Pipeline:LostReasonField (custom fields end in __c) and that the run-as " +
                        "user can read them (field-level security).", error);
                case 400 when queryAbout is not null && error.Code == "MALFORMED_QUERY":
                    throw new SalesforceFieldRefusedException($"{Who}: the {queryAbout} query was refused (400 {error}).", error);
                case 400 when error.Code is "MALFORMED_QUERY" or "INVALID_TYPE" or "INVALID_QUERY_FILTER_OPERATOR":
                    throw new SourceException($"{Who}: the {queryAbout ?? PathOnly(pathAndQuery)} query was refused (400 {error}).");
                case 429 or >= 500:
                    throw new SourceException($"{Who}: GET {What(pathAndQuery, queryAbout)} failed {attempts} times ({status} {error}).");
                default:
                    throw new SourceException($"{Who}: GET {What(pathAndQuery, queryAbout)} returned {status} {error}.");
            }
        }
    }

    /// <summary>
    /// One request with the session's token: the client's resilience pipeline retries 429, 5xx, timeouts and network
    /// errors; each attempt passes the pause and the daily share first and is counted after. Returns the final answer and
    /// the attempts it took.
    /// </summary>
    private async Task<(ApiExchange Response, int Attempts)> SendOnceAsync(SalesforceSession session, string pathAndQuery, string? queryAbout,
        bool optional, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(session.InstanceUrl, pathAndQuery));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessToken);
        if (queryAbout is not null)
            request.Headers.TryAddWithoutValidation("Sforce-Query-Options", "batchSize=" + options.BatchSize.ToString(CultureInfo.InvariantCulture));
        var attempts = new ApiAttempt
        {
            Before = _ =>
            {
                if (limits.PausedUntil is { } until && until > time.GetUtcNow())
                    throw new SourceException($"{Who}: paused until {until:yyyy-MM-dd HH:mm:ss}Z after REQUEST_LIMIT_EXCEEDED.");
                limits.Meter.CheckDailyShare(Who, options.DailyShare, limits.DailyLimit);
                return Task.CompletedTask;
            },
            Answered = async (answer, latency) =>
            {
                var status = (int)answer.StatusCode;
                var tolerated = !answer.IsSuccessStatusCode && Tolerated(optional, status, SalesforceError.Parse(await answer.Content.ReadAsStringAsync()));
                limits.Meter.Record(latency, error: status >= 400 && !tolerated);
                limits.ReadHeader(answer.Headers);
            },
            OnFailure = latency => limits.Meter.Record(latency, error: true),
        };
        request.Options.Set(ApiAttempt.Key, attempts);
        try
        {
            return (await ApiExchange.SendAsync(http, request, Timeout.InfiniteTimeSpan, time, ct), attempts.Attempts);
        }
        catch (TransientApiException e)
        {
            throw new SourceException($"{Who}: GET {What(pathAndQuery, queryAbout)} failed {attempts.Attempts} times: {e.Message}", e.InnerException);
        }
    }

    /// <summary>An answer an optional call can do without: the run-as user lacks a permission for it.</summary>
    private static bool Tolerated(bool optional, int status, SalesforceError error) =>
        optional && (status is 404 || (status is 403 && error.Code != "REQUEST_LIMIT_EXCEEDED") || error.Code == "INVALID_TYPE");

    /// <summary>What the resilience pipeline retries: 429 and 5xx.</summary>
    internal static ValueTask<bool> ShouldRetry(HttpResponseMessage response) =>
        ValueTask.FromResult((int)response.StatusCode is 429 or >= 500);

    private JsonElement Parse(string text, string pathAndQuery, string? queryAbout)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("the response is not a JSON object");
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new SourceException($"{Who}: GET {What(pathAndQuery, queryAbout)} returned malformed JSON ({e.Message}); nothing of this sync is committed.", e);
        }
    }

    /// <summary>A query's object (SOQL can be long) or the path of any other call.</summary>
    private static string What(string pathAndQuery, string? queryAbout) =>
        queryAbout is null ? PathOnly(pathAndQuery) : $"{PathOnly(pathAndQuery)} ({queryAbout} query)";

    private static string PathOnly(string pathAndQuery) => ApiExchange.PathOnly(pathAndQuery);
}
