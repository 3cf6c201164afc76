using CrmPulse.Options;
using Microsoft.Extensions.Configuration;

namespace CrmPulse.Tests.Options;

/// <summary>CrmPulse:Store: the provider, and the PostgreSQL connection string from the environment or a file, whose
/// password no message repeats.</summary>
public sealed class StoreOptionsTests : IDisposable
{
    private const string Secret = "s3cret-Password-for-tests";
    private readonly string _dir = Directory.CreateTempSubdirectory("crmpulse-store-options-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static OptionsLoader.Result Load(params (string Key, string Value)[] settings) =>
        OptionsLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

    [Fact]
    public void Sqlite_is_the_default_and_needs_no_server()
    {
        var result = Load();

        Assert.Empty(result.Errors);
        Assert.False(result.Options.Store.IsPostgreSql);
        Assert.Equal("data/crmpulse.db", result.Options.Store.Path);
    }

    [Fact]
    public void An_unknown_provider_is_named_with_the_known_ones()
    {
        var result = Load(("CrmPulse:Store:Provider", "Oracle"));

        Assert.Contains("CrmPulse:Store:Provider 'Oracle' is not known (use Sqlite or PostgreSql).", result.Errors);
    }

    [Fact]
    public void PostgreSql_takes_its_connection_string_from_the_first_line_of_a_file()
    {
        var file = Path.Combine(_dir, "db");
        File.WriteAllText(file, $"Host=127.0.0.1;Port=5433;Database=crm;Username=crm;Password={Secret}\nignored\n");

        var result = Load(("CrmPulse:Store:Provider", "postgresql"), ("CrmPulse:Store:ConnectionStringFile", file));

        Assert.Empty(result.Errors);
        Assert.True(result.Options.Store.IsPostgreSql);
        Assert.Equal($"Host=127.0.0.1;Port=5433;Database=crm;Username=crm;Password={Secret}", result.Options.Store.ConnectionString);
    }

    [Fact]
    public void Both_a_connection_string_and_its_file_an_empty_file_and_a_missing_file_are_refused()
    {
        var empty = Path.Combine(_dir, "empty");
        File.WriteAllText(empty, "\n");
        var missing = Path.Combine(_dir, "missing");

        var both = Load(("CrmPulse:Store:Provider", "PostgreSql"), ("CrmPulse:Store:ConnectionString", $"Host=x;Password={Secret}"),
            ("CrmPulse:Store:ConnectionStringFile", empty));
        var emptyFile = Load(("CrmPulse:Store:Provider", "PostgreSql"), ("CrmPulse:Store:ConnectionStringFile", empty));
        var missingFile = Load(("CrmPulse:Store:Provider", "PostgreSql"), ("CrmPulse:Store:ConnectionStringFile", missing));

        Assert.Contains("CrmPulse:Store: give ConnectionString or ConnectionStringFile, not both.", both.Errors);
        Assert.Contains($"CrmPulse:Store:ConnectionStringFile: '{empty}' is empty.", emptyFile.Errors);
        Assert.Contains(missingFile.Errors, e => e.StartsWith($"CrmPulse:Store:ConnectionStringFile: cannot read '{missing}'", StringComparison.Ordinal));
        Assert.DoesNotContain(both.Errors, e => e.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public void A_malformed_connection_string_is_refused_without_repeating_it()
    {
        var noHost = Load(("CrmPulse:Store:Provider", "PostgreSql"), ("CrmPulse:Store:ConnectionString", $"Database=crm;Password={Secret}"));
        var bad = Load(("CrmPulse:Store:Provider", "PostgreSql"), ("CrmPulse:Store:ConnectionString", $"Host=x;Pasword={Secret}"));

        Assert.Contains("CrmPulse:Store:ConnectionString: it names no Host.", noHost.Errors);
        var error = Assert.Single(bad.Errors);
        Assert.StartsWith("CrmPulse:Store:ConnectionString: it is not a valid Npgsql connection string", error);
        Assert.DoesNotContain(Secret, error);
    }
}
