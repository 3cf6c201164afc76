using System.Security.Cryptography;
using System.Text;
using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.File;

/// <summary>
/// A CRM source over a folder of CSV exports, one file per kind (see README.md). Each pull re-reads the files whose
/// content changed since the last pull and hands them over as complete kinds: the mirror then holds exactly what the file
/// holds, except that records of unreadable rows keep their previous copy.
/// </summary>
public sealed class FileSource : ICrmSource
{
    // Bump when parsing changes, so files read by an older version are read again.
    private const string ReaderVersion = "1";

    private readonly string _path;
    private readonly char _delimiter;
    private readonly FileValues _values;
    private readonly string? _preset;
    private readonly Dictionary<FileKind, (string FileName, Dictionary<string, string> Columns)> _mappings = [];

    /// <param name="name">The configured source name (the <c>source</c> tag).</param>
    /// <param name="options">Settings; every check of <see cref="FileSourceOptions.Validate"/> except the folder's
    /// existence must pass (the folder is looked for at each pull).</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public FileSource(string name, FileSourceOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.ValidateSettings();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"File source '{name}': invalid options: {string.Join(" ", problems)}", nameof(options));
        }

        Name = name;
        _path = options.Path!;
        _delimiter = FileSourceOptions.ParseDelimiter(options.Delimiter)!.Value;
        _values = new FileValues(TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone.Trim()));
        _preset = FilePresets.Normalize(options.Preset);
        foreach (var kind in FileKind.All)
        {
            var mapping = options.Files?.FirstOrDefault(f => FileKind.Find(f.Key) == kind).Value;
            var columns = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (column, header) in mapping?.Columns ?? []) columns[column.Trim()] = header;
            _mappings[kind] = (mapping?.FileName ?? kind.DefaultFileName, columns);
        }
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Kind => "File";

    /// <summary>
    /// Reads every kind whose file exists and changed (by content hash, watermark "file:&lt;kind&gt;") since the last
    /// pull. A missing file is not an error: that kind is left as stored.
    /// </summary>
    /// <exception cref="SourceException">The folder does not exist or cannot be listed.</exception>
    public Task<ChangeSet> PullAsync(IReadOnlyDictionary<string, string> watermarks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(watermarks);
        // File reading is synchronous; keep it off the caller's thread.
        return Task.Run(() => Pull(watermarks, cancellationToken), cancellationToken);
    }

    private ChangeSet Pull(IReadOnlyDictionary<string, string> watermarks, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_path))
        {
            throw new SourceException(
                $"File source '{Name}': folder '{System.IO.Path.GetFullPath(_path)}' does not exist (option Path).");
        }

        var changes = new ChangeSet();
        foreach (var kind in FileKind.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (fileName, columns) = _mappings[kind];
            var fullPath = System.IO.Path.Combine(_path, fileName);
            if (!System.IO.File.Exists(fullPath)) continue;
            try
            {
                PullFile(kind, fileName, fullPath, columns, watermarks, changes, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                changes.Problems.Add(new SourceProblem(fileName, null, null, $"cannot be read ({ex.Message}); the file is skipped"));
            }
        }
        return changes;
    }

    private void PullFile(
        FileKind kind,
        string fileName,
        string fullPath,
        Dictionary<string, string> columns,
        IReadOnlyDictionary<string, string> watermarks,
        ChangeSet changes,
        CancellationToken cancellationToken)
    {
        // One handle for hashing and reading: a file replaced in between is not half old, half new.
        using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
        var hash = Hash(kind, fileName, columns, stream, cancellationToken);
        if (watermarks.TryGetValue(kind.WatermarkKey, out var previous) && previous == hash) return;

        stream.Position = 0;
        using var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 64 * 1024, leaveOpen: true);
        var reader = new FileKindReader(kind, fileName, _delimiter, _values, columns, FilePresets.For(_preset, kind),
            salesforce: _preset == FilePresets.Salesforce);
        if (!reader.Read(text, changes, cancellationToken)) return;

        changes.CompleteKinds.Add(kind.ObjectKind);
        changes.Watermarks[kind.WatermarkKey] = hash;
    }

    /// <summary>
    /// SHA-256 over the settings that shape how the file is read, then the file's bytes (streamed): changing e.g. the
    /// time zone or a column mapping reads an unchanged file again.
    /// </summary>
    private string Hash(
        FileKind kind, string fileName, Dictionary<string, string> columns, Stream stream, CancellationToken cancellationToken)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var settings = string.Join('\n',
            [ReaderVersion, kind.Name, fileName, _delimiter.ToString(), _values.TimeZone.Id, _preset ?? "",
                .. columns.OrderBy(c => c.Key, StringComparer.OrdinalIgnoreCase).Select(c => $"{c.Key.ToLowerInvariant()}={c.Value}")]);
        sha.AppendData(Encoding.UTF8.GetBytes(settings + "\n\n"));
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            sha.AppendData(buffer, 0, read);
        }
        return "sha256:" + Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
