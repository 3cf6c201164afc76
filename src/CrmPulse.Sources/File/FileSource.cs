using System.Security.Cryptography;
using System.Text;
using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.File;

/// <summary>
/// A CRM source over a folder of CSV exports, one file per kind (see README.md). Each pull re-reads the files whose
/// content changed since the last pull and hands them over as complete kinds: the mirror then holds exactly what the file
/// holds, except that records of rejected rows keep their previous copy. A file that cannot be trusted as a whole is
/// handed over as a failed kind instead: nothing of it is applied and the stored records stay.
/// </summary>
public sealed class FileSource : ICrmSource
{
    // Bump when parsing changes, so files read by an older version are read again.
    private const string ReaderVersion = "2";

    private readonly string _path;
    private readonly char _delimiter;
    private readonly Encoding _encoding;
    private readonly double _maxRejectedShare;
    private readonly FileValues _values;
    private readonly string? _preset;
    private readonly Dictionary<FileKind, KindMapping> _mappings = [];

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
        _encoding = FileEncodings.Find(options.Encoding)!;
        _maxRejectedShare = options.MaxRejectedShare;
        _values = new FileValues(TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone.Trim()));
        _preset = FilePresets.Normalize(options.Preset);
        foreach (var kind in FileKind.All)
        {
            _mappings[kind] = new KindMapping(kind, options.Files?.FirstOrDefault(f => FileKind.Find(f.Key) == kind).Value);
        }
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Kind => "File";

    /// <summary>Lists the folder's files. A seam for tests: root, which runs them here, can list any folder.</summary>
    internal Func<string, IEnumerable<string>> ListFiles { get; init; } = Directory.EnumerateFiles;

    /// <summary>
    /// Reads every kind whose file exists and changed (by content hash, watermark "file:&lt;kind&gt;") since the last
    /// pull. A missing file is not an error: that kind is left as stored. A file that exists but cannot be trusted
    /// (opened, decoded, parsed, or too many rows rejected) is a failed kind, named with its line and reason.
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
        var folder = System.IO.Path.GetFullPath(_path);
        if (!Directory.Exists(_path))
        {
            throw new SourceException($"File source '{Name}': folder '{folder}' does not exist (option Path).");
        }
        HashSet<string> present;
        try
        {
            // Listed, not probed file by file: a folder that cannot be listed would make every file look missing, and
            // a sync that reads nothing look fine.
            // File names compare as the platform's file systems usually do (Windows and macOS ignore case).
            present = ListFiles(_path).Select(f => System.IO.Path.GetFileName(f))
                .ToHashSet(OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SourceException($"File source '{Name}': folder '{folder}' cannot be listed ({e.Message}); nothing was read.", e);
        }

        var changes = new ChangeSet { ReadKinds = [] };
        foreach (var kind in FileKind.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var mapping = _mappings[kind];
            if (!present.Contains(mapping.FileName)) continue;
            try
            {
                PullFile(kind, mapping, System.IO.Path.Combine(_path, mapping.FileName), watermarks, changes, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Fail(changes, kind, new ChangeSet(), new SourceProblem(mapping.FileName, null, null, $"cannot be read ({ex.Message}); the file is not read"));
            }
        }
        return changes;
    }

    private void PullFile(
        FileKind kind,
        KindMapping mapping,
        string fullPath,
        IReadOnlyDictionary<string, string> watermarks,
        ChangeSet changes,
        CancellationToken cancellationToken)
    {
        // One handle for hashing and reading: a file replaced in between is not half old, half new.
        using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
        var hash = Hash(kind, mapping, stream, cancellationToken);
        if (watermarks.TryGetValue(kind.WatermarkKey, out var previous) && previous == hash)
        {
            changes.ReadKinds!.Add(kind.ObjectKind); // read before, and unchanged since
            return;
        }

        stream.Position = 0;
        var (encoding, start) = FileEncodings.FromByteOrderMark(stream) ?? (_encoding, 0);
        stream.Position = start;
        var reader = new FileKindReader(kind, mapping.FileName, _delimiter, _values, mapping, FilePresets.For(_preset, kind),
            salesforce: _preset == FilePresets.Salesforce, _maxRejectedShare);
        var file = new ChangeSet();
        SourceProblem? failure;
        try
        {
            using var text = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false, 64 * 1024, leaveOpen: true);
            failure = reader.Read(text, file, cancellationToken);
        }
        catch (DecoderFallbackException)
        {
            stream.Position = start;
            failure = Undecodable(mapping.FileName, FileEncodings.Locate(stream, encoding), encoding);
            file.Problems.Add(failure);
        }
        if (failure is not null)
        {
            Fail(changes, kind, file, failure);
            return;
        }

        Merge(file, changes);
        changes.CompleteKinds.Add(kind.ObjectKind);
        changes.ReadKinds!.Add(kind.ObjectKind);
        changes.Watermarks[kind.WatermarkKey] = hash;
    }

    /// <summary>The kind is not applied: its problems and notices are reported, the failure names the file and line.</summary>
    private static void Fail(ChangeSet changes, FileKind kind, ChangeSet file, SourceProblem failure)
    {
        changes.Problems.AddRange(file.Problems.Count == 0 ? [failure] : file.Problems);
        changes.Notices.AddRange(file.Notices);
        changes.RejectedRows += file.RejectedRows;
        changes.FailedKinds[kind.ObjectKind] = failure;
    }

    private static SourceProblem Undecodable(string fileName, (int Line, long Offset, byte[] Bytes)? at, Encoding encoding)
    {
        var hint = encoding.CodePage == Encoding.UTF8.CodePage
            ? " (set the source's Encoding to the one the file was exported in, e.g. windows-1252)"
            : " (set the source's Encoding to the one the file was exported in)";
        if (at is not { } found)
        {
            return new SourceProblem(fileName, null, null, $"holds bytes that are not valid {encoding.WebName}{hint}; the file is not read");
        }
        var bytes = string.Join(" ", found.Bytes.Select(b => $"0x{b:X2}"));
        return new SourceProblem(fileName, found.Line, null,
            $"byte {bytes} at offset {found.Offset} is not valid {encoding.WebName}{hint}; the file is not read");
    }

    private static void Merge(ChangeSet from, ChangeSet into)
    {
        into.Users.AddRange(from.Users);
        into.Logins.AddRange(from.Logins);
        into.Contacts.AddRange(from.Contacts);
        into.Companies.AddRange(from.Companies);
        into.Deals.AddRange(from.Deals);
        into.Activities.AddRange(from.Activities);
        into.Retained.AddRange(from.Retained);
        into.Problems.AddRange(from.Problems);
        into.Notices.AddRange(from.Notices);
        into.RejectedRows += from.RejectedRows;
    }

    /// <summary>
    /// SHA-256 over the settings that shape how the file is read, then the file's bytes (streamed): changing e.g. the
    /// time zone, the encoding or a column mapping reads an unchanged file again.
    /// </summary>
    private string Hash(FileKind kind, KindMapping mapping, Stream stream, CancellationToken cancellationToken)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var settings = string.Join('\n',
            [ReaderVersion, kind.Name, mapping.FileName, _delimiter.ToString(), _values.TimeZone.Id, _preset ?? "",
                _encoding.WebName, .. mapping.Describe()]);
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
