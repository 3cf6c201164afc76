namespace CrmPulse.Storage.Influx;

/// <summary>
/// CrmPulse:InfluxDb: where the KPI history is published. Off by default. Secrets (Token, Password) come from the
/// environment (CRMPULSE__INFLUXDB__TOKEN) or from a file (TokenFile, PasswordFile), never from a committed file, and
/// are never logged.
/// </summary>
public sealed class InfluxDbOptions
{
    /// <summary>Publish to InfluxDB. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>The server's base URL, e.g. http://127.0.0.1:8086. Required when enabled.</summary>
    public string? Url { get; set; }

    /// <summary>"v2" (POST /api/v2/write with token, org, bucket: InfluxDB 2.x, 3.x, 1.8+) or "v1" (POST /write with
    /// database, retention policy, optional user and password: InfluxDB 1.x). Default v2.</summary>
    public string Mode { get; set; } = "v2";

    /// <summary>v2: the API token (sent as "Authorization: Token …"). Prefer the environment or <see cref="TokenFile"/>.</summary>
    public string? Token { get; set; }

    /// <summary>v2: a file whose first line is the token.</summary>
    public string? TokenFile { get; set; }

    /// <summary>v2: the organisation (name or id). Required in v2 mode.</summary>
    public string? Org { get; set; }

    /// <summary>v2: the bucket. Required in v2 mode.</summary>
    public string? Bucket { get; set; }

    /// <summary>v1: the database. Required in v1 mode.</summary>
    public string? Database { get; set; }

    /// <summary>v1: the retention policy; the database's default when not set.</summary>
    public string? RetentionPolicy { get; set; }

    /// <summary>v1: user name, when the server has authentication on.</summary>
    public string? Username { get; set; }

    /// <summary>v1: password. Prefer the environment or <see cref="PasswordFile"/>.</summary>
    public string? Password { get; set; }

    /// <summary>v1: a file whose first line is the password.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>Points per write request (1..50000). Default 5000 (InfluxDB's advice).</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>How often the outbox looks for new samples when it is idle. Default 10 seconds (at least 1 second).</summary>
    public TimeSpan FlushEvery { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Timeout of one write request. Default 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait between retries of a failing write (the backoff doubles from 1 second up to it). Default 5 minutes.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>True in v1 mode.</summary>
    public bool IsV1 => string.Equals(Mode, "v1", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The problems of these settings, each naming its key under <paramref name="prefix"/>; reads TokenFile and
    /// PasswordFile into Token and Password. Nothing is checked while disabled.
    /// </summary>
    public List<string> Validate(string prefix = "CrmPulse:InfluxDb")
    {
        var problems = new List<string>();
        if (!Enabled) return problems;
        if (string.IsNullOrWhiteSpace(Url)) problems.Add($"{prefix}:Url is required when InfluxDb is enabled (e.g. http://127.0.0.1:8086).");
        else if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            problems.Add($"{prefix}:Url '{Core.SafeUrl.WithoutSecrets(Url)}' is not an absolute http:// or https:// URL.");
        if (BatchSize is < 1 or > 50_000) problems.Add($"{prefix}:BatchSize must be between 1 and 50000, was {BatchSize}.");
        if (FlushEvery < TimeSpan.FromSeconds(1)) problems.Add($"{prefix}:FlushEvery must be at least 00:00:01, was {FlushEvery}.");
        if (Timeout < TimeSpan.FromSeconds(1)) problems.Add($"{prefix}:Timeout must be at least 00:00:01, was {Timeout}.");
        if (MaxRetryDelay < TimeSpan.FromSeconds(1)) problems.Add($"{prefix}:MaxRetryDelay must be at least 00:00:01, was {MaxRetryDelay}.");

        if (IsV1)
        {
            if (string.IsNullOrWhiteSpace(Database)) problems.Add($"{prefix}:Database is required in v1 mode.");
            Password = ReadSecret(Password, PasswordFile, $"{prefix}:PasswordFile", problems);
            if (Password is not null && string.IsNullOrWhiteSpace(Username)) problems.Add($"{prefix}:Username is required when a password is given.");
            foreach (var (key, value) in new[] { ("Token", Token ?? TokenFile), ("Org", Org), ("Bucket", Bucket) })
                if (value is not null) problems.Add($"{prefix}:{key} is a v2 setting; in v1 mode use Database, RetentionPolicy, Username, Password.");
        }
        else if (string.Equals(Mode, "v2", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(Org)) problems.Add($"{prefix}:Org is required in v2 mode.");
            if (string.IsNullOrWhiteSpace(Bucket)) problems.Add($"{prefix}:Bucket is required in v2 mode.");
            Token = ReadSecret(Token, TokenFile, $"{prefix}:TokenFile", problems);
            if (Token is null) problems.Add($"{prefix}:Token is required in v2 mode (set CRMPULSE__INFLUXDB__TOKEN or {prefix}:TokenFile).");
            foreach (var (key, value) in new[] { ("Database", Database), ("RetentionPolicy", RetentionPolicy), ("Username", Username), ("Password", Password ?? PasswordFile) })
                if (value is not null) problems.Add($"{prefix}:{key} is a v1 setting; in v2 mode use Org, Bucket and Token.");
        }
        else problems.Add($"{prefix}:Mode '{Mode}' is not known (use v2 or v1).");
        return problems;
    }

    private static string? ReadSecret(string? value, string? file, string key, List<string> problems)
    {
        if (file is null) return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        if (!string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"{key}: give the secret or its file, not both.");
            return value.Trim();
        }
        try
        {
            var line = File.ReadLines(file).FirstOrDefault()?.Trim();
            if (string.IsNullOrEmpty(line)) problems.Add($"{key}: '{file}' is empty.");
            return string.IsNullOrEmpty(line) ? null : line;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{key}: cannot read '{file}': {e.Message}");
            return null;
        }
    }
}
