using System.Security.Cryptography;

namespace CrmPulse.Sources.Tests.Salesforce.Auth;

/// <summary>
/// RSA key pairs generated once per test run (never committed): <see cref="Uploaded"/> plays the key whose certificate
/// is uploaded to the connected app, <see cref="Stranger"/> a key Salesforce does not know.
/// </summary>
internal static class TestKeys
{
    private static readonly Lazy<RSA> LazyUploaded = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> LazyStranger = new(() => RSA.Create(2048));

    public static RSA Uploaded => LazyUploaded.Value;
    public static RSA Stranger => LazyStranger.Value;

    /// <summary>The PEM text of <paramref name="key"/>'s private key in PKCS#1 ("RSA PRIVATE KEY") or PKCS#8 ("PRIVATE KEY").</summary>
    public static string PrivatePem(RSA key, bool pkcs8) => pkcs8 ? key.ExportPkcs8PrivateKeyPem() : key.ExportRSAPrivateKeyPem();
}
