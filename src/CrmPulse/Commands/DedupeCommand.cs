using System.Globalization;
using System.Text;
using CrmPulse.Core.Dedupe;
using CrmPulse.Sources.File;

namespace CrmPulse.Commands;

/// <summary>crmpulse dedupe: matches a contacts CSV and writes the duplicate pairs and clusters as CSV.</summary>
/// <remarks>
/// Exit codes: 0 done; 2 bad arguments or bad input (the message names the file, line and column); 1 an output file
/// could not be written. The matcher is the daemon's (<see cref="Deduplicator.MatchPeople"/>) with its defaults unless
/// --threshold, --max-block or --weights say otherwise.
/// </remarks>
public static class DedupeCommand
{
    internal static readonly string[] Fields =
        ["id", "first_name", "last_name", "email", "phone", "company", "street", "city", "postcode", "state", "birth_date", "created_at"];

    /// <summary>Header names tried for each field when neither --map nor the preset names a column (compared by <see cref="Key"/>).</summary>
    private static readonly Dictionary<string, string[]> AutoColumns = new()
    {
        ["id"] = ["id", "record_id", "rec_id", "unique_id", "contact_id"],
        ["first_name"] = ["first_name", "given_name", "forename"],
        ["last_name"] = ["last_name", "surname", "family_name"],
        ["email"] = ["email", "email_address", "e_mail"],
        ["phone"] = ["phone", "phone_number", "mobile", "mobile_phone"],
        ["company"] = ["company", "company_name", "account_name", "organization"],
        ["street"] = ["street", "street_address", "address_line_1"],
        // A birth place is the one place some person lists have (Splink's historical_50k, genealogy exports): compared
        // as the city when the file has no city of its own. postcode_fake is historical_50k's postcode column.
        ["city"] = ["city", "suburb", "town", "birth_place", "place_of_birth"],
        ["postcode"] = ["postcode", "postal_code", "zip", "zip_code", "postcode_fake"],
        ["state"] = ["state", "state_region", "region", "province"],
        ["birth_date"] = ["birth_date", "date_of_birth", "dob", "birthdate"],
        ["created_at"] = ["created_at", "create_date", "created_date"],
    };

    internal static IEnumerable<string> PresetNames => Presets.Keys;

    /// <summary>The extra fields of a preset (name → kind and column). Febrl's address_2 (a building or property name,
    /// "wintersloe") is compared as text: on febrl2 it lifts F1 from 0.9984 to 0.9995 (README "Deduplication").</summary>
    private static readonly Dictionary<string, (string Field, DedupeFieldKind Kind, string Columns)[]> PresetExtras = new(StringComparer.OrdinalIgnoreCase)
    {
        ["febrl"] = [("address_2", DedupeFieldKind.Text, "address_2")],
        ["historical"] = [("gender", DedupeFieldKind.Exact, "gender"), ("occupation", DedupeFieldKind.Text, "occupation")],
    };

    private static readonly Dictionary<string, Dictionary<string, string>> Presets = new(StringComparer.OrdinalIgnoreCase)
    {
        // Febrl: street number and street name are two columns; soc_sec_id is left out on purpose (no CRM has it).
        ["febrl"] = new() { ["id"] = "rec_id", ["street"] = "street_number+address_1", ["city"] = "suburb", ["birth_date"] = "date_of_birth" },
        // Splink's historical_50k: the birth place is the place compared, postcode_fake the postcode (without them the
        // matcher has only names and birth dates: F1 0.48 instead of 0.79 on the stand-in of HistoricalAccuracyTests).
        ["historical"] = new() { ["city"] = "birth_place", ["postcode"] = "postcode_fake" },
        ["hubspot"] = new()
        {
            ["id"] = "Record ID", ["phone"] = "Phone Number", ["company"] = "Company Name", ["street"] = "Street Address",
            ["postcode"] = "Postal Code", ["state"] = "State/Region", ["created_at"] = "Create Date",
        },
        ["salesforce"] = new()
        {
            ["company"] = "Account Name", ["street"] = "Mailing Street", ["city"] = "Mailing City",
            ["postcode"] = "Mailing Zip/Postal Code", ["state"] = "Mailing State/Province", ["birth_date"] = "Birthdate",
            ["created_at"] = "Created Date",
        },
    };

