using System.Text.RegularExpressions;
using CrmPulse.Core.Kpis;

namespace CrmPulse.Integrations;

/// <summary>
/// One entry of CrmPulse:Integrations: a system connected to the CRM (accounting, marketing, support, telephony …).
/// With a <see cref="ProbeUrl"/> it is probed over HTTP on its own schedule; with <see cref="SourceField"/> and
/// <see cref="SourceValue"/> the KPI engine of every CRM source finds the records it wrote (freshness, volume,
/// duplicates). At least one of the two is required.
/// </summary>
public sealed partial class IntegrationOptions
{
    /// <summary>The integration dimension: lower-case letters, digits, '-' and '_'; unique; not "crm_api". Required.</summary>
    public string? Name { get; set; }

    /// <summary>An absolute http or https URL to probe (a health endpoint). Optional.</summary>
    public string? ProbeUrl { get; set; }

    /// <summary>HTTP method of the probe. Default GET.</summary>
    public string Method { get; set; } = "GET";

    /// <summary>The status that counts as up: one code ("200", "204") or a class ("2xx", "3xx"). Default "200".</summary>
    public string ExpectedStatus { get; set; } = "200";

    /// <summary>Hard limit on one probe, from sending to the response headers. Default 10 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Interval between probes. Default 1 minute; at least 1 second.</summary>
    public TimeSpan Every { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The rolling window of the success ratio and latency percentiles. Default 1 hour.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The record field (standard snake_case name or custom field) that names the system that created a record.</summary>
    public string? SourceField { get; set; }

    /// <summary>The value of <see cref="SourceField"/> on the records this integration wrote (trimmed, case-insensitive).</summary>
    public string? SourceValue { get; set; }

    /// <summary>How often the integration is expected to write; a longer silence makes integration_late 1. Optional.</summary>
    public TimeSpan? ExpectedEvery { get; set; }

    /// <summary>True when <paramref name="status"/> is the <see cref="ExpectedStatus"/> (a code, or a class like "2xx").</summary>
    public bool IsExpected(int status) =>
        ExpectedStatus.Trim() is var e && e.Length == 3 && char.ToLowerInvariant(e[1]) == 'x'
            ? status / 100 == e[0] - '0'
            : int.TryParse(ExpectedStatus, out var code) && code == status;

    /// <summary>The record rule for the KPI engine, or null when the integration is probed only.</summary>
    public IntegrationFieldRule? ToFieldRule() =>
        SourceField is { } f && SourceValue is { } v ? new IntegrationFieldRule(Name!, f.Trim(), v, ExpectedEvery) : null;

    /// <summary>Every problem of this entry, each starting with <paramref name="key"/> (e.g. CrmPulse:Integrations:0).</summary>
    public IEnumerable<string> Validate(string key)
    {
        if (string.IsNullOrWhiteSpace(Name)) yield return $"{key}:Name is required (it becomes the integration dimension).";
        else if (!NamePattern().IsMatch(Name)) yield return $"{key}:Name '{Name}' may hold only lower-case letters, digits, '-' and '_'.";
        else if (Name == IntegrationKpis.CrmApi) yield return $"{key}:Name '{IntegrationKpis.CrmApi}' is reserved for the CRM's own API.";

        if (ProbeUrl is null && SourceField is null && SourceValue is null)
            yield return $"{key}: give a ProbeUrl, or SourceField and SourceValue, or both (an integration with neither measures nothing).";
        if (ProbeUrl is not null && !(Uri.TryCreate(ProbeUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            yield return $"{key}:ProbeUrl '{Core.SafeUrl.WithoutSecrets(ProbeUrl)}' is not an absolute http or https URL.";
        if (!MethodPattern().IsMatch(Method)) yield return $"{key}:Method '{Method}' is not an HTTP method (e.g. GET, HEAD, POST).";
        if (!StatusPattern().IsMatch(ExpectedStatus.Trim()))
            yield return $"{key}:ExpectedStatus '{ExpectedStatus}' is not a status code (100-599) or class (2xx).";
        if (Timeout <= TimeSpan.Zero) yield return $"{key}:Timeout must be positive, was {Timeout}.";
        if (Every < TimeSpan.FromSeconds(1)) yield return $"{key}:Every must be at least 00:00:01, was {Every}.";
        if (Window < Every) yield return $"{key}:Window ({Window}) must be at least Every ({Every}).";

        if ((SourceField is null) != (SourceValue is null))
            yield return $"{key}: SourceField and SourceValue go together; give both or neither.";
        else if (SourceField is not null && (string.IsNullOrWhiteSpace(SourceField) || string.IsNullOrWhiteSpace(SourceValue)))
            yield return $"{key}: SourceField and SourceValue must not be empty.";
        if (ExpectedEvery is { } ee)
        {
            if (ee <= TimeSpan.Zero) yield return $"{key}:ExpectedEvery must be positive, was {ee}.";
            if (SourceField is null) yield return $"{key}:ExpectedEvery needs SourceField and SourceValue (freshness is read from the records).";
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Z]+$")]
    private static partial Regex MethodPattern();

    [GeneratedRegex("^([1-5][0-9][0-9]|[1-5][xX][xX])$")]
    private static partial Regex StatusPattern();
}
