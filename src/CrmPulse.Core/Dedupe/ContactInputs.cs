using CrmPulse.Core.Model;

namespace CrmPulse.Core.Dedupe;

/// <summary>
/// What the matcher reads of each contact, by position: its id, the fingerprint of its matcher inputs and its prepared
/// form. From a <see cref="ContactColumns"/> (the KPI snapshot's contacts) the fields are read from the arrays without
/// a <see cref="Contact"/> per row: each distinct first name, last name and company is prepared once, and e-mails and
/// phones are read from their text columns without a string of the raw text. Any other list is read record by record.
/// Both give the same prepared values and fingerprints (<see cref="Deduplicator.PrepareContact"/>,
/// <see cref="Deduplicator.ContactFingerprint"/>).
/// </summary>
/// <remarks>Thread-safe: the matcher prepares on every core.</remarks>
internal sealed class ContactInputs
{
    private readonly IReadOnlyList<Contact>? _records;
    private readonly ContactColumns? _columns;
    private readonly IReadOnlyList<ExtraField> _extras;
    private readonly StringPool _pool;
    // By code of the column's distinct values: the prepared first and last names, and the company key "#<id>".
    private readonly string?[]? _first, _last;
    private readonly CompanyKeys? _company;
    // The custom fields read, each column looked up once: per place field (street, city, postcode, state, birth_date)
    // the columns of its aliases that some contact has, in alias order; per extra field its column (null: none has it).
    private readonly StringColumn[][]? _places;
    private readonly StringColumn?[]? _extraColumns;

    private static readonly string[] PlaceFields = ["street", "city", "postcode", "state", "birth_date"];

    public ContactInputs(IReadOnlyList<Contact> contacts, IReadOnlyList<ExtraField> extras, StringPool pool)
    {
        (_extras, _pool) = (extras, pool);
        if (contacts is not ContactColumns columns)
        {
            _records = contacts;
            return;
        }
        _columns = columns;
        _first = Array.ConvertAll(columns.FirstName.Values, v => PreparedPerson.Name(v, pool));
        _last = Array.ConvertAll(columns.LastName.Values, v => PreparedPerson.Name(v, pool));
        // By id, as PreparedPerson.CompanyKey does: two company records are two companies, however alike their names.
        _company = new CompanyKeys(columns.Company.Values);
        _places = Array.ConvertAll(PlaceFields, field => PersonRecord.CustomFieldAliases[field]
            .Select(columns.CustomField).OfType<StringColumn>().ToArray());
        _extraColumns = extras.Select(e => columns.CustomField(e.Name)).ToArray();
    }

    public int Count => _columns?.Count ?? _records!.Count;

    public string Id(int i) => _columns is { } c ? c.Ids[i] : _records![i].Id;

    /// <summary>The contact prepared for matching.</summary>
    public PreparedPerson Prepare(int i)
    {
        if (_columns is not { } c) return Deduplicator.PrepareContact(_records![i], _extras, _pool);
        var email = c.Email.LengthOf(i) is var emailLength and >= 0
            ? PrepareEmail(c.Email, i, emailLength)
            : (default, -1);
        var places = _places!;
        return new PreparedPerson(c.Ids[i], c.Created.At(i), Code(_first!, c.FirstName, i), Code(_last!, c.LastName, i), email,
            PreparePhone(c.Phone, i), Code(_company!, c.Company, i),
            Place(places[0], i), Place(places[1], i), Place(places[2], i), Place(places[3], i), Place(places[4], i), _pool, Extra(i));
    }

    /// <summary>The first filled value among a place field's alias columns (<see cref="PersonRecord.Custom(IReadOnlyDictionary{string, string?}, string)"/>).</summary>
    private static string? Place(StringColumn[] aliases, int i)
    {
        foreach (var column in aliases)
        {
            if (column[i] is { } v && CrmRecord.IsFilled(v)) return v;
        }
        return null;
    }

    /// <summary>The extra fields prepared (<see cref="PreparedPerson.PrepareExtra(IReadOnlyList{ExtraField}, IReadOnlyDictionary{string, string?}, StringPool?)"/>).</summary>
    private string?[]? Extra(int i)
    {
        string?[]? values = null;
        for (var e = 0; e < _extras.Count; e++)
        {
            if (_extraColumns![e] is not { } column || PreparedPerson.PrepareExtra(_extras[e], column[i], _pool) is not { } v) continue;
            (values ??= new string?[_extras.Count])[e] = v;
        }
        return values;
    }

    /// <summary>The fingerprint of what <see cref="Prepare"/> reads (<see cref="Deduplicator.ContactFingerprint"/>).</summary>
    public long Fingerprint(int i)
    {
        if (_columns is not { } c) return Deduplicator.ContactFingerprint(_records![i], _extras);
        var places = _places!;
        var h = Dedupe.Fingerprint.Start.Add(c.Ids[i]).Add(c.Created.UtcTicks[i]).Add(c.FirstName[i]).Add(c.LastName[i]);
        h = h.Add(c.Email, i).Add(c.Phone, i);
        h = h.Add(c.Company[i]).Add(Place(places[0], i)).Add(Place(places[1], i)).Add(Place(places[2], i))
            .Add(Place(places[3], i)).Add(Place(places[4], i));
        foreach (var column in _extraColumns!) h = h.Add(column?[i]);
        return h.Value;
    }

    private static string? Code(string?[] prepared, StringColumn column, int i) => column.Codes[i] is var code and >= 0 ? prepared[code] : null;

    private static string? Code(CompanyKeys prepared, StringColumn column, int i) => column.Codes[i] is var code and >= 0 ? prepared[code] : null;

    /// <summary>The company keys, each made when first read: an incremental pass prepares a few thousand contacts, and a
    /// key for each of the org's companies (200,000: 11 MB) on each pass was most of what it allocated before matching.</summary>
    /// <remarks>Two threads may make the same key at once: equal strings, compared by value.</remarks>
    private sealed class CompanyKeys(string[] values)
    {
        private readonly string?[] _keys = new string?[values.Length];

        public string? this[int code] => values[code].Length == 0 ? null : _keys[code] ??= "#" + values[code];
    }

    private static (ReadOnlyMemory<char> Email, int At) PrepareEmail(TextColumn column, int i, int length)
    {
        Span<char> text = length <= 256 ? stackalloc char[length] : new char[length];
        column.CopyTo(i, text);
        return PreparedPerson.PrepareEmail(text, rawString: null);
    }

    private static uint PreparePhone(TextColumn column, int i)
    {
        var length = column.LengthOf(i);
        if (length <= 0) return 0;
        Span<char> text = length <= 256 ? stackalloc char[length] : new char[length];
        column.CopyTo(i, text);
        return PreparedPerson.PreparePhone(text);
    }
}
