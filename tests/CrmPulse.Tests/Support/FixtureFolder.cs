using System.Globalization;
using System.Text.RegularExpressions;

namespace CrmPulse.Tests.Support;

/// <summary>
/// Copies a fixture folder to a temp folder, replacing {now-3d} / {now+1h} (ISO date-time, UTC) and {date-2d} (date)
/// relative to <see cref="Now"/>, so trailing windows hold the same events whenever the test runs.
/// </summary>
public sealed partial class FixtureFolder : IDisposable
{
    public FixtureFolder(string name, DateTimeOffset now)
    {
        Now = now;
        Path = Directory.CreateTempSubdirectory("crmpulse-fixture-").FullName;
        var source = System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
        foreach (var file in Directory.GetFiles(source, "*.csv"))
        {
            var text = Placeholder().Replace(File.ReadAllText(file), m => Expand(m, now));
            File.WriteAllText(System.IO.Path.Combine(Path, System.IO.Path.GetFileName(file)), text);
        }
    }

    public string Path { get; }

    public DateTimeOffset Now { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);

    private static string Expand(Match m, DateTimeOffset now)
    {
        var amount = int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture) * (m.Groups["sign"].Value == "-" ? -1 : 1);
        var offset = m.Groups["unit"].Value switch
        {
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            _ => TimeSpan.FromDays(amount),
        };
        var t = (now + offset).ToUniversalTime();
        return m.Groups["kind"].Value == "date"
            ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : t.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"\{(?<kind>now|date)(?<sign>[+-])(?<n>\d+)(?<unit>[mhd])\}")]
    private static partial Regex Placeholder();
}
