using CrmPulse.Core.Dedupe;

namespace CrmPulse.Core.Tests.Dedupe;

/// <summary>Reads the labelled data sets of Data/ into people and their true entity (febrl: N of rec-N-…; fake_1000: cluster),
/// the columns mapped as the dedupe command's presets map them (febrl: address_2 an extra text field, <see cref="Options"/>).</summary>
internal static class AccuracyData
{
    /// <summary>The options the file is matched with: the defaults, with febrl's address_2 as an extra text field.</summary>
    public static DedupeOptions Options(string file) =>
        file.StartsWith("febrl", StringComparison.Ordinal) ? new DedupeOptions { ExtraFields = { ["address_2"] = "text" } } : new DedupeOptions();

    public static (List<PersonRecord> People, Dictionary<string, string> EntityOf) Load(string file)
    {
        // The files hold no quotes and no commas inside values (checked when they were added): a split is enough.
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Dedupe", "Data", file));
        var header = lines[0].Split(',').Select(h => h.Trim()).ToList();
        int Col(string name) => header.IndexOf(name) is var i && i >= 0 ? i : throw new InvalidDataException($"{file}: no column {name}");
        var people = new List<PersonRecord>();
        var entityOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var f = line.Split(',').Select(v => v.Trim()).ToArray();
            string? Get(string name) => f[Col(name)] is { Length: > 0 } v ? v : null;
            if (header.Contains("rec_id"))
            {
                // soc_sec_id is ignored on purpose: a CRM has no such key.
                var id = Get("rec_id")!;
                people.Add(new PersonRecord
                {
                    Id = id, FirstName = Get("given_name"), LastName = Get("surname"),
                    Street = string.Join(' ', new[] { Get("street_number"), Get("address_1") }.Where(v => v is not null)) is { Length: > 0 } s ? s : null,
                    // As the dedupe command's febrl preset reads it: address_2 an extra text field.
                    Extra = new Dictionary<string, string?> { ["address_2"] = Get("address_2") },
                    City = Get("suburb"), Postcode = Get("postcode"), State = Get("state"), BirthDate = Get("date_of_birth"),
                });
                entityOf[id] = id.Split('-')[1];
            }
            else
            {
                var id = Get("unique_id")!;
                people.Add(new PersonRecord
                {
                    Id = id, FirstName = Get("first_name"), LastName = Get("surname"), BirthDate = Get("dob"),
                    City = Get("city"), Email = Get("email"),
                });
                entityOf[id] = Get("cluster")!;
            }
        }
        return (people, entityOf);
    }
}