    /// <summary>Runs a parsed dedupe command line (<see cref="Hosting.CliArgs"/> parses it: crmpulse dedupe --help lists the options).</summary>
    internal static async Task<int> RunAsync(DedupeArgs parsed, TextWriter output, TextWriter errorOutput)
    {
        List<PersonRecord> people;
        var options = new DedupeOptions { Threshold = parsed.Threshold, MaxBlockSize = parsed.MaxBlock, Weights = parsed.Weights };
        try
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            var extras = new Dictionary<string, DedupeFieldKind>(StringComparer.Ordinal);
            if (parsed.Preset is { } preset)
            {
                foreach (var (f, c) in Presets[preset]) map[f] = c;
                foreach (var (f, k, c) in PresetExtras.GetValueOrDefault(preset) ?? []) (map[f], extras[f]) = (c, k);
            }
            foreach (var (f, c) in parsed.Map) map[f] = c;
            foreach (var (f, k, c) in parsed.Extra) (map[f], extras[f]) = (c, k);
            if (extras.Count > DedupeOptions.MaxExtraFields)
                throw new InputException($"at most {DedupeOptions.MaxExtraFields} extra fields, were {extras.Count} ({string.Join(", ", extras.Keys)}) with the preset's.");
            options.ExtraFields.Clear();
            foreach (var (f, k) in extras) options.ExtraFields[f] = k.ToString().ToLowerInvariant();
            people = ReadPeople(parsed.Input, parsed.Delimiter, map, extras.Keys.ToList());
        }
        catch (InputException e)
        {
            await errorOutput.WriteLineAsync($"dedupe: {e.Message}");
            return 2;
        }

