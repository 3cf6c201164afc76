namespace CrmPulse.Reports;

/// <summary>How the SMTP connection is secured (MailKit's options by name).</summary>
public enum SmtpSecurity
{
    /// <summary>STARTTLS, required: the connection fails if the server does not offer it. The default.</summary>
    StartTls,

    /// <summary>TLS from the first byte (usually port 465).</summary>
    SslOnConnect,

    /// <summary>No TLS at all: allowed only to a loopback host (a local relay).</summary>
    None,
}

/// <summary>CrmPulse:Reports:Smtp. The password comes from the environment (CRMPULSE__REPORTS__SMTP__PASSWORD) or a file.</summary>
public sealed class SmtpOptions
{
    /// <summary>The server's host name. Required when a schedule sends e-mail.</summary>
    public string? Host { get; set; }

    /// <summary>The port. Default 587 (submission with STARTTLS).</summary>
    public int Port { get; set; } = 587;

    /// <summary>StartTls (default), SslOnConnect, or None (loopback only).</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>The user to authenticate as. Default none: no AUTH.</summary>
    public string? UserName { get; set; }

    /// <summary>The password, from the environment only (never committed JSON).</summary>
    public string? Password { get; set; }

    /// <summary>A file holding the password (its first line), instead of Password.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>The sender address, e.g. "CrmPulse &lt;crmpulse@example.com&gt;". Required when a schedule sends e-mail.</summary>
    public string? From { get; set; }

    /// <summary>How long one attempt (connect, send, quit) may take. Default 60 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);
}
