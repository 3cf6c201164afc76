using System.Text;
using CrmPulse.Core.Sources;
using CrmPulse.Sources.File;

namespace CrmPulse.Sources.Tests.File;

/// <summary>A folder of CSV files for one test, deleted afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "crmpulse-filesrc-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Writes a file as UTF-8 without BOM; lines joined with LF unless the text has its own line ends.</summary>
    public TempFolder Write(string fileName, string content)
    {
        System.IO.File.WriteAllText(System.IO.Path.Combine(Path, fileName), content, new UTF8Encoding(false));
        return this;
    }

    public TempFolder Write(string fileName, params string[] lines) => Write(fileName, string.Join("\n", lines) + "\n");

    public FileSourceOptions Options(Action<FileSourceOptions>? configure = null)
    {
        var options = new FileSourceOptions { Path = Path };
        configure?.Invoke(options);
        return options;
    }

    public Task<ChangeSet> PullAsync(Action<FileSourceOptions>? configure = null, IReadOnlyDictionary<string, string>? watermarks = null) =>
        new FileSource("exports", Options(configure)).PullAsync(watermarks ?? new Dictionary<string, string>(), CancellationToken.None);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }
}
