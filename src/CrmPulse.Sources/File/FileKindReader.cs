using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.File;

/// <summary>
/// Reads one kind's CSV file into a change set: records of good rows, a problem per bad cell or row, and the ids of
/// bad rows in <see cref="ChangeSet.Retained"/>. Never throws for bad content, only on I/O errors and cancellation.
/// </summary>
internal sealed class FileKindReader(
    FileKind kind,
    string fileName,
    char delimiter,
    FileValues values,
    IReadOnlyDictionary<string, string> explicitColumns,
    IReadOnlyDictionary<string, string[]> presetColumns,
    bool salesforce)
{
    /// <summary>
    /// Reads the file. Returns true when it was read as a whole (its records may replace the stored kind); false when its
    /// header or its structure is broken, in which case only <see cref="ChangeSet.Problems"/> is filled.
    /// </summary>
    public bool Read(TextReader text, ChangeSet into, CancellationToken cancellationToken)
    {
        var csv = new CsvReader(text, delimiter);
        var buffer = new ChangeSet();
        try
        {
            if (!ReadRows(csv, buffer, cancellationToken))
            {
                into.Problems.AddRange(buffer.Problems);
                return false;
            }
        }
        catch (CsvFormatException ex)
        {
            // The rest of the file was swallowed into one field: completing the kind would delete those rows' records.
            into.Problems.AddRange(buffer.Problems);
            into.Problems.Add(new SourceProblem(fileName, ex.Line, null, ex.Message + "; the file is not read"));
            return false;
        }
        Merge(buffer, into);
        return true;
    }

    private bool ReadRows(CsvReader csv, ChangeSet buffer, CancellationToken cancellationToken)
    {
        var header = csv.Read();
        while (header is { IsBlank: true }) header = csv.Read();
        if (header is null)
        {
            buffer.Problems.Add(new SourceProblem(fileName, null, null, "the file is empty: a header row is required; the file is not read"));
            return false;
        }
        if (header.Error is { } headerError)
        {
            buffer.Problems.Add(new SourceProblem(fileName, header.Line, null, $"header row: {headerError}; the file is not read"));
            return false;
        }
        var map = ColumnMap.Build(kind, fileName, header, explicitColumns, presetColumns);
        buffer.Problems.AddRange(map.Problems);
        if (!map.CanRead) return false;

        // Where each id was first seen: the first row wins, a later one is reported as a duplicate.
        var firstLines = new Dictionary<string, int>(StringComparer.Ordinal);
        var count = 0;
        while (csv.Read() is { } row)
        {
            if (++count % 1024 == 0) cancellationToken.ThrowIfCancellationRequested();
            if (row.IsBlank) continue;
            ReadRow(row, map, firstLines, buffer);
        }
        return true;
    }

    private void ReadRow(CsvRow row, ColumnMap map, Dictionary<string, int> firstLines, ChangeSet buffer)
    {
        var id = FileRecords.IdOf(kind, row.Fields, map, values);
        if (id is not null && firstLines.TryGetValue(id, out var firstLine))
        {
            buffer.Problems.Add(new SourceProblem(fileName, row.Line, map.HeaderOf("id"),
                $"duplicate id '{id}' (first on line {firstLine}); this row is skipped"));
            return;
        }
        if (id is not null) firstLines[id] = row.Line;

        var structural = row.Error
            ?? (row.Fields.Count != map.HeaderCount
                ? $"the row has {row.Fields.Count} fields but the header has {map.HeaderCount}"
                : null);
        if (structural is not null)
        {
            Skip(buffer, row.Line, [(null, structural)], id);
            return;
        }

        var fileRow = new FileRow(row.Fields, map, values);
        if (!Build(fileRow, buffer)) Skip(buffer, row.Line, fileRow.Errors.Select(e => ((string?)e.Column, e.Reason)), id);
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

    private void Skip(ChangeSet buffer, int line, IEnumerable<(string? Column, string Reason)> errors, string? id)
    {
        foreach (var (column, reason) in errors)
        {
            buffer.Problems.Add(new SourceProblem(fileName, line, column, reason + "; the row is skipped"));
        }
        // The mirror keeps its previous copy instead of deleting it with the rest of a complete kind.
        if (id is not null) buffer.Retained.Add((kind.ObjectKind, id));
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
    }
}