        var result = Deduplicator.MatchPeople(people, options);
        try
        {
            if (parsed.PairsFile is { } pairsFile)
            {
                await WriteCsvAsync(pairsFile, ["left_id", "right_id", "score", "reason"],
                    result.Pairs.Select(p => new[] { p.LeftId, p.RightId, p.Score.ToString("0.0000", CultureInfo.InvariantCulture), p.Reason }));
            }
            if (parsed.ClustersFile is { } clustersFile)
            {
                await WriteCsvAsync(clustersFile, ["cluster", "id", "survivor"],
                    result.Clusters.SelectMany((c, n) => c.RecordIds.Select(id => new[] { (n + 1).ToString(CultureInfo.InvariantCulture), id, c.SurvivorId })));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await errorOutput.WriteLineAsync($"dedupe: cannot write output: {e.Message}");
            return 1;
        }

        var removable = result.Clusters.Sum(c => c.RecordIds.Count - 1);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{parsed.Input}: {people.Count} records, {result.Candidates} pairs compared, {result.Pairs.Count} duplicate pairs, " +
            $"{result.Clusters.Count} clusters, {removable} removable duplicates."));
        if (parsed.PairsFile is null && parsed.ClustersFile is null)
            await output.WriteLineAsync("Give --pairs FILE and/or --clusters FILE to write them.");
        return 0;
    }

    /// <summary>Reads the CSV into people; every problem names the file, the line and the column.</summary>
    private static List<PersonRecord> ReadPeople(string path, char delimiter, Dictionary<string, string> map, List<string> extras)
    {
        TextReader text;
        try
        {
            text = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot read '{path}': {e.Message}");
        }
        using var _ = text;
        var reader = new CsvReader(text, delimiter);
        try
        {
            var header = reader.Read() ?? throw new InputException($"{path}: the file is empty (a header line is needed).");
            var names = header.Fields.Select(h => h.Trim()).ToList();
            var columns = ResolveColumns(path, names, map);
            if (!columns.Keys.Any(f => f is "first_name" or "last_name" or "email" or "phone"))
            {
                throw new InputException($"{path}: line 1: no column holds a name, an e-mail or a phone (header: {string.Join(", ", names)}); " +
                                         "use --map, e.g. --map first_name=given_name.");
            }
            var people = new List<PersonRecord>();
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            while (reader.Read() is { } row)
            {
                if (row.IsBlank) continue;
                if (row.Error is not null) throw new InputException($"{path}: line {row.Line}: {row.Error}.");
                if (row.Fields.Count != names.Count)
                    throw new InputException($"{path}: line {row.Line}: {row.Fields.Count} fields, but the header has {names.Count}.");
                string? Get(string field) => columns.TryGetValue(field, out var cols)
                    ? string.Join(' ', cols.Select(c => row.Fields[c].Trim()).Where(v => v.Length > 0)) is { Length: > 0 } v ? v : null
                    : null;
                var id = columns.ContainsKey("id") ? Get("id") : row.Line.ToString(CultureInfo.InvariantCulture);
                var idColumn = columns.TryGetValue("id", out var idCols) ? idCols[0] + 1 : 0;
                if (id is null) throw new InputException($"{path}: line {row.Line}, column {idColumn} ({names[idColumn - 1]}): the id is empty.");
                if (!seen.TryAdd(id, row.Line))
                    throw new InputException($"{path}: line {row.Line}, column {idColumn} ({names[idColumn - 1]}): id '{id}' is already on line {seen[id]}.");
                DateTimeOffset? created = null;
                if (Get("created_at") is { } c)
                {
                    if (!DateTimeOffset.TryParse(c, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
                    {
                        var col = columns["created_at"][0];
                        throw new InputException($"{path}: line {row.Line}, column {col + 1} ({names[col]}): '{c}' is not a date-time (use ISO 8601, e.g. 2024-05-01T09:30:00Z).");
                    }
                    created = t;
                }
                people.Add(new PersonRecord
                {
                    Id = id, FirstName = Get("first_name"), LastName = Get("last_name"), Email = Get("email"), Phone = Get("phone"),
                    Company = Get("company"), Street = Get("street"), City = Get("city"), Postcode = Get("postcode"),
                    State = Get("state"), BirthDate = Get("birth_date"), CreatedAt = created,
                    Extra = extras.Count == 0 ? null : extras.ToDictionary(e => e, Get, StringComparer.Ordinal),
                });
            }
            return people;
        }
        catch (CsvFormatException e)
        {
            throw new InputException($"{path}: line {e.Line}: {e.Message}.");
        }
        catch (IOException e)
        {
            throw new InputException($"cannot read '{path}': {e.Message}");
        }
    }

    /// <summary>Field → column indexes: --map and the preset by exact (normalized) header, then the automatic names.</summary>
    private static Dictionary<string, int[]> ResolveColumns(string path, List<string> header, Dictionary<string, string> map)
    {
        var byKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++) byKey.TryAdd(Key(header[i]), i);
        var columns = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var (field, spec) in map)
        {
            var parts = spec.Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            columns[field] = parts.Select(p => byKey.TryGetValue(Key(p), out var i) ? i
                : throw new InputException($"{path}: line 1: no column '{p}' for {field} (header: {string.Join(", ", header)}).")).ToArray();
        }
        foreach (var field in Fields.Where(f => !columns.ContainsKey(f)))
        {
            foreach (var candidate in AutoColumns[field])
            {
                if (!byKey.TryGetValue(Key(candidate), out var i)) continue;
                columns[field] = [i];
                break;
            }
        }
        return columns;
    }

    /// <summary>Headers compare by letters and digits only, lower case: "First Name", "first_name", "FIRSTNAME".</summary>
    private static string Key(string header) => new(header.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    private static async Task WriteCsvAsync(string path, string[] header, IEnumerable<string[]> rows)
    {
        await using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        await writer.WriteLineAsync(string.Join(',', header));
        foreach (var row in rows) await writer.WriteLineAsync(string.Join(',', row.Select(Quote)));
    }

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private sealed class InputException(string message) : Exception(message);
}
