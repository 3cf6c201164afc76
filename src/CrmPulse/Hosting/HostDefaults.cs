namespace CrmPulse.Hosting;

/// <summary>Defaults of the embedded configuration.</summary>
public static class HostDefaults
{
    /// <summary>Where the API listens unless --urls or ASPNETCORE_URLS say otherwise: loopback only.</summary>
    public const string Urls = "http://127.0.0.1:5080";
}
