using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.File;

/// <summary>
/// Reads one kind's CSV file into a change set of its own: records of good rows, a problem per bad cell or row, the ids
/// of rejected rows in <see cref="ChangeSet.Retained"/>, and whether the file as a whole can be trusted. Never throws
/// for bad content, only on I/O errors, undecodable bytes and cancellation.
/// </summary>
/// <remarks>
/// A file is not trusted, so that none of it is applied, when its header does not match, its CSV structure is broken
/// beyond one row (a quote never closed, or a malformed record that runs over several lines through a quoted field: the
/// rows in between were swallowed), it holds a NUL character, or more than <c>maxRejectedShare</c> of its data rows
/// (or every one of them) are rejected.
/// </remarks>
internal sealed class FileKindReader(
    FileKind kind,
    string fileName,
    char delimiter,
    FileValues values,
    KindMapping mapping,
    IReadOnlyDictionary<string, string[]> presetColumns,
    bool salesforce,
    double maxRejectedShare)
{
    /// <summary>Problems listed per file; beyond it they are counted in one more problem (a garbage file has millions).</summary>
    internal const int MaxListedProblems = 100;

    private int _dataRows;
    private int _rejectedRows;
    private int _firstRejectedLine;
    private int _unlisted;

    /// <summary>
    /// Reads the file into <paramref name="into"/> (a change set for this file only). Returns null when the file can be
    /// applied, else the problem that makes it untrustworthy (also the last of <see cref="ChangeSet.Problems"/>); the
    /// records read before it must then be dropped.
    /// </summary>
    public SourceProblem? Read(TextReader text, ChangeSet into, CancellationToken cancellationToken)
    {
        var csv = new CsvReader(text, delimiter);
        try
        {
            if (ReadRows(csv, into, cancellationToken) is { } failure) return Fail(into, failure);
        }
        catch (CsvFormatException ex)
        {
            // A quote never closed swallowed the rest of the file into one field: completing the kind would delete those
            // rows' records. NUL: binary data or a wrong encoding.
            return Fail(into, new SourceProblem(fileName, ex.Line, null, ex.Message + "; the file is not read"));
        }
        if (_unlisted > 0) into.Problems.Add(new SourceProblem(fileName, null, null, $"{_unlisted} more problem(s) are not listed"));
        into.RejectedRows = _rejectedRows;
        if (_dataRows > 0 && (_rejectedRows == _dataRows || _rejectedRows > maxRejectedShare * _dataRows))
        {
            var share = _rejectedRows == _dataRows
                ? $"every one of its {_dataRows} data row(s) was rejected"
                : $"{_rejectedRows} of its {_dataRows} data rows were rejected, more than MaxRejectedShare ({maxRejectedShare:0.##})";
            return Fail(into, new SourceProblem(fileName, _firstRejectedLine, null,
                $"{share} (first on line {_firstRejectedLine}); the file is not read"));
        }
        return null;
    }

    private SourceProblem Fail(ChangeSet into, SourceProblem failure)
    {
        into.RejectedRows = _rejectedRows;
        into.Problems.Add(failure);
        return failure;
    }

    private SourceProblem? ReadRows(CsvReader csv, ChangeSet buffer, CancellationToken cancellationToken)
    {
        var header = csv.Read();
        while (header is { IsBlank: true }) header = csv.Read();
        if (header is null) return new SourceProblem(fileName, null, null, "the file is empty: a header row is required; the file is not read");
        if (header.Error is { } headerError) return new SourceProblem(fileName, header.Line, null, $"header row: {headerError}; the file is not read");
        var map = ColumnMap.Build(kind, fileName, header, mapping, presetColumns);
        buffer.Notices.AddRange(map.Notices);
        if (!map.CanRead)
        {
            buffer.Problems.AddRange(map.Problems.SkipLast(1));
            return map.Problems[^1];
        }

        // Where each id was first seen: the first row wins, a later one is reported as a duplicate.
        var firstLines = new Dictionary<string, int>(StringComparer.Ordinal);
        while (csv.Read() is { } row)
        {
            if (row.IsBlank) continue;
            if (++_dataRows % 1024 == 0) cancellationToken.ThrowIfCancellationRequested();
            if (ReadRow(row, map, firstLines, buffer) is { } failure) return failure;
        }
        return null;
    }

    private SourceProblem? ReadRow(CsvRow row, ColumnMap map, Dictionary<string, int> firstLines, ChangeSet buffer)
    {
        var structural = row.Error
            ?? (row.Fields.Count != map.HeaderCount
                ? $"the row has {row.Fields.Count} fields but the header has {map.HeaderCount}"
                : null);
        if (structural is not null && row.LastLine > row.Line)
        {
            // A malformed record that spans lines through a quoted field is the mark of a stray quote: it swallowed the
            // rows up to the next quote, whose records would be deleted with the rest of a complete kind.
            return new SourceProblem(fileName, row.Line, null,
                $"the record starting here runs to line {row.LastLine} through a quoted field and is malformed ({structural}): " +
                "a quote is probably not closed, so the rows in between cannot be trusted; the file is not read");
        }

        var id = FileRecords.IdOf(kind, row.Fields, map, values);
        if (id is not null && firstLines.TryGetValue(id, out var firstLine))
        {
            Reject(buffer, row.Line, [(map.HeaderOf("id"), $"duplicate id '{id}' (first on line {firstLine}); this row is skipped")], null);
            return null;
        }
        if (id is not null) firstLines[id] = row.Line;

        if (structural is not null)
        {
            Reject(buffer, row.Line, [(null, structural + "; the row is skipped")], id);
            return null;
        }

        var fileRow = new FileRow(row.Fields, map, values);
        if (!Build(fileRow, buffer))
            Reject(buffer, row.Line, fileRow.Errors.Select(e => ((string?)e.Column, e.Reason + "; the row is skipped")), id);
        return null;
    }

    /// <summary>Builds the row's record into the buffer; false when a cell was unreadable.</summary>
    private bool Build(FileRow row, ChangeSet buffer)
    {
        switch (kind.ObjectKind)
        {
            case ObjectKind.User: return Add(buffer.Users, FileRecords.User(row));
            case ObjectKind.Login: return Add(buffer.Logins, FileRecords.Login(row));
            case ObjectKind.Contact: return Add(buffer.Contacts, FileRecords.Contact(row));
            case ObjectKind.Company: return Add(buffer.Companies, FileRecords.Company(row));
            case ObjectKind.Deal: return Add(buffer.Deals, FileRecords.Deal(row));
            case ObjectKind.Activity: return Add(buffer.Activities, FileRecords.Activity(row, salesforce));
            default: throw new InvalidOperationException($"No reader for {kind.ObjectKind}.");
        }
    }

    private static bool Add<T>(List<T> list, T? record) where T : class
    {
        if (record is null) return false;
        list.Add(record);
        return true;
    }

    /// <summary>Counts a rejected row, lists its problems, and retains its id (when known).</summary>
    private void Reject(ChangeSet buffer, int line, IEnumerable<(string? Column, string Reason)> errors, string? id)
    {
        if (_rejectedRows++ == 0) _firstRejectedLine = line;
        foreach (var (column, reason) in errors)
        {
            if (buffer.Problems.Count < MaxListedProblems) buffer.Problems.Add(new SourceProblem(fileName, line, column, reason));
            else _unlisted++;
        }
        // The mirror keeps its previous copy instead of deleting it with the rest of a complete kind.
        if (id is not null) buffer.Retained.Add((kind.ObjectKind, id));
    }
}
