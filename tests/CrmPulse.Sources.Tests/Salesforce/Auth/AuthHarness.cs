using CrmPulse.Sources.Salesforce;
using CrmPulse.Sources.Tests.Demo;

namespace CrmPulse.Sources.Tests.Salesforce.Auth;

/// <summary>
/// A fake token endpoint, settings pointing at it, a clock at 2023-07-10T14:40:00Z (epoch 1,689,000,000 s, the
/// recorded issued_at) and a temp folder for key and secret files. The client id and secret sit in environment
/// variables every test sets to the same values, so parallel tests do not disturb each other.
/// </summary>
internal sealed class AuthHarness : IDisposable
{
    public const string ClientIdEnv = "CRMPULSE_TEST_SFAUTH_CLIENT_ID";
    public const string ClientSecretEnv = "CRMPULSE_TEST_SFAUTH_CLIENT_SECRET";
    public const string SourceName = "sf-test";

    private readonly string _folder = Directory.CreateTempSubdirectory("crmpulse-sfauth-").FullName;

    public AuthHarness()
    {
        Environment.SetEnvironmentVariable(ClientIdEnv, FakeSalesforceLogin.ClientId);
        Environment.SetEnvironmentVariable(ClientSecretEnv, FakeSalesforceLogin.ClientSecret);
        Server = new FakeSalesforceLogin(Clock);
        Options = new SalesforceAuthOptions { LoginUrl = Server.BaseUrl, ClientIdEnv = ClientIdEnv, ClientSecretEnv = ClientSecretEnv };
    }

    public FakeClock Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(1_689_000_000));
    public FakeSalesforceLogin Server { get; }
    public SalesforceAuthOptions Options { get; }
    public HttpClient Http { get; } = new();

    /// <summary>Switches to the JWT bearer flow with <paramref name="key"/>'s private key written as PEM.</summary>
    public AuthHarness WithJwt(bool pkcs8 = true, System.Security.Cryptography.RSA? key = null)
    {
        Options.Flow = "JwtBearer";
        Options.Username = FakeSalesforceLogin.Username;
        Options.PrivateKeyFile = WriteFile("connected-app.key", TestKeys.PrivatePem(key ?? TestKeys.Uploaded, pkcs8));
        return this;
    }

    public SalesforceAuthenticator Create() => new(SourceName, Options, Http, Clock);

    public string WriteFile(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public string PathOf(string name) => Path.Combine(_folder, name);

    public void Dispose()
    {
        Http.Dispose();
        Server.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
