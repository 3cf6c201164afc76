namespace CrmPulse.Core.Kpis;

/// <summary>Reads the HR roster file of <see cref="LicenceOptions.RosterFile"/>: the e-mails of the active employees.</summary>
public static class LicenceRoster
{
    /// <summary>The roster's e-mails, trimmed (compared without case by the KPIs).</summary>
    /// <exception cref="InvalidDataException">The file is empty, has no e-mail column, or a row's e-mail is not an address;
    /// the message names the file and the line.</exception>
    public static HashSet<string> Load(string path)
    {
        var emails = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        var header = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(header)) throw new InvalidDataException($"Licences:RosterFile '{path}': the file is empty (a header row with an 'email' column is expected).");
        var separator = new[] { ',', ';', '\t' }.OrderByDescending(c => header.Count(h => h == c)).First();
        var columns = Split(header, separator);
        var column = columns.FindIndex(c => c.Equals("email", StringComparison.OrdinalIgnoreCase) || c.Equals("e-mail", StringComparison.OrdinalIgnoreCase));
        if (column < 0) throw new InvalidDataException($"Licences:RosterFile '{path}': line 1 has no 'email' column (columns: {string.Join(", ", columns)}).");
        var line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            var cells = Split(text, separator);
            var email = column < cells.Count ? cells[column] : "";
            if (email.Length == 0) continue; // an employee without an address cannot be matched, but is no error
            var at = email.IndexOf('@', StringComparison.Ordinal);
            if (at <= 0 || at == email.Length - 1)
                throw new InvalidDataException($"Licences:RosterFile '{path}': line {line}: '{email}' is not an e-mail address.");
            emails.Add(email);
        }
        return emails;
    }

    /// <summary>One CSV line's cells, trimmed, with double quotes around a cell (and "" inside it) undone.</summary>
    private static List<string> Split(string line, char separator)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == separator) { cells.Add(cell.ToString().Trim()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString().Trim());
        return cells;
    }
}
