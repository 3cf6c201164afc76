using CrmPulse.Core.Sources;
using CrmPulse.Sources.Http;

namespace CrmPulse.Sources.Tests.Http;

public sealed class SecretTests
{
    private const string Owner = "Test source 'x'";

    [Fact]
    public void A_variable_is_read_and_trimmed()
    {
        Environment.SetEnvironmentVariable("CRMPULSE_TEST_SECRET_PADDED", "  value-not-real \n");

        Assert.Equal("value-not-real", Secret.Read(Owner, "token", null, "TokenFile", "CRMPULSE_TEST_SECRET_PADDED", "TokenEnv"));
    }

    [Fact]
    public void Neither_a_file_nor_a_variable_names_both_keys()
    {
        var e = Assert.Throws<SourceException>(() => Secret.Read(Owner, "client secret", " ", "ClientSecretFile", null, "ClientSecretEnv"));

        Assert.Equal("Test source 'x': neither ClientSecretEnv nor ClientSecretFile is set; one must say where the client secret is.", e.Message);
    }

    [Fact]
    public void A_folder_given_as_the_file_is_reported_as_unreadable()
    {
        var folder = Directory.CreateTempSubdirectory("crmpulse-secret-").FullName;
        try
        {
            var e = Assert.Throws<SourceException>(() => Secret.Read(Owner, "token", folder, "TokenFile", null, "TokenEnv"));

            Assert.StartsWith($"Test source 'x': cannot read the token file '{folder}' (TokenFile): ", e.Message);
        }
        finally
        {
            Directory.Delete(folder);
        }
    }
}
